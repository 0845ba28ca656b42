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
    /** Risk: set a trading state. value = {@link TradingState#ordinal()}, target as above. */
    public static final String SET_TRADING_STATE = "trading-state.set";
    /**
     * Risk and execution: the kill switch. Execution cancels every open order on every venue; risk
     * sets the global trading state to HALTED. Only a SET_TRADING_STATE to ACTIVE undoes it.
     */
    public static final String KILL_SWITCH = "kill-switch";
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
