package io.mme.core.runtime;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait strategy of one ring, which lets every engine on it wait in its own way. A Disruptor
 * ring has one wait strategy for all its consumers; this one looks at the waiting thread (an
 * {@link EngineThread} knows its configured {@link WaitStrategyKind}) and waits accordingly.
 *
 * <p>Blocking is implemented here rather than with Disruptor's {@code BlockingWaitStrategy},
 * because that one blocks only until the producer publishes and then busy-spins while an engine
 * upstream in the chain is still working: on a 2-core machine with six engines that is five
 * spinning threads. Here a blocked engine parks until the sequence it depends on has moved, and it
 * is woken by whoever moved it: the producer (through {@link #signalAllWhenBlocking}) or the engine
 * upstream, which passes through {@link #waitFor} right after it published its previous batch
 * (Disruptor's processor sets its sequence, then asks for more).
 *
 * <p>An engine whose publisher holds events back (see {@link InboundPublisher}) must not sleep on
 * them: while it holds any, its wait ends after {@link #FLUSH_INTERVAL_NANOS} with Disruptor's
 * {@link TimeoutException}, the processor calls the handler's {@code onTimeout}, which flushes.
 * An engine that asked for idle wake-ups ({@link Engine#idleWakeUpNanos()}) is woken the same way.
 *
 * <p>Memory ordering: sequences are published with release stores, so a waker must not read the
 * waiter count before its own store is visible; with blocking waiters configured, wakers issue a
 * full fence first (the Dekker pattern against the waiter's atomic count increment followed by
 * its sequence read). The timed park is a backstop, not the mechanism.
 *
 * <p>Blocked threads park with {@link LockSupport} and register in a fixed array that wakers scan
 * and unpark: no lock and no condition queue, so blocking and waking allocate nothing (a
 * {@code Condition} allocates a queue node on every await, measured at about 27 bytes per event
 * through the chain).
 *
 * <p>A waker unparks only the waiters whose condition now holds: each waiter writes, beside its
 * slot, the sequence it waits on and the value it needs, and a waker reads that sequence. Without
 * this every publish on the inbound ring (every acknowledgement from a venue thread) woke every
 * blocked engine of the ring, including the ones gated behind the chain whose sequence had not
 * moved; on two cores those context switches took the CPU from the chain (issue 16: at 50
 * strategies the paper venue thread's samples were mostly in {@code unpark}). A thread keeps its
 * slot for the life of the ring, so a slot's sequence and value always belong to its thread.
 * Ordering: the waiter stores its value, then its sequence (release), fences, then reads the
 * sequence; the waker stores its own sequence, fences, then reads the waiter's; one of the two
 * sees the other's store (Dekker), so a wake-up is not lost.
 */
final class EngineWaitStrategy implements WaitStrategy {
    /** upper bound on a blocked engine's nap should a wake-up ever be missed */
    private static final long BACKSTOP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** how often an engine holding back events retries publishing them while idle */
    static final long FLUSH_INTERVAL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int SPIN_TRIES = 100;
    private static final long SLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final WaitStrategyKind otherThreads;
    private final boolean anyBlocking;
    /** blocked threads that may register at once; more still block, on the timed backstop only */
    static final int MAX_WAITERS = 64;
    /** the thread that owns each slot, for the life of the ring */
    private final AtomicReferenceArray<Thread> waiters = new AtomicReferenceArray<>(MAX_WAITERS);
    /** the sequence the slot's thread is blocked on, null while it is not blocked */
    private final AtomicReferenceArray<Sequence> blockedOn = new AtomicReferenceArray<>(MAX_WAITERS);
    /** the value of {@link #blockedOn} the slot's thread waits for (written before blockedOn) */
    private final long[] blockedUntil = new long[MAX_WAITERS];
    /** one past the highest slot ever taken: wakers scan below it */
    private volatile int slotsUsed;
    private final AtomicInteger blockedWaiters = new AtomicInteger();

    /**
     * @param otherThreads how threads that are not engine threads wait (none do in the pipeline)
     * @param anyBlocking  whether any engine on this ring blocks; if none does, wakers skip the fence
     */
    EngineWaitStrategy(WaitStrategyKind otherThreads, boolean anyBlocking) {
        this.otherThreads = otherThreads;
        this.anyBlocking = anyBlocking || otherThreads == WaitStrategyKind.BLOCKING;
    }

    @Override
    @SuppressWarnings("ThreadPriorityCheck") // the yielding kind yields: that is what it is configured for
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        // The caller finished its previous batch and published it before asking for more.
        wakeBlocked();
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        EngineThread engine = Thread.currentThread() instanceof EngineThread t ? t : null;
        WaitStrategyKind kind = engine != null ? engine.waitStrategy() : otherThreads;
        long maxWait = engine != null ? engine.maxWaitNanos(FLUSH_INTERVAL_NANOS) : 0;
        long deadline = maxWait > 0 ? System.nanoTime() + maxWait : 0;
        if (kind == WaitStrategyKind.BLOCKING) {
            return block(sequence, dependentSequence, barrier, deadline);
        }
        int tries = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            tries++;
            if (kind == WaitStrategyKind.BUSY_SPIN || tries <= SPIN_TRIES) {
                Thread.onSpinWait();
                if ((tries & 1023) != 0) {
                    continue;
                }
            } else if (kind == WaitStrategyKind.YIELDING || tries <= 2 * SPIN_TRIES) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(SLEEP_NANOS);
            }
            if (deadline != 0 && System.nanoTime() - deadline > 0) {
                throw TimeoutException.INSTANCE;
            }
        }
        return available;
    }

    private long block(long sequence, Sequence dependentSequence, SequenceBarrier barrier, long deadline)
            throws AlertException, InterruptedException, TimeoutException {
        Thread self = Thread.currentThread();
        int slot = slotOf(self);
        if (slot >= 0) {
            blockedUntil[slot] = sequence;
            blockedOn.set(slot, dependentSequence);
        }
        blockedWaiters.incrementAndGet();
        VarHandle.fullFence();
        long available;
        try {
            while ((available = dependentSequence.get()) < sequence) {
                barrier.checkAlert();
                long nap = BACKSTOP_NANOS;
                if (deadline != 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw TimeoutException.INSTANCE;
                    }
                    nap = Math.min(nap, left);
                }
                LockSupport.parkNanos(this, nap);
                if (Thread.interrupted()) {
                    throw new InterruptedException("engine thread " + self.getName() + " interrupted while blocked");
                }
            }
        } finally {
            blockedWaiters.decrementAndGet();
            if (slot >= 0) {
                blockedOn.set(slot, null);
            }
        }
        return available;
    }

    /**
     * The slot {@code thread} owns, taken on its first block and kept for the life of the ring;
     * -1 when all are taken (such a thread is woken by the backstop only).
     */
    private int slotOf(Thread thread) {
        int used = slotsUsed;
        for (int i = 0; i < used; i++) {
            if (waiters.get(i) == thread) {
                return i;
            }
        }
        for (int i = 0; i < MAX_WAITERS; i++) {
            if (waiters.get(i) == null && waiters.compareAndSet(i, null, thread)) {
                if (i >= slotsUsed) {
                    raiseSlotsUsed(i + 1);
                }
                return i;
            }
        }
        return -1;
    }

    private synchronized void raiseSlotsUsed(int used) {
        if (used > slotsUsed) {
            slotsUsed = used;
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        wakeBlocked();
    }

    private void wakeBlocked() {
        if (!anyBlocking) {
            return;
        }
        VarHandle.fullFence();
        if (blockedWaiters.get() > 0) {
            int used = slotsUsed;
            for (int i = 0; i < used; i++) {
                Sequence awaited = blockedOn.get(i);
                if (awaited != null && awaited.get() >= blockedUntil[i]) {
                    LockSupport.unpark(waiters.get(i));
                }
            }
        }
    }
}
