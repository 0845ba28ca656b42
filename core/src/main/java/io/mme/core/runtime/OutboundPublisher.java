package io.mme.core.runtime;

import com.lmax.disruptor.RingBuffer;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts order commands into the outbound ring. The ring is single-producer: only the execution
 * engine's thread may publish (DESIGN.md, one writer per piece of state).
 *
 * <p>This is also the last gate of a trading halt: a command that adds risk (a new order, a
 * replace) caused by an inbound event at or after the halt (see {@link PipelineHealth#haltedAt}) is
 * refused and counted; cancels still go out. The risk engine will halt trading from the events
 * themselves; this gate is the backstop that holds whichever engine faulted.
 */
public final class OutboundPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundPublisher.class);

    private final RingBuffer<OrderCommand> ring;
    private final PipelineHealth health;
    /** written by the producer thread only */
    private volatile long refusedWhileHalted;
    /** while true, published commands are marked recovered: re-decided from the journal, not to be sent */
    private volatile boolean recovering;

    /** fills the order fields of a claimed slot; must not throw */
    @FunctionalInterface
    public interface Writer<A> {
        void write(OrderCommand command, A arg);
    }

    OutboundPublisher(RingBuffer<OrderCommand> ring, PipelineHealth health) {
        this.ring = ring;
        this.health = health;
    }

    /**
     * Publishes one command, waiting for room when the ring is full (the outbound consumers never
     * wait on the inbound ring, so room always comes).
     *
     * @param causeSequence the inbound event whose decision this command carries out
     * @return the command's sequence, or -1 when trading is halted and the command adds risk
     */
    public <A> long publish(OrderCommandType type, long causeSequence, Writer<A> writer, A arg) {
        if (type.addsRisk() && health.haltedAt(causeSequence)) {
            long refused = refusedWhileHalted + 1;
            refusedWhileHalted = refused;
            if (refused == 1) {
                LOG.warn("trading halted ({}): refusing {} commands until trading resumes", health.haltReason(), type);
            }
            return -1;
        }
        long sequence = ring.next();
        OrderCommand command = ring.get(sequence);
        try {
            command.begin(sequence, type);
            writer.write(command, arg);
            command.recovered(recovering);
            command.publishedNanos(System.nanoTime());
        } finally {
            ring.publish(sequence);
        }
        return sequence;
    }

    /** see {@link OrderCommand#recovered()}; set by the pipeline around a recovery */
    void recovering(boolean recovering) {
        this.recovering = recovering;
    }

    /** commands refused because trading was halted */
    public long refusedWhileHalted() {
        return refusedWhileHalted;
    }

    public long cursor() {
        return ring.getCursor();
    }
}
