package io.mme.backtest;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.marketdata.L2Book;

import java.util.Arrays;

/**
 * What the report is computed from, collected as the backtest runs: every fill (time, price,
 * quantity, side, maker or taker, fee), every command sent, and per instrument a sample every
 * {@link #SAMPLE_NANOS} of event time of the mid, our position and cash, and our best quotes.
 * Positions and cash are kept here from the simulated fills, independent of the risk engine, so
 * the report is a second opinion on the engine's own ledger.
 *
 * <p>Arrays grow by doubling; nothing is allocated per event otherwise. Thread: the backtest's.
 */
public final class BacktestRecorder implements SimulatedExchange.Listener {
    /** the sampling step of mids, positions and quotes: 100 ms of event time */
    public static final long SAMPLE_NANOS = 100_000_000L;

    private final InstrumentRegistry registry;
    private final boolean[] simulated;
    private final double[] makerFee;
    private final double[] takerFee;

    // per instrument running state
    final double[] position;
    final double[] cash;
    final double[] fees;
    final long[] ordersSent;
    final long[] replacesSent;
    final long[] cancelsSent;
    final long[] rejected;
    final double[] quantitySent;

    // fills
    int fillCount;
    long[] fillTime = new long[1024];
    int[] fillInstrument = new int[1024];
    boolean[] fillBuy = new boolean[1024];
    boolean[] fillMaker = new boolean[1024];
    double[] fillPrice = new double[1024];
    double[] fillQuantity = new double[1024];
    double[] fillFee = new double[1024];
    double[] fillMid = new double[1024];

    // samples: time, then per instrument mid, position, cash (fees included), our bid and ask (NaN: none)
    int sampleCount;
    long[] sampleTime = new long[4096];
    final double[][] sampleMid;
    final double[][] samplePosition;
    final double[][] sampleCash;
    final double[][] sampleBid;
    final double[][] sampleAsk;
    private long nextSample = Long.MIN_VALUE;

    public BacktestRecorder(InstrumentRegistry registry, boolean[] simulated, long[] makerFeeBps, long[] takerFeeBps) {
        this.registry = registry;
        this.simulated = simulated.clone();
        int n = registry.size();
        makerFee = new double[n];
        takerFee = new double[n];
        for (int i = 0; i < n; i++) {
            makerFee[i] = makerFeeBps[i] / 10_000d;
            takerFee[i] = takerFeeBps[i] / 10_000d;
        }
        position = new double[n];
        cash = new double[n];
        fees = new double[n];
        ordersSent = new long[n];
        replacesSent = new long[n];
        cancelsSent = new long[n];
        rejected = new long[n];
        quantitySent = new double[n];
        lastMid = new double[n];
        Arrays.fill(lastMid, Double.NaN);
        sampleMid = new double[n][4096];
        samplePosition = new double[n][4096];
        sampleCash = new double[n][4096];
        sampleBid = new double[n][4096];
        sampleAsk = new double[n][4096];
    }

    InstrumentRegistry registry() {
        return registry;
    }

    boolean simulated(int id) {
        return simulated[id];
    }

    @Override
    public void commandSent(int instrumentId, OrderCommandType type, long quantityLots) {
        switch (type) {
            case NEW -> {
                ordersSent[instrumentId]++;
                quantitySent[instrumentId] += registry.get(instrumentId).quantityNanos(quantityLots) / 1e9;
            }
            case REPLACE -> {
                replacesSent[instrumentId]++;
                quantitySent[instrumentId] += registry.get(instrumentId).quantityNanos(quantityLots) / 1e9;
            }
            case CANCEL, CANCEL_ALL -> cancelsSent[instrumentId]++;
            default -> { }
        }
    }

    @Override
    public void rejected(int instrumentId) {
        rejected[instrumentId]++;
    }

