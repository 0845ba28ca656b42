package io.mme.risk;

import io.mme.core.state.CheckedStateReader;
import io.mme.core.state.CheckedStateWriter;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.state.StateFormatException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every limit of every target: one {@code long} per (kind, target index), where the index is an
 * instrument id, a venue id, an asset index ({@link #assetOf}) or 0 for global, as the kind's
 * {@link LimitKind.Scope} says. A table built at start-up (usually by {@link #defaults}); the risk
 * engine takes its own copy and from then on changes it only on CONTROL events, on its own thread.
 * Not thread-safe.
 *
 * <p>Defaults ({@link #defaults}):
 * <table>
 * <caption>default limits</caption>
 * <tr><th>name</th><th>unit</th><th>default</th></tr>
 * <tr><td>maxOrderQuantity</td><td>lots</td><td>the lots in 1 base unit (at least 1 lot)</td></tr>
 * <tr><td>maxOrderNotional</td><td>1e-9 quote units</td><td>100,000 quote units</td></tr>
 * <tr><td>priceBandBps</td><td>bps</td><td>500 (5 % around the fair value)</td></tr>
 * <tr><td>maxPosition</td><td>lots</td><td>the lots in 5 base units (at least 1 lot)</td></tr>
 * <tr><td>maxAssetPosition</td><td>1e-9 base units</td><td>10 base units</td></tr>
 * <tr><td>maxOpenOrdersPerInstrument</td><td>orders</td><td>20</td></tr>
 * <tr><td>maxOpenOrdersPerVenue</td><td>orders</td><td>100</td></tr>
 * <tr><td>orderRatePerMinute</td><td>orders / min</td><td>Binance 300, Coinbase 600, Kraken 12</td></tr>
 * <tr><td>orderBurst</td><td>orders</td><td>Binance 20, Coinbase 10, Kraken 5</td></tr>
 * <tr><td>dailyLossLimit</td><td>1e-9 quote units</td><td>10,000 quote units</td></tr>
 * <tr><td>strategyMaxPosition</td><td>1e-9 base units</td><td>none</td></tr>
 * <tr><td>strategyDailyLossLimit</td><td>1e-9 quote units</td><td>none</td></tr>
 * <tr><td>strategyMaxOpenOrders</td><td>orders</td><td>none</td></tr>
 * <tr><td>maxTakerQuantityPerMinute</td><td>lots / min</td><td>the lots in 2 base units (at least 1 lot)</td></tr>
 * <tr><td>maxTakerSlippageBps</td><td>bps</td><td>50</td></tr>
 * </table>
 *
 * <p>Strategy limits exist for the strategies named by {@link #withStrategies} (none by default): each
 * instrument belongs to at most one strategy, so a command names a strategy by one of its instruments.
 */
public final class RiskLimits {
    /** the venues' order-rate defaults; see the comment on {@link #defaults} */
    private static final long[] RATE_PER_MINUTE = new long[Venue.values().length];
    private static final long[] BURST = new long[Venue.values().length];

    static {
        // Binance: ORDERS is 100 per 10 s per account (docs' example; VENUES.md 1.5), i.e. 600/min.
        // 300/min with a burst of 20 stays at or below 20 + 50 = 70 orders in any 10 s.
        RATE_PER_MINUTE[Venue.BINANCE.id()] = 300;
        BURST[Venue.BINANCE.id()] = 20;
        // Coinbase: private REST is 30 requests/s per user (VENUES.md 2), shared with cancels and
        // queries. 10 orders/s with a burst of 10 is at most 20 orders in any second, leaving a third
        // of the budget for cancels even when every order is cancelled.
        RATE_PER_MINUTE[Venue.COINBASE.id()] = 600;
        BURST[Venue.COINBASE.id()] = 10;
        // Kraken: the trading counter (per pair) adds 1 per order and up to 8 more when an order
        // younger than 5 s is cancelled; Starter threshold 60, Intermediate decay 2.34/s (VENUES.md
        // 3.5, partly unconfirmed). At 12/min (0.2/s) even order + early cancel (9) is 1.8/s, under
        // the decay; a burst of 5 such pairs is 45, under the threshold of 60. The bucket here is per
        // venue, so it is stricter than Kraken's per-pair counter.
        RATE_PER_MINUTE[Venue.KRAKEN.id()] = 12;
        BURST[Venue.KRAKEN.id()] = 5;
    }

    private final int instruments;
    private final int venues;
    private final int[] assetOf;
    private final String[] assetNames;
    private final long[][] values;
    /** instrument id → strategy index, -1 when no strategy quotes it */
    private final int[] strategyOf;
    private final String[] strategyIds;
    private final int[][] strategyInstruments;

    private RiskLimits(int instruments, int[] assetOf, String[] assetNames) {
        this(instruments, assetOf, assetNames, noStrategy(instruments), new String[0], new int[0][]);
    }

    private static int[] noStrategy(int instruments) {
        int[] none = new int[instruments];
        Arrays.fill(none, -1);
        return none;
    }

    private RiskLimits(int instruments, int[] assetOf, String[] assetNames, int[] strategyOf, String[] strategyIds,
                       int[][] strategyInstruments) {
        this.instruments = instruments;
        this.venues = Venue.values().length;
        this.assetOf = assetOf;
        this.assetNames = assetNames;
        this.strategyOf = strategyOf;
        this.strategyIds = strategyIds;
        this.strategyInstruments = strategyInstruments;
        values = new long[LimitKind.values().length][];
        for (LimitKind kind : LimitKind.values()) {
            values[kind.ordinal()] = new long[size(kind.scope())];
        }
    }

    /** the defaults in the table of the class comment, for every instrument of the registry */
    public static RiskLimits defaults(InstrumentRegistry registry) {
        int n = registry.size();
        int[] assetOf = new int[n];
        List<String> assets = new ArrayList<>();
        for (Instrument instrument : registry.all()) {
            int a = assets.indexOf(instrument.base());
            if (a < 0) {
                a = assets.size();
                assets.add(instrument.base());
            }
            assetOf[instrument.id()] = a;
        }
        RiskLimits limits = new RiskLimits(n, assetOf, assets.toArray(new String[0]));
        for (Instrument instrument : registry.all()) {
            int i = instrument.id();
            long lotsPerUnit = Math.max(1, Instrument.NANOS / instrument.nanosPerLot());
            limits.set(LimitKind.MAX_ORDER_QUANTITY, i, lotsPerUnit);
            limits.set(LimitKind.MAX_ORDER_NOTIONAL, i, 100_000 * Instrument.NANOS);
            limits.set(LimitKind.PRICE_BAND, i, 500);
            limits.set(LimitKind.MAX_POSITION, i, 5 * lotsPerUnit);
            limits.set(LimitKind.MAX_OPEN_ORDERS_PER_INSTRUMENT, i, 20);
            limits.set(LimitKind.MAX_TAKER_QUANTITY_PER_MINUTE, i, 2 * lotsPerUnit);
        }
        for (int a = 0; a < limits.assetNames.length; a++) {
            limits.set(LimitKind.MAX_ASSET_POSITION, a, 10 * Instrument.NANOS);
        }
        for (int v = 0; v < limits.venues; v++) {
            limits.set(LimitKind.MAX_OPEN_ORDERS_PER_VENUE, v, 100);
            limits.set(LimitKind.ORDER_RATE, v, RATE_PER_MINUTE[v]);
            limits.set(LimitKind.ORDER_BURST, v, BURST[v]);
            limits.set(LimitKind.MAX_TAKER_SLIPPAGE, v, 50);
        }
        limits.set(LimitKind.DAILY_LOSS, 0, 10_000 * Instrument.NANOS);
        return limits;
    }

    /** a copy with the same values */
    public RiskLimits copy() {
        RiskLimits copy = new RiskLimits(instruments, assetOf, assetNames, strategyOf, strategyIds, strategyInstruments);
        for (int k = 0; k < values.length; k++) {
            System.arraycopy(values[k], 0, copy.values[k], 0, values[k].length);
        }
        return copy;
    }

    /**
     * A copy with strategy limits for these strategies (every other value kept), each strategy's
     * limits at their default (none).
     *
     * @param ids         the strategies' ids, in the strategy engine's order
     * @param instruments per strategy the instrument ids it quotes
     * @throws IllegalArgumentException when an instrument belongs to two strategies or is unknown
     */
    public RiskLimits withStrategies(List<String> ids, List<int[]> instruments) {
        if (ids.size() != instruments.size()) {
            throw new IllegalArgumentException(ids.size() + " strategy ids for " + instruments.size() + " instrument lists");
        }
        int[] of = noStrategy(this.instruments);
        int[][] lists = new int[ids.size()][];
        for (int s = 0; s < ids.size(); s++) {
            lists[s] = instruments.get(s).clone();
            for (int i : lists[s]) {
                if (i < 0 || i >= this.instruments) {
                    throw new IllegalArgumentException("strategy " + ids.get(s) + " quotes unknown instrument " + i);
                }
                if (of[i] >= 0) {
                    throw new IllegalArgumentException("strategies " + ids.get(of[i]) + " and " + ids.get(s)
                            + " both quote instrument " + i);
                }
                of[i] = s;
            }
        }
        RiskLimits copy = new RiskLimits(this.instruments, assetOf, assetNames, of, ids.toArray(new String[0]), lists);
        for (LimitKind kind : LimitKind.values()) {
            if (kind.scope() == LimitKind.Scope.STRATEGY) {
                Arrays.fill(copy.values[kind.ordinal()], kind.maxValue());
            } else {
                System.arraycopy(values[kind.ordinal()], 0, copy.values[kind.ordinal()], 0, values[kind.ordinal()].length);
            }
        }
        return copy;
    }

    /** the strategy index of an instrument, -1 when no strategy quotes it */
    public int strategyOf(int instrumentId) {
        return strategyOf[instrumentId];
    }

    public int strategies() {
        return strategyIds.length;
    }

    /** the id of a strategy index */
    public String strategyId(int strategy) {
        return strategyIds[strategy];
    }

    /** the instruments a strategy quotes; the caller must not change the array (hot path: no copy) */
    int[] strategyInstruments(int strategy) {
        return strategyInstruments[strategy];
    }

    /** how many targets a scope has */
    public int size(LimitKind.Scope scope) {
        return switch (scope) {
            case INSTRUMENT -> instruments;
            case ASSET -> assetNames.length;
            case VENUE -> venues;
            case GLOBAL -> 1;
            case STRATEGY -> strategyIds.length;
        };
    }

    public long get(LimitKind kind, int index) {
        return values[kind.ordinal()][index];
    }

    /**
     * Sets one limit (start-up and the risk engine's control path).
     *
     * @throws IllegalArgumentException for a negative value, one above {@link LimitKind#maxValue()}
     *                                  or an index outside the kind's scope
     */
    public RiskLimits set(LimitKind kind, int index, long value) {
        if (value < 0 || value > kind.maxValue()) {
            throw new IllegalArgumentException(kind.key() + " " + value + " is outside 0.." + kind.maxValue() + " " + kind.unit());
        }
        long[] row = values[kind.ordinal()];
        if (index < 0 || index >= row.length) {
            throw new IllegalArgumentException(kind.key() + " has no target " + index + " (0.." + (row.length - 1) + ")");
        }
        row[index] = value;
        return this;
    }

    /** the asset index of an instrument's base asset: assets are numbered in registry order of first appearance */
    public int assetOf(int instrumentId) {
        return assetOf[instrumentId];
    }

    public int assets() {
        return assetNames.length;
    }

    /** the canonical base asset name of an asset index */
    public String assetName(int asset) {
        return assetNames[asset];
    }

    /** every kind in ordinal order: its target count, then the values */
    void writeState(CheckedStateWriter out) {
        for (long[] row : values) {
            out.putLongs(row);
        }
    }

    /** replaces every value; a value outside its kind's range is refused like a bad CONTROL value */
    void readState(CheckedStateReader in) {
        for (LimitKind kind : LimitKind.values()) {
            long[] row = values[kind.ordinal()];
            in.getLongs(row, "limit " + kind.key());
            for (int t = 0; t < row.length; t++) {
                if (row[t] < 0 || row[t] > kind.maxValue()) {
                    throw new StateFormatException("limit " + kind.key() + " of target " + t + " is " + row[t]
                            + ", outside 0.." + kind.maxValue());
                }
            }
        }
    }
}
