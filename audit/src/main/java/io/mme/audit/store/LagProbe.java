package io.mme.audit.store;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.RollingChronicleQueue;

import java.nio.file.Path;

/**
 * Counts the records of one journal queue after a given index, for the store's lag metric: a
 * read-only view of the queue (opened like the journal writers open it). The drain thread's.
 */
final class LagProbe implements AutoCloseable {
    private final ChronicleQueue queue;

    LagProbe(Path directory) {
        this.queue = ChronicleQueue.singleBuilder(directory).rollCycle(RollCycles.FAST_HOURLY).readOnly(true).build(); // the queue's own cycle wins
    }

    /** records after {@code index} (-1: all of them) */
    long after(long index) {
        long last = queue.lastIndex();
        if (last < 0 || last <= index) {
            return 0;
        }
        try {
            long from = index < 0 ? queue.firstIndex() : index;
            long count = ((RollingChronicleQueue) queue).countExcerpts(from, last);
            return index < 0 ? count + 1 : count;
        } catch (RuntimeException e) {
            // across roll cycles without the index files at hand: the part of the last cycle
            RollCycle cycle = queue.rollCycle();
            return index >= 0 && cycle.toCycle(index) == cycle.toCycle(last)
                    ? last - index : cycle.toSequenceNumber(last) + 1;
        }
    }

    @Override
    public void close() {
        queue.close();
    }
}
