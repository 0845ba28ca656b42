package io.mme.bench;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import io.mme.core.runtime.InboundPublisher;

/**
 * The smallest venue that keeps the execution engine's order state machine turning: an outbound
 * consumer that answers every NEW with ACCEPTED, every REPLACE with REPLACED (the new price, the
 * whole quantity left) and every CANCEL with CANCELLED, for the command's owner, through its own
 * inbound publisher. It never fills, keeps no book and publishes no market data, so that the only
 * market data in a benchmark is the generator's. Other command types (STATUS, CANCEL_ALL) are
 * counted and left unanswered: with every command acknowledged at once, execution never needs them.
 *
 * <p>Thread: the engine thread of this venue owns the report it reuses and writes the counters;
 * any thread may read the counters.
 */
final class AckingVenue implements Engine<OrderCommand> {
    /** copies the reused report into the claimed slot: non-capturing, so publishing allocates nothing */
    private static final InboundPublisher.Writer<ExecutionReport> WRITE_REPORT =
            (event, report) -> event.executionReport().copyFrom(report);

    private final ExecutionReport report = new ExecutionReport();
    private InboundPublisher inbound;
    private long nextVenueOrderId;
    private volatile long news;
    private volatile long replaces;
    private volatile long cancels;
    private volatile long unanswered;

    @Override
    public void onStart(EngineContext context) {
        inbound = context.inbound();
    }

    @Override
    public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) {
        switch (command.type()) {
            case NEW -> {
                nextVenueOrderId++;
                report.set(ExecType.ACCEPTED, command.venueId(), command.instrumentId(), command.clientOrderId(),
                        nextVenueOrderId, command.side(), command.priceTicks(), command.quantityLots(), command.timestampNanos());
                news = news + 1;
            }
            case REPLACE -> {
                report.set(ExecType.REPLACED, command.venueId(), command.instrumentId(), command.clientOrderId(), 0,
                        command.side(), command.priceTicks(), command.quantityLots(), command.timestampNanos());
                replaces = replaces + 1;
            }
            case CANCEL -> {
                report.set(ExecType.CANCELLED, command.venueId(), command.instrumentId(), command.clientOrderId(), 0,
                        command.side(), command.priceTicks(), 0, command.timestampNanos())
                        .cancelledQuantity(command.quantityLots());
                cancels = cancels + 1;
            }
            default -> {
                unanswered = unanswered + 1;
                return;
            }
        }
        report.owner(command.ownerId());
        inbound.publish(InboundEventType.EXECUTION_REPORT, WRITE_REPORT, report);
    }

    /** NEW commands answered */
    long news() {
        return news;
    }

    /** REPLACE commands answered */
    long replaces() {
        return replaces;
    }

    /** CANCEL commands answered */
    long cancels() {
        return cancels;
    }

    /** commands of other types, not answered */
    long unanswered() {
        return unanswered;
    }

    /** every command answered */
    long answered() {
        return news + replaces + cancels;
    }
}
