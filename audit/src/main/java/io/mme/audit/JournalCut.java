package io.mme.audit;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checking the decisions and orders journals at a restart and cutting them at the recovery's
 * point (the input journal has {@link JournalReader#checkWhole}). Each of their records is keyed by
 * an inbound event (a decision by its event, an order command by its cause) and written in event
 * order, so "the records of events up to N" is a prefix. CLI thread, before the pipeline starts.
 */
public final class JournalCut {
    /** which of the two keyed journals */
    public enum Kind {
        DECISIONS, ORDERS
    }

    /**
     * What reading one journal through found.
     *
     * @param lastKey   the event of the last record read whole (-1: none)
     * @param intactTo  the last event all of whose records in this journal are intact: {@code Long.MAX_VALUE}
     *                  when nothing is damaged; else the events before the damaged record
     * @param damage    what is damaged (file, queue index, event), or null
     */
    public record Scan(long lastKey, long intactTo, String damage) {
        public boolean damaged() {
            return damage != null;
        }
    }

    /** a journal of an older record format: refused, never cut */
    public static final class FormatTooOld extends JournalException {
        private static final long serialVersionUID = 1L;

        FormatTooOld(String message) {
            super(message);
        }
    }

    private JournalCut() {
    }

    /**
     * Reads every record of {@code directory} and verifies its check; an absent journal is intact and empty.
     *
     * @throws FormatTooOld when its first record is of the format before records carried a check
     */
    public static Scan scan(Path directory, Kind kind) {
        if (!hasQueueFile(directory)) {
            return new Scan(-1, Long.MAX_VALUE, null);
        }
        long last = -1;
        long lastIndex = -1;
        String damage = null;
        try (ChronicleQueue queue = Queues.open(directory, true); ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext document = tailer.readingDocument()) {
                    if (!document.isPresent()) {
                        break;
                    }
                    long index = document.index();
                    Bytes<?> bytes = document.wire().bytes();
                    if (last == -1 && bytes.readRemaining() > 0 && bytes.readByte(bytes.readPosition()) == 1) {
                        // not damage: a journal of the format before records carried a check, which is not cut but refused
                        throw new FormatTooOld("the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " journal " + directory
                                + " was written by an earlier build (record format 1, without checks): this build cannot continue"
                                + " that run; start a new run directory, or finish this one with the build that wrote it");
                    }
                    try {
                        last = decodeKey(document.wire().bytes(), kind);
                        lastIndex = index;
                    } catch (RuntimeException e) {
                        damage = "record at index " + Long.toHexString(index) + " (after event " + last + "): " + e.getMessage();
                        break;
                    }
                }
            }
            if (damage == null) {
                // damage inside a frame can read like the end: the last record, read from the end, says where it is
                try (ExcerptTailer back = queue.createTailer().direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD).toEnd();
                     DocumentContext document = back.readingDocument()) {
                    if (document.isPresent() && document.index() != lastIndex) {
                        damage = "reading stops after index " + Long.toHexString(lastIndex) + " (event " + last
                                + ") but its last record is at index " + Long.toHexString(document.index());
                    }
                }
            }
        } catch (FormatTooOld e) {
            throw e;
        } catch (RuntimeException e) {
            damage = damage != null ? damage : "unreadable after event " + last + ": " + e;
        }
        if (damage == null) {
            return new Scan(last, Long.MAX_VALUE, null);
        }
        // a decision record is the only one of its event; an order record may share its cause with the last good one
        long intactTo = kind == Kind.DECISIONS ? last : last - 1;
        return new Scan(last, Math.max(-1, intactTo), "the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " journal "
                + directory + " is damaged: " + damage);
    }

    /** the event key of one record, after verifying its check (throws when damaged) */
    private static long decodeKey(Bytes<?> in, Kind kind) {
        long start = in.readPosition();
        long key = kind == Kind.DECISIONS ? DecisionRecord.read(in).sequence() : OrderRecord.read(in).causeSequence();
        in.readPosition(start);
        return key;
    }

    /**
     * Keeps only the intact records of events up to {@code lastEvent}: the journal is moved to
     * {@code aside} and its records up to there copied back byte for byte (their checks with them).
     *
     * @return how many records were kept
     */
    public static long cut(Path directory, Path aside, long lastEvent, Kind kind) {
        return cut(directory, aside, lastEvent, kind, JournalRoll.DEFAULT);
    }

    /** the same, the copy rolling as {@code roll} says ({@code journal.roll}) */
    public static long cut(Path directory, Path aside, long lastEvent, Kind kind, JournalRoll roll) {
        try {
            Files.move(directory, aside);
        } catch (IOException e) {
            throw new JournalException("cannot move " + directory + " aside to " + aside + ": " + e.getMessage(), e);
        }
        long kept = 0;
        try (ChronicleQueue from = Queues.open(aside, true); ExcerptTailer tailer = from.createTailer();
             ChronicleQueue to = Queues.open(directory, false, roll); ExcerptAppender appender = to.createAppender()) {
            while (true) {
                try (DocumentContext document = tailer.readingDocument()) {
                    if (!document.isPresent()) {
                        break;
                    }
                    Bytes<?> in = document.wire().bytes();
                    long start = in.readPosition();
                    long end = in.readLimit();
                    long key;
                    try {
                        key = decodeKey(in, kind);
                    } catch (RuntimeException damaged) {
                        break;
                    }
                    if (key > lastEvent) {
                        break;
                    }
                    try (DocumentContext copy = appender.writingDocument()) {
                        copy.wire().bytes().write(in, start, end - start);
                    }
                    kept++;
                }
            }
        } catch (RuntimeException stop) {
            // Chronicle's own exception for a damaged frame: everything before it is copied
        }
        return kept;
    }

    private static boolean hasQueueFile(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
        } catch (IOException e) {
            return false;
        }
    }
}
