package io.mme.app;

import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderUpdate;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Side;
import io.mme.strategy.api.StateIn;
import io.mme.strategy.api.StateOut;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.TakerOrders;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * A strategy wrapped for {@code strategy check}: every callback and {@link #quote} is timed
 * ({@link System#nanoTime()}) and its allocation counted (the JVM's per-thread allocated bytes)
 * into one histogram pair per callback, then passed on. Measuring itself allocates nothing after
 * construction (preallocated histograms over a fixed range). Thread: the strategy engine's; read
 * {@link #calls} and the histograms after the engine stopped.
 */
final class MeasuredStrategy implements Strategy {
    /** the measured callbacks, in report order */
    static final List<String> CALLBACKS = List.of("onBook", "onFairValue", "onTrade", "onFill", "onOrderUpdate", "onTimer", "quote",
            "onTakerUpdate", "take");
    private static final int BOOK = 0;
    private static final int FAIR_VALUE = 1;
    private static final int TRADE = 2;
    private static final int FILL = 3;
    private static final int ORDER_UPDATE = 4;
    private static final int TIMER = 5;
    private static final int QUOTE = 6;
    private static final int TAKER_UPDATE = 7;
    private static final int TAKE = 8;

    private final Strategy strategy;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    final Histogram[] nanos = new Histogram[CALLBACKS.size()];
    final Histogram[] bytes = new Histogram[CALLBACKS.size()];
    final long[] calls = new long[CALLBACKS.size()];
    private long startNanos;
    private long startBytes;

    MeasuredStrategy(Strategy strategy) {
        this.strategy = strategy;
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = new Histogram(60_000_000_000L, 3);
            bytes[i] = new Histogram(1L << 40, 3);
        }
    }

    private void begin() {
        startBytes = threads.getCurrentThreadAllocatedBytes();
        startNanos = System.nanoTime();
    }

    private void end(int callback) {
        long took = System.nanoTime() - startNanos;
        long allocated = threads.getCurrentThreadAllocatedBytes() - startBytes;
        calls[callback]++;
        nanos[callback].recordValue(Math.min(took, nanos[callback].getHighestTrackableValue()));
        bytes[callback].recordValue(Math.max(0, Math.min(allocated, bytes[callback].getHighestTrackableValue())));
    }

    @Override
    public String name() {
        return strategy.name();
    }

    @Override
    public void start(MarketView market) {
        strategy.start(market);
    }

    @Override
    public void onBook(int instrument) {
        begin();
        strategy.onBook(instrument);
        end(BOOK);
    }

    @Override
    public void onFairValue(long timeNanos, long fairValueNanos) {
        begin();
        strategy.onFairValue(timeNanos, fairValueNanos);
        end(FAIR_VALUE);
    }

    @Override
    public void onTrade(int instrument, long priceTicks, long quantityLots, Side aggressor, long timeNanos) {
        begin();
        strategy.onTrade(instrument, priceTicks, quantityLots, aggressor, timeNanos);
        end(TRADE);
    }

    @Override
    public void onFill(int instrument, Side side, long priceTicks, long quantityLots, long timeNanos) {
        begin();
        strategy.onFill(instrument, side, priceTicks, quantityLots, timeNanos);
        end(FILL);
    }

    @Override
    public void onFill(int instrument, Side side, long priceTicks, long quantityLots, boolean taker, long timeNanos) {
        begin();
        strategy.onFill(instrument, side, priceTicks, quantityLots, taker, timeNanos);
        end(FILL);
    }

    @Override
    public void onTakerUpdate(long takerOrderId, int instrument, Side side, OrderUpdate update, long filledLots,
                              long unfilledLots, int reasonCode, long timeNanos) {
        begin();
        strategy.onTakerUpdate(takerOrderId, instrument, side, update, filledLots, unfilledLots, reasonCode, timeNanos);
        end(TAKER_UPDATE);
    }

    @Override
    public void take(TakerOrders out) {
        begin();
        strategy.take(out);
        end(TAKE);
    }

    @Override
    public List<String> reportKeys() {
        return strategy.reportKeys();
    }

    @Override
    public long report(String key) {
        return strategy.report(key);
    }

    @Override
    public void onOrderUpdate(int instrument, Side side, int level, OrderUpdate update, int reasonCode, long timeNanos) {
        begin();
        strategy.onOrderUpdate(instrument, side, level, update, reasonCode, timeNanos);
        end(ORDER_UPDATE);
    }

    @Override
    public void onTimer(long timeNanos) {
        begin();
        strategy.onTimer(timeNanos);
        end(TIMER);
    }

    @Override
    public void quote(Quotes out) {
        begin();
        strategy.quote(out);
        end(QUOTE);
    }

    @Override
    public List<String> parameterKeys() {
        return strategy.parameterKeys();
    }

    @Override
    public String setParameter(String key, long value) {
        return strategy.setParameter(key, value);
    }

    @Override
    public long parameter(String key) {
        return strategy.parameter(key);
    }

    @Override
    public void writeState(StateOut out) {
        strategy.writeState(out);
    }

    @Override
    public void readState(StateIn in) {
        strategy.readState(in);
    }
}
