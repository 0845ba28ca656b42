package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The journal of the input: appends the input part of every inbound event, in sequence order, to a
 * Chronicle Queue in a directory. It is the first stage of the chain (the LMAX journaller): no
 * engine decides on an event before it is journaled, so after a crash every order that left has
 * its cause in the journal, and a replay of the journal reproduces every decision (see
 * {@link JournalReader}). Opening a directory that already holds a journal continues it: events
 * up to the last journaled one (a restarted engine feeds them in again to recover) are not
 * appended twice.
 *
 * <p>Thread: the queue and its appender are owned by the audit engine's thread (the appender is
 * created in {@link #onStart}); {@link #appended()} may be read by any thread.
 */
public final class JournalEngine implements Engine<InboundEvent> {
    private final Path directory;
    private final ChronicleQueue queue;
    private final JournalSync sync;
    /** records appended since the last sync, when journal.sync asks for one */
    private boolean unsynced;
    private ExcerptAppender appender;
    private volatile long appended;
    private long lastSequence;

    /** opens (or creates) the journal in {@code directory}; the directory should hold only this journal */
    public JournalEngine(Path directory) {
        this(directory, JournalSync.NONE);
    }

    /** opens (or creates) the journal in {@code directory}, its writes synced as {@code sync} says ({@code journal.sync}) */
    public JournalEngine(Path directory, JournalSync sync) {
        this(directory, sync, JournalRoll.DEFAULT);
    }

    /**
     * opens (or creates) the journal in {@code directory}, its writes synced as {@code sync} says
     * ({@code journal.sync}), a new journal rolling to a new file as {@code roll} says ({@code journal.roll})
     */
    public JournalEngine(Path directory, JournalSync sync, JournalRoll roll) {
        this.directory = directory;
        SingleChronicleQueueBuilder builder = Queues.builder(directory, false, sync, roll);
        this.sync = JournalSync.of(builder.syncMode());
        this.queue = Queues.build(builder);
        this.lastSequence = Queues.lastRecord(queue, JournalFormat::sequenceOf, -1);
    }

    /**
     * Lets an empty journal begin after event {@code event} instead of at 0: a copy of a journal
     * whose first files retention removed (a restart's repair copies what is left). Before {@link #onStart}.
     */
    public JournalEngine continuingAfter(long event) {
        if (lastSequence >= 0) {
            throw new IllegalStateException("the journal in " + directory + " is not empty (it ends at event " + lastSequence
                    + "): it cannot begin after event " + event);
        }
        lastSequence = event;
        return this;
    }

    /** the last event the journal held when it was opened (-1: empty), plus what was appended since */
    public long lastSequence() {
        return lastSequence;
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
        if (number <= lastSequence) {
            return; // recovery feeds the journal's own tail back in: it is there already
        }
        if (number != lastSequence + 1) {
            throw new IllegalStateException("journal got event " + number + " after " + lastSequence + ": a gap in the sequenced input");
        }
        try (DocumentContext document = appender.writingDocument()) {
            JournalFormat.write(event, document.wire().bytes());
        }
        lastSequence = number;
        appended = appended + 1;
        unsynced = sync != JournalSync.NONE;
    }

    @Override
    public void onShutdown() {
        queue.close();
    }

    /** records appended so far */
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
