package io.mme.core.runtime;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;

/**
 * Publishes normalised market data into the inbound ring one event behind, so that the last event
 * of a venue message can carry {@code endOfMessage} (the point where the market data engine checks
 * a book's integrity) without the producer knowing in advance which event is last. Used by the
 * venue connectors and the paper venue.
 *
 * <p>Call {@link #flush()} before publishing anything else (an execution report) so the ring keeps
 * the venue's order, and {@link #endOfMessage()} when a message is complete.
 *
 * <p>Thread: one producer thread; allocates nothing.
 */
public final class MarketDataPublisher {
    private static final InboundPublisher.Writer<MarketDataPublisher> WRITE = (event, self) -> self.fill(event);

    private final InboundPublisher inbound;
    private boolean pending;
    private boolean pendingEnd;
    private MarketDataKind kind;
    private int venueId;
    private int instrumentId;
    private Side side;
    private long price;
    private long quantity;
    private long orderId;
    private long venueSequence;
    private long venueTimestamp;
    private long receiveTimestamp;
    private boolean bookValid;

    public MarketDataPublisher(InboundPublisher inbound) {
        this.inbound = inbound;
    }

    /** queues one event; the one queued before it is published now */
    public void add(MarketDataKind kind, int venueId, int instrumentId, Side side, long priceTicks, long quantityLots,
                    long orderId, long venueSequence, long venueTimestampNanos, long receiveTimestampNanos) {
        flush();
        this.kind = kind;
        this.venueId = venueId;
        this.instrumentId = instrumentId;
        this.side = side;
        this.price = priceTicks;
        this.quantity = quantityLots;
        this.orderId = orderId;
        this.venueSequence = venueSequence;
        this.venueTimestamp = venueTimestampNanos;
        this.receiveTimestamp = receiveTimestampNanos;
        this.bookValid = true;
        this.pending = true;
    }

    /** queues a BOOK_STATE event saying the venue's feed can no longer vouch for the book */
    public void bookInvalid(int venueId, int instrumentId, long venueSequence, long timestampNanos) {
        add(MarketDataKind.BOOK_STATE, venueId, instrumentId, null, 0, 0, 0, venueSequence, timestampNanos, timestampNanos);
        this.bookValid = false;
    }

    /** the message is complete: publishes the queued event marked as its last */
    public void endOfMessage() {
        publish(true);
    }

    /** publishes the queued event unmarked (something else is about to be published) */
    public void flush() {
        publish(false);
    }

    private void publish(boolean end) {
        if (pending) {
            pending = false;
            pendingEnd = end;
            inbound.publish(InboundEventType.MARKET_DATA, WRITE, this);
        }
    }

    private void fill(InboundEvent event) {
        event.marketData().set(kind, venueId, instrumentId, side, price, quantity, venueSequence, venueTimestamp,
                receiveTimestamp, pendingEnd).orderId(orderId).bookValid(bookValid);
    }
}
