package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a journal written by {@link JournalEngine} from the start, record by record, into one
 * reused {@link InboundEvent}. Checks that sequences run on from the first record's without a gap
 * (0, 1, 2, ... for a whole journal; from a later event when {@link JournalRetention} removed its
 * first files), since a replay relies on the ring giving each event its journaled sequence. One thread.
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
    /** the sequence the next record must carry; -1 before the first record */
    private long expected = -1;

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
        if (expected >= 0 && event.sequence() != expected) {
            throw new JournalException("journal " + directory + ": record " + expected + " expected, found " + event.sequence());
        }
        expected = event.sequence() + 1;
        return event;
    }

    /**
     * The sequence of the journal's first record: 0 for a whole journal, later when retention
     * removed its first files; -1 for an empty journal.
     */
    public static long firstSequence(Path directory) {
        try (JournalReader reader = new JournalReader(directory)) {
            InboundEvent first = reader.next();
            return first == null ? -1 : first.sequence();
        }
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

    /**
     * The file of the cycle the reader is in (where a failed {@link #next()} found its damage), or
     * the queue directory when that file cannot be told.
     */
    public Path currentFile() {
        try {
            net.openhft.chronicle.queue.RollCycle cycle = queue.rollCycle();
            long startMillis = ((net.openhft.chronicle.queue.impl.RollingChronicleQueue) queue).epoch()
                    + (long) tailer.cycle() * cycle.lengthInMillis();
            String name = java.time.format.DateTimeFormatter.ofPattern(cycle.format()).withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.ofEpochMilli(startMillis))
                    + net.openhft.chronicle.queue.impl.single.SingleChronicleQueue.SUFFIX;
            Path file = directory.resolve(name);
            return Files.isRegularFile(file) ? file : directory;
        } catch (RuntimeException e) {
            return directory;
        }
    }

    /**
     * Reads the journal through and checks that it ends where its last record says: a journal whose
     * forward reading fails, or stops before its last record (damage in between reads like an end),
     * is damaged.
     *
     * @return the last event, -1 for an empty journal
     * @throws JournalDamagedException naming the file and the last event read whole
     */
    public static long checkWhole(Path directory, RecordHandler handler) {
        long last = -1;
        try (JournalReader reader = new JournalReader(directory)) {
            while (true) {
                InboundEvent e;
                while ((e = readOrDamaged(reader, last)) != null) {
                    handler.onRecord(e);
                    last = e.sequence();
                }
                long end;
                try {
                    end = lastSequenceFromEnd(directory);
                } catch (RuntimeException unreadable) {
                    throw new JournalDamagedException(reader.currentFile(), last, "its last record cannot be read", unreadable);
                }
                if (end <= last) {
                    return last;
                }
                // a running engine's journal may have grown since the forward read ended: another read decides
                if ((e = readOrDamaged(reader, last)) == null) {
                    throw new JournalDamagedException(reader.currentFile(), last, "reading stops there but its last record is event "
                            + end + ": the records between are damaged", null);
                }
                handler.onRecord(e);
                last = e.sequence();
            }
        }
    }

    private static InboundEvent readOrDamaged(JournalReader reader, long last) {
        try {
            return reader.next();
        } catch (RuntimeException damaged) {
            // JournalException for a record we cannot decode; Chronicle's own exceptions for a damaged frame
            String detail = damaged instanceof JournalException ? damaged.getMessage() : damaged.toString();
            throw new JournalDamagedException(reader.currentFile(), last, detail, damaged);
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
