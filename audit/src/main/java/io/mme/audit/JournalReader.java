package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a journal written by {@link JournalEngine} from the start, record by record, into one
 * reused {@link InboundEvent}. Checks that sequences run 0, 1, 2, ... without a gap, since a
 * replay relies on the ring giving each event its journaled sequence. One thread.
 */
public final class JournalReader implements AutoCloseable {
    /** receives each record; the event is reused for the next one */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(InboundEvent event);
    }

    private final Path directory;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final InboundEvent event = new InboundEvent();
    private long expected;

    public JournalReader(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new JournalException("no journal at " + directory + ": not a directory");
        }
        this.directory = directory;
        this.queue = Queues.open(directory, true);
        this.tailer = queue.createTailer();
    }

    /**
     * Reads the next record into the reused event.
     *
     * @return the event, or null at the end of the journal
     * @throws JournalException on a record that cannot be read or a gap in the sequences
     */
    public InboundEvent next() {
        try (DocumentContext document = tailer.readingDocument()) {
            if (!document.isPresent()) {
                return null;
            }
            JournalFormat.read(document.wire().bytes(), event);
        }
        if (event.sequence() != expected) {
            throw new JournalException("journal " + directory + ": record " + expected + " expected, found " + event.sequence());
        }
        expected++;
        return event;
    }

    /**
     * The sequence of the journal's last record, read from the end: when it is past the last record
     * that reads forward, something between them is damaged (forward reading stops at the damage
     * as if the journal ended there). -1 for an empty journal.
     */
    public static long lastSequenceFromEnd(Path directory) {
        try (net.openhft.chronicle.queue.ChronicleQueue queue = Queues.open(directory, true)) {
            return Queues.lastRecord(queue, JournalFormat::sequenceOf, -1);
        }
    }

    /** reads every remaining record; returns how many */
    public long forEach(RecordHandler handler) {
        long count = 0;
        InboundEvent e;
        while ((e = next()) != null) {
            handler.onRecord(e);
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
