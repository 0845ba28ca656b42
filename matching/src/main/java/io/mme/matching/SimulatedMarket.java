package io.mme.matching;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;

import java.util.SplittableRandom;

/**
 * Other participants' order flow for one instrument of the paper venue: limit orders, cancels and
 * market orders arrive as a Poisson process around a mid price that follows a random walk.
 * Seeded: the same parameters give the same stream of commands for the same arrival times, so a
 * strategy test can replay a market exactly (the book's response also depends on the engine's own
 * orders, which interleave by the venue clock).
 *
 * <p>The model draws in {@code double} (exponential gaps, Gaussian steps); what it sends to the book
 * is ticks and lots, like a strategy's output (DESIGN.md principle 3). Simulated participants have
 * negative owner ids and negative order ids, so they never collide with the engine's.
 *
 * <p>Thread: owned by the paper venue's engine thread (or a test's).
 */
public final class SimulatedMarket {
    /**
     * @param instrumentId                the book it trades in
     * @param seed                        random seed
     * @param initialMidTicks             where the mid starts
     * @param volatilityTicksPerSqrtSecond standard deviation of the mid's move over one second, in ticks
     * @param limitsPerSecond             arrival rate of limit orders
     * @param cancelsPerSecond            arrival rate of cancels (of a random live simulated order)
     * @param marketsPerSecond            arrival rate of market orders
     * @param meanDistanceTicks           mean distance of a limit order from the mid, on its own side
     * @param meanSizeLots                mean order size
     * @param initialOrdersPerSide        limit orders placed on each side at start
     * @param participants                how many simulated owners share the flow
     */
    public record Params(int instrumentId, long seed, long initialMidTicks, double volatilityTicksPerSqrtSecond,
                         double limitsPerSecond, double cancelsPerSecond, double marketsPerSecond,
                         double meanDistanceTicks, double meanSizeLots, int initialOrdersPerSide, int participants) {
        public Params {
            if (initialMidTicks <= 0) {
                throw new IllegalArgumentException("initial mid " + initialMidTicks + " ticks must be positive");
            }
            if (volatilityTicksPerSqrtSecond < 0 || limitsPerSecond < 0 || cancelsPerSecond < 0 || marketsPerSecond < 0) {
                throw new IllegalArgumentException("volatility and rates must not be negative");
            }
            if (limitsPerSecond + cancelsPerSecond + marketsPerSecond <= 0) {
                throw new IllegalArgumentException("at least one arrival rate must be positive");
            }
            if (meanDistanceTicks < 0 || meanSizeLots < 1 || initialOrdersPerSide < 0 || participants < 1) {
                throw new IllegalArgumentException("mean distance >= 0, mean size >= 1 lot, initial orders >= 0 and participants >= 1 required");
            }
        }
    }

    /** live simulated orders this market keeps track of for its cancels */
    static final int MAX_LIVE = 1 << 16;
    private static final double NANOS_PER_SECOND = 1e9;

    private final Params params;
    private final SplittableRandom random;
    private final double totalRate;
    private final long[] liveIds = new long[MAX_LIVE];
    private final long[] liveOwners = new long[MAX_LIVE];
    private int liveCount;
    private long nextOrderId = Long.MIN_VALUE + 1;
    private double mid;
    private long lastArrivalNanos;
    private long nextArrivalNanos;
    private long commands;
    private final SharedMidPath path;

    public SimulatedMarket(Params params, long startNanos) {
        this(params, startNanos, null);
    }

    /**
     * @param path the Brownian path the mid follows (shared with the other venues' markets of the
     *             same instrument), or null for a random walk of this market's own
     */
    public SimulatedMarket(Params params, long startNanos, SharedMidPath path) {
        this.path = path;
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.totalRate = params.limitsPerSecond() + params.cancelsPerSecond() + params.marketsPerSecond();
        this.mid = params.initialMidTicks();
        this.lastArrivalNanos = startNanos;
        this.nextArrivalNanos = startNanos + gapNanos();
    }

