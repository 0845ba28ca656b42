package io.mme.audit;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.bytes.Bytes;

import java.nio.file.Path;

/** Opening the journal's Chronicle Queues alike, and reading the last record of one. Stateless. */
final class Queues {
    private Queues() {
    }

    /** opens a queue to read it (an existing queue's own roll cycle wins over the default given here): no sync */
    static ChronicleQueue open(Path directory, boolean readOnly) {
        return open(directory, readOnly, JournalRoll.DEFAULT);
    }

    /** opens a queue to read it, or to copy into it (recovery): no sync; a new queue rolls as {@code roll} says */
    static ChronicleQueue open(Path directory, boolean readOnly, JournalRoll roll) {
        return build(builder(directory, readOnly, JournalSync.NONE, roll));
    }

    /**
     * The builder of a journal queue; {@code sync} is {@code journal.sync}, for the queues an engine
     * writes, {@code roll} is {@code journal.roll} (a queue that exists keeps the cycle it was made with).
     */
    static SingleChronicleQueueBuilder builder(Path directory, boolean readOnly, JournalSync sync, JournalRoll roll) {
        return ChronicleQueue.singleBuilder(directory).rollCycle(roll.cycle()).readOnly(readOnly).syncMode(sync.mode());
    }

    static ChronicleQueue build(SingleChronicleQueueBuilder builder) {
        try {
            ChronicleQueue queue = builder.build();
            // the files as they are now: retention removes old ones, an operator may put archived ones back
            ((net.openhft.chronicle.queue.impl.single.SingleChronicleQueue) queue).refreshDirectoryListing();
            return queue;
        } catch (RuntimeException e) {
            throw new JournalException("cannot open the journal queue in " + builder.path() + ": " + e.getMessage(), e);
        }
    }

    /** reads the last record of {@code queue} with {@code reader}; returns its result, or {@code none} when the queue is empty */
    static long lastRecord(ChronicleQueue queue, java.util.function.ToLongFunction<Bytes<?>> reader, long none) {
        try (ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
            try (DocumentContext document = tailer.readingDocument()) {
                if (!document.isPresent()) {
                    return none;
                }
                return reader.applyAsLong(document.wire().bytes());
            }
        }
    }
}
