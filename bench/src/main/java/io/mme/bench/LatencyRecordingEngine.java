package io.mme.bench;

import io.mme.core.ring.OrderCommand;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps an outbound engine (the paper venue) and records, on the engine's own thread, how long
 * after its planned send time each command finished processing. The load generator writes the
 * planned send time into the command's timestamp, so the latency includes any time the command
 * waited to be sent or queued in the ring: no coordinated omission.
 *
 * <p>Only the ring sequences from {@code firstRecorded} to {@code last} are recorded; the bytes
 * the engine thread allocated over exactly that range are measured here too. Reading the clock in
 * an engine is what the architecture rule forbids, and the reason this class lives in the bench
 * package, which the rule exempts.
 *
 * <p>Thread: {@link #onEvent} on the engine thread; the results are read by the load generator
 * after {@link #done()} (a volatile read after the volatile write that ends the measurement) or
 * after the pipeline's threads were joined.
 */
final class LatencyRecordingEngine implements Engine<OrderCommand> {
    /** latencies above this are recorded as this (the histogram never resizes, never allocates) */
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Engine<OrderCommand> delegate;
    private final long firstRecorded;
    private final long last;
    private final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    /** commands processed: written by the engine thread (ordered store), read by the load generator */
    private final AtomicLong processed = new AtomicLong();
    private com.sun.management.ThreadMXBean threads;
    private long allocatedAtStart = -1;
    private long allocatedAtEnd = -1;
    private long cpuAtStart;
    private long cpuAtEnd;
    private long lastEndNanos;
    private long clampedCount;
    private volatile boolean done;

    /**
     * @param firstRecorded the ring sequence of the first command measured
     * @param last          the ring sequence of the last command measured (and of the stream)
     */
    LatencyRecordingEngine(Engine<OrderCommand> delegate, long firstRecorded, long last) {
        this.delegate = delegate;
        this.firstRecorded = firstRecorded;
        this.last = last;
    }

    @Override
    public void onStart(EngineContext context) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t)
                || !t.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's allocated bytes");
        }
        t.setThreadAllocatedMemoryEnabled(true);
        threads = t;
        // the first calls may allocate (class loading, lazy set-up): not inside the measurement
        allocatedAtStart = t.getCurrentThreadAllocatedBytes();
        cpuAtStart = t.getCurrentThreadCpuTime();
        delegate.onStart(context);
    }

    @Override
    public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) throws Exception {
        if (sequence == firstRecorded) {
            allocatedAtStart = threads.getCurrentThreadAllocatedBytes();
            cpuAtStart = threads.getCurrentThreadCpuTime();
        }
        delegate.onEvent(command, sequence, endOfBatch);
        long now = System.nanoTime();
        if (sequence >= firstRecorded) {
            long latency = now - command.timestampNanos();
            if (latency > HIGHEST_NANOS) {
                latency = HIGHEST_NANOS;
                clampedCount++;
            }
            histogram.recordValue(Math.max(0, latency));
            if (sequence == last) {
                allocatedAtEnd = threads.getCurrentThreadAllocatedBytes();
                cpuAtEnd = threads.getCurrentThreadCpuTime();
                lastEndNanos = now;
                done = true;
            }
        }
        processed.lazySet(sequence + 1);
    }

    @Override
    public void onShutdown() {
        delegate.onShutdown();
    }

    long processed() {
        return processed.get();
    }

    boolean done() {
        return done;
    }

    Histogram histogram() {
        return histogram;
    }

    /** bytes the engine thread allocated from the first measured command to the end of the last */
    long allocatedBytes() {
        return allocatedAtEnd - allocatedAtStart;
    }

    /** CPU time the engine thread got from the first measured command to the end of the last */
    long cpuNanos() {
        return cpuAtEnd - cpuAtStart;
    }

    /** System.nanoTime() when the last command was processed */
    long lastEndNanos() {
        return lastEndNanos;
    }

    /** latencies above {@link #HIGHEST_NANOS}, recorded as that */
    long clampedCount() {
        return clampedCount;
    }
}