    public int instrumentId() {
        return params.instrumentId();
    }

    /**
     * Starts the market's clock at venue time {@code nanos} (the venue opens then): the first
     * arrival comes one random gap later, and a shared mid path is read relative to its own start.
     */
    public void startAt(long nanos) {
        lastArrivalNanos = nanos;
        nextArrivalNanos = nanos + gapNanos();
    }

    /** venue time of the next arrival */
    public long nextArrivalNanos() {
        return nextArrivalNanos;
    }

    /** the mid in whole ticks */
    public long midTicks() {
        return Math.max(1, Math.round(mid));
    }

    /** commands sent to the book so far */
    public long commands() {
        return commands;
    }

    /** Places the initial limit orders on both sides; {@code afterEachOrder} runs after each. */
    public void seed(OrderBook book, Runnable afterEachOrder) {
        for (int i = 0; i < params.initialOrdersPerSide(); i++) {
            placeLimit(book, Side.BUY);
            afterEachOrder.run();
            placeLimit(book, Side.SELL);
            afterEachOrder.run();
        }
    }

    /** Sends the next arrival to the book (its time is {@link #nextArrivalNanos()}) and draws the one after. */
    public void fireNext(OrderBook book) {
        if (path != null) {
            mid = Math.max(1, params.initialMidTicks() + params.volatilityTicksPerSqrtSecond() * path.at(nextArrivalNanos));
        } else {
            double dtSeconds = (nextArrivalNanos - lastArrivalNanos) / NANOS_PER_SECOND;
            mid = Math.max(1, mid + random.nextGaussian() * params.volatilityTicksPerSqrtSecond() * Math.sqrt(dtSeconds));
        }
        lastArrivalNanos = nextArrivalNanos;
        double u = random.nextDouble() * totalRate;
        if (u < params.limitsPerSecond()) {
            placeLimit(book, random.nextBoolean() ? Side.BUY : Side.SELL);
        } else if (u < params.limitsPerSecond() + params.cancelsPerSecond()) {
            cancelOne(book);
        } else {
            long size = size();
            book.newOrder(nextOrderId++, owner(), random.nextBoolean() ? Side.BUY : Side.SELL, OrderType.MARKET,
                    TimeInForce.IOC, false, SelfTradePrevention.NONE, 0, size);
            commands++;
        }
        nextArrivalNanos += gapNanos();
    }

    private void placeLimit(OrderBook book, Side side) {
        if (liveCount == MAX_LIVE) {
            cancelOne(book);
            return;
        }
        long distance = 1 + (long) exponential(params.meanDistanceTicks());
        long midTicks = midTicks();
        long price = side == Side.BUY ? Math.max(1, midTicks - distance) : midTicks + distance;
        long id = nextOrderId++;
        long owner = owner();
        book.newOrder(id, owner, side, OrderType.LIMIT, TimeInForce.GTC, false, SelfTradePrevention.NONE, price, size());
        commands++;
        if (book.contains(id)) {
            liveIds[liveCount] = id;
            liveOwners[liveCount] = owner;
            liveCount++;
        }
    }

    /** cancels a random live simulated order, skipping (and forgetting) ones that have traded away */
    private void cancelOne(OrderBook book) {
        while (liveCount > 0) {
            int i = random.nextInt(liveCount);
            long id = liveIds[i];
            long owner = liveOwners[i];
            liveCount--;
            liveIds[i] = liveIds[liveCount];
            liveOwners[i] = liveOwners[liveCount];
            if (book.contains(id)) {
                book.cancel(owner, id);
                commands++;
                return;
            }
        }
    }

    private long owner() {
        return -1 - random.nextInt(params.participants());
    }

    private long size() {
        return 1 + (long) exponential(params.meanSizeLots() - 1);
    }

    private long gapNanos() {
        return Math.max(1, (long) (exponential(1.0 / totalRate) * NANOS_PER_SECOND));
    }

    private double exponential(double mean) {
        return mean <= 0 ? 0 : -Math.log(1.0 - random.nextDouble()) * mean;
    }
}
