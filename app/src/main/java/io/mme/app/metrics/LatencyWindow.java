package io.mme.app.metrics;

import io.mme.analytics.LatencyEngine;
import io.mme.analytics.LatencySummary;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tick-to-quote over the last {@value #SECONDS} seconds, for the web page's tiles (the stream's
 * status message): they show the latest figures whether or not anyone scrapes /metrics. Once a
 * second ({@link #tick()}) it samples the latency recorder under the exporter's lock, copies the
 * cumulative tick-to-quote into a ring of {@value #SECONDS} + 1 preallocated copies and publishes the
 * percentiles of the newest minus the oldest. Other samplers (scrapes, the console) do not disturb
 * it: each works on the cumulative histograms.
 *
 * <p>Threads: its own thread {@code mme-latency-window} runs {@link #tick()} and owns the copies;
 * {@link #last()} may be read by any thread (a volatile reference to an immutable summary).
 */
public final class LatencyWindow implements AutoCloseable {
    /** the window the tiles show */
    public static final int SECONDS = 5;
    /** the histogram's bucket bounds in µs (a 1-2-5 series): bucket i holds (UPPER_MICROS[i-1], UPPER_MICROS[i]], the last one above all */
    static final long[] UPPER_MICROS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000};

    /**
     * Tick-to-quote over the window as counts per bucket of {@link #UPPER_MICROS} (one more for
     * everything above the last bound). Immutable once published.
     */
    public record Histogram5s(long[] counts) {
        /** the bucket bounds in µs (the last bucket has none) */
        public long[] upperMicros() {
            return UPPER_MICROS.clone();
        }
    }
    private static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0, 0);

    private final LatencyEngine latency;
    private final Object lock;
    private final Histogram[] ring = new Histogram[SECONDS + 1];
    private final Histogram scratch = LatencyEngine.newHistogram();
    private int ticks;
    private volatile LatencySummary last = NONE;
    private volatile Histogram5s lastHistogram = new Histogram5s(new long[UPPER_MICROS.length + 1]);
    private volatile boolean running;
    private Thread thread;

    LatencyWindow(LatencyEngine latency, Object lock) {
        this.latency = latency;
        this.lock = lock;
        for (int i = 0; i < ring.length; i++) {
            ring[i] = LatencyEngine.newHistogram();
        }
    }

    /** starts the thread that ticks once a second */
    public synchronized LatencyWindow start() {
        if (thread == null) {
            running = true;
            thread = new Thread(() -> {
                long next = System.nanoTime();
                while (running) {
                    tick();
                    next += TimeUnit.SECONDS.toNanos(1);
                    long wait;
                    while (running && (wait = next - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            }, "mme-latency-window");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /** one step: sample, copy, publish the window (the window thread, or a test instead of it) */
    void tick() {
        Histogram newest = ring[ticks % ring.length];
        synchronized (lock) {
            latency.sample();
            latency.copyTickToQuote(newest);
        }
        ticks++;
        // the oldest copy in the ring; until the ring is full, the window starts at the first copy (nothing before it)
        Histogram oldest = ticks >= ring.length ? ring[ticks % ring.length] : null;
        last = LatencySummary.between(newest, oldest, scratch);
        // the window's values per bucket, from cumulative counts so that no value is counted twice
        long[] counts = new long[UPPER_MICROS.length + 1];
        long below = 0;
        long total = scratch.getTotalCount();
        for (int i = 0; i < UPPER_MICROS.length && total > 0; i++) {
            long atOrBelow = scratch.getCountBetweenValues(0, UPPER_MICROS[i] * 1000);
            counts[i] = atOrBelow - below;
            below = atOrBelow;
        }
        counts[UPPER_MICROS.length] = total - below;
        lastHistogram = new Histogram5s(counts);
    }

    /** tick-to-quote over the last {@value #SECONDS} seconds per µs bucket, as of the latest tick (one small array a second) */
    public Histogram5s lastHistogram() {
        return lastHistogram;
    }

    /** tick-to-quote over the last {@value #SECONDS} seconds as of the latest tick (no samples before the first) */
    public LatencySummary last() {
        return last;
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
