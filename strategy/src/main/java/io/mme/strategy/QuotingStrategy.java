package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.Side;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;

import java.util.List;

/**
 * A quoting strategy: it hears fair-value changes, its own fills and timer ticks, and says which
 * two-sided quotes it wants. It never sees orders: the hosting {@link StrategyEngine} keeps the
 * order state, rounds the wanted quotes to each venue's ticks and lots (bids down, asks up, sizes
 * down), keeps them off the venue's touch and decides when a live quote is worth replacing.
 *
 * <p>Thread: called only by the hosting engine's thread. Every method is on the hot path except
 * {@link #setParameter}, {@link #digestState} and the model state methods; the hot-path methods
 * must not allocate.
 */
public interface QuotingStrategy {
    /** a short name for logs and the console ("inventory-skew", "avellaneda-stoikov") */
    String name();

    /** the fair value of the quoted pair changed (10^-9 quote units), at event time {@code timestampNanos} */
    void onFairValue(long timestampNanos, long fairValueNanos);

    /**
     * One of our quotes traded.
     *
     * @param instrumentIndex the instrument's index in the engine's quoted list (0..n-1)
     * @param priceNanos      the fill price, 10^-9 quote units
     * @param quantityNanos   the filled quantity, 10^-9 base units
     * @param inventoryNanos  our net position in the base asset across all venues after this fill
     */
    void onFill(long timestampNanos, int instrumentIndex, Side side, long priceNanos, long quantityNanos, long inventoryNanos);

    /** a TIMER event */
    void onTimer(long timestampNanos);

    /**
     * Writes the wanted quotes into {@code out} (cleared by the engine before the call; an unset
     * slot means "no quote there"). Called only while there is a fair value and quoting is on.
     */
    void quote(QuoteContext context, QuoteTargets out);

    /** the parameter keys this strategy accepts, in a fixed order */
    List<String> parameterKeys();

    /**
     * Sets one parameter (control path: may allocate).
     *
     * @return null when applied; otherwise why not, and the old value stays
     */
    String setParameter(String key, long value);

    /** the current value of a key from {@link #parameterKeys()}, in the key's unit */
    long parameter(String key);

    /**
     * Feeds the strategy's parameters and model state into the digest, in a fixed order. This
     * default puts the name and every parameter in key order; a strategy with model state adds it.
     */
    default void digestState(StateDigest digest) {
        digest.putString(name());
        for (String key : parameterKeys()) {
            digest.putLong(parameter(key));
        }
    }

    /**
     * Writes the model's state for a snapshot: whatever a later {@link #quote} depends on beyond
     * the parameters (estimators, clocks), in a fixed order. The engine writes the parameters
     * itself and sets them back before {@link #readModelState}. Default: a stateless model.
     */
    default void writeModelState(StateWriter out) {
    }

    /**
     * Reads back what {@link #writeModelState} wrote, replacing the model's state; called on a
     * strategy built with the same configuration, after its parameters were set to the written ones.
     *
     * @throws io.mme.core.state.StateFormatException when the bytes are not such a state
     */
    default void readModelState(StateReader in) {
    }
}
