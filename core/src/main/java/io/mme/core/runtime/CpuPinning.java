package io.mme.core.runtime;

import net.openhft.affinity.AffinityLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;

/**
 * Pins engine threads to CPUs with OpenHFT Affinity. A CPU is used only when it exists, is in this
 * process's allowed set and is not already held by another engine; otherwise the thread runs
 * unpinned and a warning says why. Pinning never stops an engine from starting.
 *
 * <p>Thread-safety: {@link #pin} runs on each engine thread as it starts; the set of CPUs handed
 * out is guarded by this object's monitor.
 */
public final class CpuPinning {
    private static final Logger LOG = LoggerFactory.getLogger(CpuPinning.class);

    private final int processors;
    private final BitSet allowed;
    private final BitSet taken = new BitSet();

    /** pinning against the machine this JVM runs on */
    public CpuPinning() {
        this(Runtime.getRuntime().availableProcessors(), AffinityLock.BASE_AFFINITY);
    }

    CpuPinning(int processors, BitSet allowed) {
        this.processors = processors;
        this.allowed = (BitSet) allowed.clone();
    }

    /** The outcome of one pinning attempt; {@link #release()} gives the CPU back. */
    public static final class Outcome {
        private final AffinityLock lock;
        private final int cpu;
        private final String description;
        private final CpuPinning owner;

        private Outcome(CpuPinning owner, AffinityLock lock, int cpu, String description) {
            this.owner = owner;
            this.lock = lock;
            this.cpu = cpu;
            this.description = description;
        }

        public boolean pinned() {
            return lock != null;
        }

        /** the CPU the thread is pinned to, or -1 */
        public int cpu() {
            return cpu;
        }

        public String description() {
            return description;
        }

        public void release() {
            if (lock != null) {
                lock.release();
                owner.released(cpu);
            }
        }
    }

    /**
     * Pins the calling thread to {@code cpu} if it can.
     *
     * @param engine name for the log
     * @param cpu    the CPU config asked for; {@link EngineSpec#NO_CPU} asks for no pinning
     */
    public Outcome pin(String engine, int cpu) {
        if (cpu == EngineSpec.NO_CPU) {
            return new Outcome(this, null, -1, "unpinned (none configured)");
        }
        String refusal = reserve(cpu);
        if (refusal != null) {
            LOG.warn("engine {}: cannot pin to cpu {}: {}; running unpinned", engine, cpu, refusal);
            return new Outcome(this, null, -1, "unpinned: cpu " + cpu + " " + refusal);
        }
        AffinityLock lock;
        try {
            lock = AffinityLock.acquireLock(cpu);
        } catch (RuntimeException | LinkageError e) {
            released(cpu);
            LOG.warn("engine {}: pinning to cpu {} failed ({}); running unpinned", engine, cpu, e.toString());
            return new Outcome(this, null, -1, "unpinned: affinity failed on cpu " + cpu);
        }
        if (lock == null || !lock.isAllocated() || lock.cpuId() != cpu) {
            if (lock != null) {
                lock.release();
            }
            released(cpu);
            LOG.warn("engine {}: cpu {} is held by another thread or reserved for the OS; running unpinned", engine, cpu);
            return new Outcome(this, null, -1, "unpinned: cpu " + cpu + " not free");
        }
        LOG.info("engine {}: pinned to cpu {}", engine, cpu);
        return new Outcome(this, lock, cpu, "cpu " + cpu);
    }

    private synchronized String reserve(int cpu) {
        if (cpu < 0 || cpu >= processors) {
            return "does not exist (this machine has cpus 0.." + (processors - 1) + ")";
        }
        if (!allowed.get(cpu)) {
            return "is outside this process's allowed cpus " + allowed;
        }
        if (taken.get(cpu)) {
            return "is already taken by another engine";
        }
        taken.set(cpu);
        return null;
    }

    private synchronized void released(int cpu) {
        taken.clear(cpu);
    }
}
