package io.mme.venuegateway;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * The matching engine as a venue, wired in one place:
 *
 * <pre>
 *  TCP clients ──▶ [mme-venue-io] frame, login, throttle, validate
 *                        │ command ring (SPSC, 1 MiB)
 *                        ▼
 *                  [mme-venue-matching] books (price-time), ids, market data sequence
 *                        │ output ring (SPSC, 16 MiB)
 *                        ▼
 *                  [mme-venue-io] ──▶ each session's outbound buffer (TCP)
 *                                 ──▶ UDP market data stream, UDP execution report stream
 * </pre>
 *
 * Start with {@link #start()}, stop with {@link #close()} (any thread). The two threads are the
 * only owners of their state; this class holds them and the counters.
 */
public final class VenueServer implements AutoCloseable {
    static final int COMMAND_RING_BYTES = 1 << 20;
    static final int OUTPUT_RING_BYTES = 1 << 24;
    private final VenueCounters counters = new VenueCounters();
    private final VenueIoLoop io;
    private final MatchingLoop matching;
    private final Thread ioThread;
    private final Thread matchingThread;

    public VenueServer(VenueConfig config) {
        this(config, seq -> false);
    }

    /**
     * @param dropMarketDataPacket fault injection for tests: market data packets whose first sequence
     *                             it accepts are not sent (the subscribers see a gap)
     */
    public VenueServer(VenueConfig config, LongPredicate dropMarketDataPacket) {
        this(config, dropMarketDataPacket, seq -> false);
    }

    /**
     * @param dropMarketDataPacket fault injection for tests (market data packets not sent)
     * @param dropExecutionPacket  the same for the execution report stream
     */
    public VenueServer(VenueConfig config, LongPredicate dropMarketDataPacket, LongPredicate dropExecutionPacket) {
        OneToOneRingBuffer commands = VenueRings.ring(COMMAND_RING_BYTES);
        OneToOneRingBuffer output = VenueRings.ring(OUTPUT_RING_BYTES);
        // 1. the I/O thread: sockets in, commands to the ring; output ring to sockets and UDP
        io = new VenueIoLoop(config, commands, output, counters, dropMarketDataPacket, dropExecutionPacket);
        // 2. the matching thread: commands from the ring, output to the ring, wakes the I/O thread
        matching = new MatchingLoop(config.books(), config.maxSessions(), commands, output,
                new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(50)),
                io::wakeIfSelecting);
        ioThread = new Thread(io, "mme-venue-io");
        matchingThread = new Thread(matching, "mme-venue-matching");
        ioThread.setDaemon(true);
        matchingThread.setDaemon(true);
    }

    public VenueServer start() {
        matchingThread.start();
        ioThread.start();
        return this;
    }

    /** the TCP port of the order entry (useful when the configuration asked for port 0) */
    public int orderEntryPort() {
        return io.port();
    }

    public VenueCounters counters() {
        return counters;
    }

    /**
     * CPU time each venue thread has used so far (ThreadMXBean; a figure that the other processes on
     * a loaded machine do not inflate, unlike wall time), e.g. {@code ioCpu=1.20s matchingCpu=0.80s}, and the bytes each
     * has allocated (the hot paths should allocate nothing after start-up).
     */
    public String cpuSummary() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        String cpu = String.format("ioCpu=%.2fs matchingCpu=%.2fs", mx.getThreadCpuTime(ioThread.threadId()) / 1e9,
                mx.getThreadCpuTime(matchingThread.threadId()) / 1e9);
        if (mx instanceof com.sun.management.ThreadMXBean hotspot) {
            cpu += " ioAllocated=" + hotspot.getThreadAllocatedBytes(ioThread.threadId())
                    + "B matchingAllocated=" + hotspot.getThreadAllocatedBytes(matchingThread.threadId()) + "B";
        }
        return cpu;
    }

    /** bytes allocated so far by the I/O and the matching thread together (HotSpot's ThreadMXBean) */
    long threadsAllocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.getThreadAllocatedBytes(ioThread.threadId()) + mx.getThreadAllocatedBytes(matchingThread.threadId());
    }

    @Override
    public void close() {
        io.stop();
        matching.stop();
        try {
            ioThread.join(5_000);
            matchingThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
