package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Tails one of the journal's queues (inputs, decisions or orders) from the start, decoding each
 * record; {@link #next()} returns null when nothing more is there yet, and more later when the
 * writer appended. For the audit writers that drain the journal into the stores, off the hot path
 * (decoding allocates). One thread.
 *
 * @param <T> the decoded record
 */
public final class RecordCursor<T> implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final Function<Bytes<?>, T> decoder;
    private final String name;

    private RecordCursor(Path directory, Function<Bytes<?>, T> decoder, String name) {
        this.queue = Queues.open(directory, true);
        this.tailer = queue.createTailer();
        this.decoder = decoder;
        this.name = name + " journal in " + directory;
    }

    /** the decisions queue ({@link DecisionJournalEngine}) */
    public static RecordCursor<DecisionRecord> decisions(Path directory) {
        return new RecordCursor<>(directory, DecisionRecord::read, "decision");
    }

    /** the orders queue ({@link OrderJournalEngine}) */
    public static RecordCursor<OrderRecord> orders(Path directory) {
        return new RecordCursor<>(directory, OrderRecord::read, "order");
    }

    /** the input queue ({@link JournalEngine}); each record is a new InboundEvent holding the input part */
    public static RecordCursor<InboundEvent> inputs(Path directory) {
        return new RecordCursor<>(directory, in -> {
            InboundEvent event = new InboundEvent();
            JournalFormat.read(in, event);
            return event;
        }, "input");
    }

    /**
     * The next record, or null when the writer has not appended more yet.
     *
     * @throws JournalException naming the queue and the position of a record that cannot be read
     */
    public T next() {
        try (DocumentContext document = tailer.readingDocument()) {
            if (!document.isPresent()) {
                return null;
            }
            try {
                return decoder.apply(document.wire().bytes());
            } catch (RuntimeException e) {
                throw new JournalException("the " + name + " has an unreadable record at index "
                        + Long.toHexString(document.index()) + ": " + e, e);
            }
        }
    }

    /** the queue index of the last record read, to come back to with {@link #moveTo} */
    public long index() {
        return tailer.lastReadIndex();
    }

    /** moves to just after the record at {@code index} (from {@link #index()}) */
    public boolean moveTo(long index) {
        boolean found = tailer.moveToIndex(index);
        if (found) {
            try (DocumentContext document = tailer.readingDocument()) {
                // skip the record at the index itself: it was read before
                document.isPresent();
            }
        }
        return found;
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
