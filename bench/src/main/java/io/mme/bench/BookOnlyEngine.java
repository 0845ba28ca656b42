package io.mme.bench;

import io.mme.core.ring.OrderCommand;
import io.mme.core.runtime.Engine;
import io.mme.matching.OrderBook;
import io.mme.matching.OrderType;
import io.mme.matching.SelfTradePrevention;

/**
 * The book alone behind the outbound ring, for {@code --venue book}: it maps each command to the
 * book as the paper venue does, but its output is only counted on the engine thread, nothing is
 * published. Against the paper venue this separates the cost of the ring and the thread hand-off
 * from the cost of the venue's publishing into the inbound ring.
 */
final class BookOnlyEngine implements Engine<OrderCommand> {
    final CountingListener counts = new CountingListener();
    final OrderBook book;

    BookOnlyEngine(CommandStream stream) {
        this.book = new OrderBook(stream.config, counts);
    }

    @Override
    public void onEvent(OrderCommand c, long sequence, boolean endOfBatch) {
        book.setTime(c.timestampNanos());
        switch (c.type()) {
            case NEW -> book.newOrder(c.clientOrderId(), c.ownerId(), c.side(), OrderType.LIMIT, c.timeInForce(),
                    c.postOnly(), SelfTradePrevention.NONE, c.priceTicks(), c.quantityLots());
            case CANCEL -> book.cancel(c.ownerId(), c.targetClientOrderId());
            case REPLACE -> book.replace(c.ownerId(), c.targetClientOrderId(), c.priceTicks(), c.quantityLots());
            case CANCEL_ALL -> book.massCancel(c.ownerId());
            default -> {
                // a status query: the book has nothing to do
            }
        }
    }
}
