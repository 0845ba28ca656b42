package io.mme.strategy;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The console's read-only view of one strategy ({@link StrategyUnit}): per quoted instrument our
 * best live bid and ask (price ticks and size lots; {@link #NONE} and 0 when we have none), our
 * inventory, the fair value, whether we quote, whether the strategy's code was halted, its parameters and the figures it reports. The engine writes it on TIMER events only, with release stores into
 * preallocated arrays (no allocation); any thread may read it with {@code getAcquire}. Fields are
 * individually current: a reader may see one timer's bid beside the previous timer's ask.
 */
public final class StrategyView {
    /** no price */
    public static final long NONE = Long.MIN_VALUE;
    private static final int PER_INSTRUMENT = 4;
    private final int[] instrumentIds;
    private final AtomicLongArray values;
    private final int tail;
    private final java.util.List<String> parameterKeys;
    private final AtomicLongArray parameters;
    private final java.util.List<String> reportKeys;
    private final AtomicLongArray reports;

    StrategyView(int[] instrumentIds, java.util.List<String> parameterKeys, java.util.List<String> reportKeys) {
        this.parameterKeys = java.util.List.copyOf(parameterKeys);
        this.parameters = new AtomicLongArray(parameterKeys.size());
        this.reportKeys = java.util.List.copyOf(reportKeys);
        this.reports = new AtomicLongArray(reportKeys.size());
        this.instrumentIds = instrumentIds.clone();
        this.tail = instrumentIds.length * PER_INSTRUMENT;
        this.values = new AtomicLongArray(tail + 6);
        for (int i = 0; i < instrumentIds.length; i++) {
            values.set(i * PER_INSTRUMENT, NONE);
            values.set(i * PER_INSTRUMENT + 2, NONE);
        }
        values.set(tail + 1, NONE);
    }

    void publishQuote(int index, long bidTicks, long bidLots, long askTicks, long askLots) {
        int base = index * PER_INSTRUMENT;
        values.setRelease(base, bidTicks);
        values.setRelease(base + 1, bidLots);
        values.setRelease(base + 2, askTicks);
        values.setRelease(base + 3, askLots);
    }

    void publishTotals(long inventoryNanos, long fairValueNanos, boolean quoting, boolean halted, long timestampNanos) {
        values.setRelease(tail, inventoryNanos);
        values.setRelease(tail + 1, fairValueNanos);
        values.setRelease(tail + 2, quoting ? 1 : 0);
        values.setRelease(tail + 3, timestampNanos);
        values.setRelease(tail + 4, halted ? 1 : 0);
    }

    void publishOpenOrders(int open) {
        values.setRelease(tail + 5, open);
    }

    void publishParameter(int index, long value) {
        parameters.setRelease(index, value);
    }

    void publishReport(int index, long value) {
        reports.setRelease(index, value);
    }

    /** the keys of the figures the strategy reports ({@link io.mme.strategy.api.Strategy#reportKeys()}) */
    public java.util.List<String> reportKeys() {
        return reportKeys;
    }

    /** the value of report key {@code index} at the last TIMER event */
    public long report(int index) {
        return reports.getAcquire(index);
    }

    /** the strategy's parameter keys: the engine's, then the strategy's own */
    public java.util.List<String> parameterKeys() {
        return parameterKeys;
    }

    /** the value of parameter {@code index} of {@link #parameterKeys()} at the last TIMER */
    public long parameter(int index) {
        return parameters.getAcquire(index);
    }

    /** quote slots holding an order of ours (pending or live) at the last TIMER */
    public long openOrders() {
        return values.getAcquire(tail + 5);
    }

    public int instruments() {
        return instrumentIds.length;
    }

    /** the registry id of quoted instrument {@code index} */
    public int instrumentId(int index) {
        return instrumentIds[index];
    }

    public long bidTicks(int index) {
        return values.getAcquire(index * PER_INSTRUMENT);
    }

    public long bidLots(int index) {
        return values.getAcquire(index * PER_INSTRUMENT + 1);
    }

    public long askTicks(int index) {
        return values.getAcquire(index * PER_INSTRUMENT + 2);
    }

    public long askLots(int index) {
        return values.getAcquire(index * PER_INSTRUMENT + 3);
    }

    /** our net position in the base asset, 10^-9 base units */
    public long inventoryNanos() {
        return values.getAcquire(tail);
    }

    /** the last fair value the engine saw, 10^-9 quote units, or NONE */
    public long fairValueNanos() {
        return values.getAcquire(tail + 1);
    }

    public boolean quoting() {
        return values.getAcquire(tail + 2) == 1;
    }

    /** whether the strategy's code threw and it was halted (its reason: {@link StrategyUnit#haltReason()}) */
    public boolean halted() {
        return values.getAcquire(tail + 4) == 1;
    }

    /** event time of the TIMER that published these numbers (0: none yet) */
    public long publishedAtNanos() {
        return values.getAcquire(tail + 3);
    }
}
