package io.mme.audit;

import io.mme.core.ring.OrderCommand;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The journal of the orders sent: an outbound consumer beside the venue gateways that appends
 * every order command. A command's key is its cause (the inbound event that decided it) and its
 * ordinal among that cause's commands: stable across restarts, since the execution engine decides
 * again the same commands for the same events. Commands re-decided during a recovery
 * ({@link OrderCommand#recovered()}) are appended only when their key is past the last one held
 * (they were decided before the crash but not journaled: whether they reached the venue is what the
 * engine's reconciliation finds out), and marked so.
 *
 * <p>Record ({@link OrderRecord} reads it): byte version, long cause sequence, int ordinal, byte
 * type, long timestamp, int venue, int instrument, long owner, long client order id, long target,
 * byte side, long price, long quantity, byte time in force, bool post-only, bool market, bool
 * recovered; then long check: {@link JournalFormat#check} of every byte before it (the same check as
 * the input journal's), verified by every reader.
 *
 * <p>Thread: this outbound consumer's own.
 */
public final class OrderJournalEngine implements Engine<OrderCommand> {
    /** 2: each record ends with a check ({@link JournalFormat#check}); 1 had none and is refused with a clear error */
    static final byte VERSION = 2;

    private final ChronicleQueue queue;
    private final JournalSync sync;
    /** records appended since the last sync, when journal.sync asks for one */
    private boolean unsynced;
    private ExcerptAppender appender;
    private long lastCause;
    private int lastOrdinal;
    private long currentCause = Long.MIN_VALUE;
    private int currentOrdinal;
    private volatile long appended;

    public OrderJournalEngine(Path directory) {
        this(directory, JournalSync.NONE);
    }

    /** opens (or creates) the journal in {@code directory}, its writes synced as {@code sync} says ({@code journal.sync}) */
    public OrderJournalEngine(Path directory, JournalSync sync) {
        this(directory, sync, JournalRoll.DEFAULT);
    }

    /**
     * opens (or creates) the journal in {@code directory}, its writes synced as {@code sync} says
     * ({@code journal.sync}), a new journal rolling to a new file as {@code roll} says ({@code journal.roll})
     */
    public OrderJournalEngine(Path directory, JournalSync sync, JournalRoll roll) {
        SingleChronicleQueueBuilder builder = Queues.builder(directory, false, sync, roll);
        this.sync = JournalSync.of(builder.syncMode());
        this.queue = Queues.build(builder);
        long[] key = {-1, -1};
        Queues.lastRecord(queue, in -> {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new JournalException("order record version " + version + " in " + directory + ", expected " + VERSION
                        + (version == 1 ? " (version 1 was written before records carried a check: this build cannot read it)" : ""));
            }
            key[0] = in.readLong();
            key[1] = in.readInt();
            return 0;
        }, 0);
        lastCause = key[0];
        lastOrdinal = (int) key[1];
    }

    @Override
    public void onStart(EngineContext context) {
        appender = queue.createAppender();
    }

    @Override
    public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) {
        write(command);
        if (endOfBatch && unsynced) {
            // journal.sync: the batch's records are msync'ed before the next batch is taken (group commit)
            appender.sync();
            unsynced = false;
        }
    }

    private void write(OrderCommand command) {
        long cause = command.causeSequence();
        if (cause == currentCause) {
            currentOrdinal++;
        } else {
            currentCause = cause;
            currentOrdinal = 0;
        }
        if (cause < lastCause || (cause == lastCause && currentOrdinal <= lastOrdinal)) {
            return; // journaled before the restart
        }
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> out = document.wire().bytes();
            long start = out.writePosition();
            out.writeByte(VERSION);
            out.writeLong(cause);
            out.writeInt(currentOrdinal);
            out.writeByte((byte) command.type().ordinal());
            out.writeLong(command.timestampNanos());
            out.writeInt(command.venueId());
            out.writeInt(command.instrumentId());
            out.writeLong(command.ownerId());
            out.writeLong(command.clientOrderId());
            out.writeLong(command.targetClientOrderId());
            out.writeByte(command.side() == null ? -1 : (byte) command.side().ordinal());
            out.writeLong(command.priceTicks());
            out.writeLong(command.quantityLots());
            out.writeByte(command.timeInForce() == null ? -1 : (byte) command.timeInForce().ordinal());
            out.writeBoolean(command.postOnly());
            out.writeBoolean(command.market());
            out.writeBoolean(command.recovered());
            out.writeLong(JournalFormat.check(out, start, out.writePosition()));
        }
        lastCause = cause;
        lastOrdinal = currentOrdinal;
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

    /** the sync policy of the queue this journal writes, as set on the builder that opened it */
    public JournalSync sync() {
        return sync;
    }
}
