package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The audit stage's journal: appends the input of every inbound event, in sequence order, to a
 * Chronicle Queue in a directory. It runs after the business chain (DESIGN.md), so the journal
 * holds every event the engines acted on once the pipeline drained; a replay of it reproduces
 * their decisions (see {@link JournalReader}).
 *
 * <p>Thread: the queue and its appender are owned by the audit engine's thread (the appender is
 * created in {@link #onStart}); {@link #appended()} may be read by any thread.
 */
public final class JournalEngine implements Engine<InboundEvent> {
    private final Path directory;
    private final ChronicleQueue queue;
    private ExcerptAppender appender;
    private volatile long appended;
    private long lastSequence = -1;

    /** opens (or creates) the journal in {@code directory}; the directory should hold only this journal */
    public JournalEngine(Path directory) {
        this.directory = directory;
        try {
            this.queue = ChronicleQueue.singleBuilder(directory).rollCycle(RollCycles.FAST_DAILY).build();
        } catch (RuntimeException e) {
            throw new JournalException("cannot open the journal in " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onStart(EngineContext context) {
        appender = queue.createAppender();
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        if (sequence <= lastSequence) {
            throw new IllegalStateException("journal got event " + sequence + " after " + lastSequence);
        }
        try (DocumentContext document = appender.writingDocument()) {
            JournalFormat.write(event, document.wire().bytes());
        }
        lastSequence = sequence;
        appended = appended + 1;
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
}