    /** a fill at the exchange; {@code mid} is filled in by {@link #sample} callers through {@link #lastMid} */
    @Override
    public void fill(long timeNanos, int instrumentId, Side side, long priceTicks, long quantityLots, boolean maker) {
        Instrument instrument = registry.get(instrumentId);
        double px = instrument.priceNanos(priceTicks) / 1e9;
        double qty = instrument.quantityNanos(quantityLots) / 1e9;
        double fee = px * qty * (maker ? makerFee[instrumentId] : takerFee[instrumentId]);
        boolean buy = side == Side.BUY;
        position[instrumentId] += buy ? qty : -qty;
        cash[instrumentId] += (buy ? -px * qty : px * qty) - fee;
        fees[instrumentId] += fee;
        if (fillCount == fillTime.length) {
            int m = fillCount * 2;
            fillTime = Arrays.copyOf(fillTime, m);
            fillInstrument = Arrays.copyOf(fillInstrument, m);
            fillBuy = Arrays.copyOf(fillBuy, m);
            fillMaker = Arrays.copyOf(fillMaker, m);
            fillPrice = Arrays.copyOf(fillPrice, m);
            fillQuantity = Arrays.copyOf(fillQuantity, m);
            fillFee = Arrays.copyOf(fillFee, m);
            fillMid = Arrays.copyOf(fillMid, m);
        }
        int f = fillCount++;
        fillTime[f] = timeNanos;
        fillInstrument[f] = instrumentId;
        fillBuy[f] = buy;
        fillMaker[f] = maker;
        fillPrice[f] = px;
        fillQuantity[f] = qty;
        fillFee[f] = fee;
        fillMid[f] = lastMid[instrumentId];
    }

    /** the latest mid per instrument (NaN before there is one), kept current by {@link #observe} */
    private final double[] lastMid;

    /**
     * Called by the driver as time passes: takes samples at every 100 ms boundary up to {@code now}
     * from the simulated exchange's view of the market and of our orders.
     */
    void observe(long now, SimulatedExchange exchange) {
        for (int id = 0; id < simulated.length; id++) {
            if (simulated[id]) {
                long bid = exchange.bestBid(id);
                long ask = exchange.bestAsk(id);
                if (bid != L2Book.NO_PRICE && ask != L2Book.NO_PRICE) {
                    Instrument instrument = registry.get(id);
                    lastMid[id] = (instrument.priceNanos(bid) + instrument.priceNanos(ask)) / 2e9;
                }
            }
        }
        if (nextSample == Long.MIN_VALUE) {
            nextSample = now - Math.floorMod(now, SAMPLE_NANOS);
        }
        while (nextSample <= now) {
            sample(nextSample, exchange);
            nextSample += SAMPLE_NANOS;
        }
    }

    private void sample(long t, SimulatedExchange exchange) {
        if (sampleCount == sampleTime.length) {
            int m = sampleCount * 2;
            sampleTime = Arrays.copyOf(sampleTime, m);
            for (int id = 0; id < simulated.length; id++) {
                sampleMid[id] = Arrays.copyOf(sampleMid[id], m);
                samplePosition[id] = Arrays.copyOf(samplePosition[id], m);
                sampleCash[id] = Arrays.copyOf(sampleCash[id], m);
                sampleBid[id] = Arrays.copyOf(sampleBid[id], m);
                sampleAsk[id] = Arrays.copyOf(sampleAsk[id], m);
            }
        }
        int s = sampleCount++;
        sampleTime[s] = t;
        for (int id = 0; id < simulated.length; id++) {
            sampleMid[id][s] = lastMid[id];
            samplePosition[id][s] = position[id];
            sampleCash[id][s] = cash[id];
            if (simulated[id]) {
                Instrument instrument = registry.get(id);
                long bid = exchange.ourBest(id, Side.BUY);
                long ask = exchange.ourBest(id, Side.SELL);
                sampleBid[id][s] = bid == L2Book.NO_PRICE ? Double.NaN : instrument.priceNanos(bid) / 1e9;
                sampleAsk[id][s] = ask == L2Book.NO_PRICE ? Double.NaN : instrument.priceNanos(ask) / 1e9;
            } else {
                sampleBid[id][s] = Double.NaN;
                sampleAsk[id][s] = Double.NaN;
            }
        }
    }
}
