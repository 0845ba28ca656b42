package io.mme.audit;

import io.mme.core.ring.ControlCommand;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The audit stage (after the chain): journals the decisions an event carried, for the audit trail
 * (PostgreSQL's risk decisions and limit changes): every quote intent with its risk verdict, and a
 * control command with the owning engine's answer, or a change an engine made on its own (risk's
 * daily loss limit), journaled as the command an operator would have sent, with principal "risk".
 * Events with none of these are not written. The
 * decisions are not needed to recover (a replay decides again, identically); after a crash the last
 * few may be missing, and the restarted engine's recovery writes them again (events after the last
 * one held are appended, earlier ones skipped).
 *
 * <p>Record ({@link DecisionRecord} reads it): byte version, long sequence, long timestamp, byte
 * event type, byte intent count, per intent: byte action, int venue, int instrument, byte side,
 * int level, long price, long quantity, long target, byte verdict, int reject code; then bool
 * control, and for a control command: utf8 command, long request id, utf8 principal, utf8
 * reason, int venue, int instrument, utf8 key, long value, bool answered, bool applied, long old
 * value, utf8 message; then long check: {@link JournalFormat#check} of every byte before it (the
 * same check as the input journal's), verified by every reader.
 *
 * <p>Thread: the audit engine's thread.
 */
public final class DecisionJournalEngine implements Engine<InboundEvent> {
    /** 2: each record ends with a check ({@link JournalFormat#check}); 1 had none and is refused with a clear error */
    static final byte VERSION = 2;

    private final Path directory;
    private final ChronicleQueue queue;
    private final JournalSync sync;
    /** records appended since the last sync, when journal.sync asks for one */
    private boolean unsynced;
    private ExcerptAppender appender;
    private long lastSequence;
    private volatile long appended;
    private ControlListener controlListener;
    private ChangeListener changeListener;

    /** told of every CONTROL slot after the whole chain handled it (the API's answers) */
    @FunctionalInterface
    public interface ControlListener {
        void answered(long sequence, ControlCommand command);
    }

    /** sets the listener; before the pipeline starts */
    public DecisionJournalEngine onControl(ControlListener listener) {
        this.controlListener = listener;
        return this;
    }

    /**
     * Told of every change after the whole chain handled it: each CONTROL slot with its answer and
     * each engine's own change (risk's daily loss limit), for the API's change log. Called on the
     * audit engine's thread; the command is the ring's, reused after the call returns.
     */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(long sequence, long timestampNanos, ControlCommand command);
    }

    /** sets the change listener; before the pipeline starts */
    public DecisionJournalEngine onChange(ChangeListener listener) {
        this.changeListener = listener;
        return this;
    }

    public DecisionJournalEngine(Path directory) {
        this(directory, JournalSync.NONE);
    }

    /** opens (or creates) the journal in {@code directory}, its writes synced as {@code sync} says ({@code journal.sync}) */
    public DecisionJournalEngine(Path directory, JournalSync sync) {
        this(directory, sync, JournalRoll.DEFAULT);
    }

    /**
     * opens (or creates) the journal in {@code directory}, its writes synced as {@code sync} says
     * ({@code journal.sync}), a new journal rolling to a new file as {@code roll} says ({@code journal.roll})
     */
    public DecisionJournalEngine(Path directory, JournalSync sync, JournalRoll roll) {
        this.directory = directory;
        SingleChronicleQueueBuilder builder = Queues.builder(directory, false, sync, roll);
        this.sync = JournalSync.of(builder.syncMode());
        this.queue = Queues.build(builder);
        this.lastSequence = Queues.lastRecord(queue, DecisionJournalEngine::sequenceOf, -1);
    }

    static long sequenceOf(Bytes<?> in) {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new JournalException("decision record version " + version + ", expected " + VERSION
                    + (version == 1 ? " (version 1 was written before records carried a check: this build cannot read it)" : ""));
        }
        return in.readLong();
    }

    @Override
    public void onStart(EngineContext context) {
        appender = queue.createAppender();
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        write(event);
        if (endOfBatch && unsynced) {
            // journal.sync: the batch's records are msync'ed before the next batch is taken (group commit)
            appender.sync();
            unsynced = false;
        }
    }

    private void write(InboundEvent event) {
        long number = event.sequence();
        boolean control = event.type() == InboundEventType.CONTROL;
        // an engine's own change (risk's daily loss limit) is journaled like the command an operator would send
        boolean automatic = !control && event.hasAutomaticChange();
        if (control && controlListener != null) {
            controlListener.answered(number, event.control());
        }
        if ((control || automatic) && changeListener != null) {
            changeListener.changed(number, event.timestampNanos(), control ? event.control() : event.automaticChange());
        }
        if (number <= lastSequence || (event.intentCount() == 0 && !control && !automatic)) {
            return;
        }
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> out = document.wire().bytes();
            long start = out.writePosition();
            out.writeByte(VERSION);
            out.writeLong(number);
            out.writeLong(event.timestampNanos());
            out.writeByte((byte) event.type().ordinal());
            out.writeByte((byte) event.intentCount());
            for (int i = 0; i < event.intentCount(); i++) {
                QuoteIntent q = event.intent(i);
                out.writeByte((byte) q.action().ordinal());
                out.writeInt(q.venueId());
                out.writeInt(q.instrumentId());
                out.writeByte((byte) q.side().ordinal());
                out.writeInt(q.level());
                out.writeLong(q.priceTicks());
                out.writeLong(q.quantityLots());
                out.writeLong(q.targetClientOrderId());
                out.writeByte((byte) q.verdict().ordinal());
                out.writeInt(q.rejectCode());
            }
            out.writeBoolean(control || automatic);
            if (control || automatic) {
                ControlCommand c = control ? event.control() : event.automaticChange();
                out.writeUtf8(c.command());
                out.writeLong(c.requestId());
                out.writeUtf8(c.principal());
                out.writeUtf8(c.reason());
                out.writeInt(c.venueId());
                out.writeInt(c.instrumentId());
                out.writeUtf8(c.key());
                out.writeLong(c.value());
                out.writeBoolean(c.answered());
                out.writeBoolean(c.applied());
                out.writeLong(c.oldValue());
                out.writeUtf8(c.message());
            }
            out.writeLong(JournalFormat.check(out, start, out.writePosition()));
        }
        lastSequence = number;
        appended = appended + 1;
        unsynced = sync != JournalSync.NONE;
    }

    @Override
    public void onShutdown() {
        queue.close();
    }

    public long appended() {
        return appended;
    }

    public Path directory() {
        return directory;
    }

    /** the sync policy of the queue this journal writes, as set on the builder that opened it */
    public JournalSync sync() {
        return sync;
    }
}
