package io.mme.core.ring;

/**
 * The names of the control commands ({@link ControlCommand#command()}) and what their fields mean.
 * Target venue or instrument -1 means "all" (global). Each is applied by the engine that owns the
 * state; the others ignore it.
 */
public final class ControlCommands {
    /**
     * Risk: set one limit. key = the limit's name (see the risk module's {@code LimitKind}), value
     * in the limit's unit, target = the instrument (or -1 with a venue, or -1/-1 for global).
     */
    public static final String SET_LIMIT = "limit.set";
    /**
     * Risk, then execution: set a trading state. value = {@link TradingState#ordinal()}, target as
     * above. Once applied, risk writes into the slot's {@link InboundEvent#cancels()} the orders the
     * new state no longer allows, for every instrument in the target's scope, by its effective
     * (strictest) state: HALTED both sides; REDUCING the side that would increase the position
     * (a long position's bids, a short one's asks, both when flat); ACTIVE none. Execution cancels
     * them on the same event.
     */
    public static final String SET_TRADING_STATE = "trading-state.set";
    /**
     * Risk and execution: the kill switch, per scope. Target -1/-1 (global), a venue, or an
     * instrument. Risk sets that scope's trading state to HALTED (never refused; a target it does
     * not know halts globally) and decides the cancels of every order in the scope; execution
     * cancels them, and on its own every open order in the target (so the kill switch acts even
     * when an engine before it threw). A global kill switch also stops the strategy. Only a
     * SET_TRADING_STATE to ACTIVE on the same scope undoes it.
     */
    public static final String KILL_SWITCH = "kill-switch";
    /**
     * Risk, then execution: cancel every open order of ours in the target's scope (global, a venue
     * or an instrument) without changing a trading state. Risk checks the target and decides the
     * cancels (both sides of every instrument in the scope); execution sends them. The strategy may
     * quote again at once where the trading state allows it.
     */
    public static final String CANCEL_ALL = "orders.cancel-all";
    /** Strategy: set one parameter. key = the parameter's name, value in its unit (scaled as the strategy documents). */
    public static final String SET_STRATEGY_PARAMETER = "strategy.set";
    /** Strategy: start quoting. */
    public static final String START_STRATEGY = "strategy.start";
    /** Strategy: stop quoting and cancel its quotes. */
    public static final String STOP_STRATEGY = "strategy.stop";

    /**
     * Runtime: every engine that keeps state files writes its whole state now, after handling this
     * event, so that the states of all engines are cut at the same event. Published periodically
     * by the app; journaled like every input; no engine changes anything on it.
     */
    public static final String SNAPSHOT = "state.snapshot";
    /**
     * Execution: after a restart, every order still open in the recovered state is of unknown
     * status (it may have filled or been cancelled while the engine was down): execution marks them
     * UNKNOWN and queries their status, never sending them again.
     */
    public static final String RECONCILE = "orders.reconcile";

    /**
     * A venue told a gateway to stop sending (HTTP 429 / 418 with Retry-After, a rate-limit error):
     * target venue, {@code value} = the epoch millisecond the back-off ends. Risk refuses new orders
     * and replaces for that venue until event time reaches it, so that the refusals are decided (and
     * journaled) in the engine, not only in the gateway.
     */
    public static final String VENUE_BACKOFF = "venue.backoff";

    private ControlCommands() {
    }
}
