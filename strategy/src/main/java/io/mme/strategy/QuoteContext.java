package io.mme.strategy;

import io.mme.core.instrument.Instrument;

import java.util.List;

/**
 * What a strategy may read when it quotes: event time, the pair's fair value, our inventory and the
 * quoted instruments. Filled by {@link StrategyEngine} before each {@link QuotingStrategy#quote}
 * call; owned by the engine's thread.
 */
public final class QuoteContext {
    private final Instrument[] instruments;
    private final double[] nanosPerTick;
    private final int maxLevels;
    private long timestampNanos;
    private long fairValueNanos;
    private long inventoryNanos;

    QuoteContext(List<Instrument> instruments, int maxLevels) {
        this.instruments = instruments.toArray(new Instrument[0]);
        this.nanosPerTick = new double[this.instruments.length];
        for (int i = 0; i < this.instruments.length; i++) {
            nanosPerTick[i] = this.instruments[i].nanosPerTick();
        }
        this.maxLevels = maxLevels;
    }

    void update(long timestampNanos, long fairValueNanos, long inventoryNanos) {
        this.timestampNanos = timestampNanos;
        this.fairValueNanos = fairValueNanos;
        this.inventoryNanos = inventoryNanos;
    }

    /** event time, epoch nanos */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** the pair's consolidated fair value, 10^-9 quote units */
    public long fairValueNanos() {
        return fairValueNanos;
    }

    /** our net position in the pair's base asset across all quoted venues, 10^-9 base units */
    public long inventoryNanos() {
        return inventoryNanos;
    }

    /** how many instruments (one per venue) the engine quotes */
    public int instruments() {
        return instruments.length;
    }

    public Instrument instrument(int index) {
        return instruments[index];
    }

    /** one tick of instrument {@code index} in 10^-9 quote units */
    public double nanosPerTick(int index) {
        return nanosPerTick[index];
    }

    /** levels per side the engine has slots for */
    public int maxLevels() {
        return maxLevels;
    }
}
