package io.mme.strategy.api;

import java.util.List;

/**
 * A strategy as a desk writes it. The engine calls it on its one thread, in event order:
 * {@link #start} once, then the callbacks as the market and our orders move, and after every event
 * that concerned the strategy {@link #quote}, where it says which quotes it wants. It never sends
 * orders itself: the engine keeps the order state, rounds the wanted quotes to each venue's ticks
 * and lots, keeps them off the touch, decides when a live quote is worth replacing and passes every
 * order through risk.
 *
 * <p>Rules for the hot path: callbacks and {@link #quote} must not allocate, block or read a
 * clock (time comes with the events: {@link MarketView#timeNanos()}), and must be deterministic,
 * so that a replay of the recorded events reproduces the run. A callback that throws halts this
 * strategy alone: its quotes are cancelled, the others quote on.
 *
 * <p>Parameters are longs named by keys (in the unit their key or documentation names); the
 * configuration sets them at start and an operator may change them at run time
 * ({@link #setParameter}, control path: may allocate).
 */
public interface Strategy {
    /** the strategy's type name, as {@link StrategyFactory#type()} */
    String name();

    /** called once before any other callback, with the view the strategy reads from then on */
    void start(MarketView market);

    /**
     * The book of instrument {@code instrument} changed: called once per complete venue message (never on the
     * items inside one), after the view was updated.
     */
    default void onBook(int instrument) {
    }

    /**
     * The pair's consolidated fair value was computed after a venue message (of any venue of the
     * pair, quoted by this strategy or not). Not called when there is none: the view's
     * {@link MarketView#fairValueNanos()} is then {@link MarketView#NONE} and the engine does not ask
     * for quotes.
     */
    default void onFairValue(long timeNanos, long fairValueNanos) {
    }

    /** a public trade on instrument {@code instrument} (price in ticks, quantity in lots) */
    default void onTrade(int instrument, long priceTicks, long quantityLots, Side aggressor, long timeNanos) {
    }

    /**
     * One of our orders traded, partly or fully (price in ticks, quantity in lots); the view's
     * positions and PnL already include it.
     */
    default void onFill(int instrument, Side side, long priceTicks, long quantityLots, long timeNanos) {
    }

    /**
     * One of our orders traded: a quote ({@code taker} false) or a taker order asked for through
     * {@link TakerOrders} ({@code taker} true). The default hands it on to
     * {@link #onFill(int, Side, long, long, long)}, so a strategy that does not take liquidity
     * needs only that one.
     */
    default void onFill(int instrument, Side side, long priceTicks, long quantityLots, boolean taker, long timeNanos) {
        onFill(instrument, side, priceTicks, quantityLots, timeNanos);
    }

    /**
     * One of our taker orders changed state: {@link OrderUpdate#ACKNOWLEDGED} (the venue took it),
     * {@link OrderUpdate#REJECTED} (risk, execution or the venue refused it; nothing filled),
     * {@link OrderUpdate#EXPIRED} (the venue cancelled the unfilled rest: the order is done). A
     * taker order that fills completely ends with its last {@link #onFill} and no update.
     *
     * @param takerOrderId  the id {@link TakerOrders#take} returned
     * @param filledLots    the order's quantity filled so far
     * @param unfilledLots  for REJECTED and EXPIRED the quantity that will never fill; 0 otherwise
     * @param reasonCode    as in {@link #onOrderUpdate}
     */
    default void onTakerUpdate(long takerOrderId, int instrument, Side side, OrderUpdate update, long filledLots,
                               long unfilledLots, int reasonCode, long timeNanos) {
    }

    /**
     * Asks for taker orders into {@code out}. Called after every event that concerned the strategy,
     * before {@link #quote}, also while quoting is stopped (a stopped strategy may still hedge what
     * it holds; a kill switch or a halt of the strategy stops this too). Default: none.
     */
    default void take(TakerOrders out) {
    }

    /**
     * One of our quote orders changed state.
     *
     * @param level      the quote slot's level
     * @param reasonCode for {@link OrderUpdate#REJECTED}, {@link OrderUpdate#CANCEL_REJECTED} and
     *                   {@link OrderUpdate#EXPIRED}, who refused or removed it and why: below 1000 the
     *                   venue's (or the paper venue's) code, 1000..1999 a risk check, 2000..2999 the
     *                   execution engine; 0 otherwise
     */
    default void onOrderUpdate(int instrument, Side side, int level, OrderUpdate update, int reasonCode, long timeNanos) {
    }

    /** the engine's periodic timer */
    default void onTimer(long timeNanos) {
    }

    /**
     * Says which quotes the strategy wants now into {@code out} (cleared before the call). Called
     * after every event that concerned the strategy, only while there is a fair value and quoting
     * is on.
     */
    void quote(Quotes out);

    /** the parameter keys this strategy accepts, in a fixed order */
    List<String> parameterKeys();

    /**
     * Sets one parameter (control path: may allocate).
     *
     * @return null when applied; otherwise why not (name the key, the value and the allowed
     * range: {@link ParameterChecks}), and the old value stays
     */
    String setParameter(String key, long value);

    /** the current value of a key from {@link #parameterKeys()} */
    long parameter(String key);

    /**
     * Keys of the figures the strategy reports about itself (read-only, unlike parameters: e.g.
     * XEMM's hedge slippage and edge per round trip), in a fixed order; the engine shows them beside
     * the parameters (REST {@code GET /api/v1/strategies}, field {@code report}). Default: none.
     */
    default List<String> reportKeys() {
        return List.of();
    }

    /** the current value of a key from {@link #reportKeys()}, in the unit its key names */
    default long report(String key) {
        throw new IllegalArgumentException("no report '" + key + "'");
    }

    /**
     * Writes the model's state beyond its parameters (estimators, clocks), in a fixed order: for
     * snapshots and for the state digest replay compares. Default: a stateless model.
     */
    default void writeState(StateOut out) {
    }

    /** reads back what {@link #writeState} wrote, on a strategy built alike whose parameters were set first */
    default void readState(StateIn in) {
    }
}
