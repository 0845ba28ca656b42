package io.mme.matching;

import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;

/**
 * Everything an {@link OrderBook} says, in order. Each call carries the book's sequence number,
 * which rises by exactly one per call: a consumer that sees a gap has lost something. Called on the
 * book's thread, synchronously, inside the command that caused it.
 *
 * <p>Everything a listener needs is in the call's arguments: it must not query or command the book
 * from a call. The book's state during a call is not specified: on its usual paths (a move, a
 * reduce, a cancel, a resting order) the book makes all of the command's changes first and its
 * calls after them.
 */
public interface BookListener {
    /**
     * An execution report for one order. The report object is reused by the book: copy what must
     * be kept before returning.
     */
    void onExecution(long bookSequence, ExecutionReport report);

    /** a public trade: the maker's price, the quantity, and who was maker and taker */
    void onTrade(long bookSequence, long tradeId, Side aggressor, long priceTicks, long quantityLots,
                 long makerOrderId, long takerOrderId);

    /** an L2 level changed; quantity 0 and count 0 mean the level is gone */
    void onLevel(long bookSequence, Side side, long priceTicks, long quantityLots, int orderCount);

    /** an L3 order event; see {@link L3Kind} */
    void onOrder(long bookSequence, L3Kind kind, long orderId, Side side, long priceTicks, long quantityLots);

    /** a listener that ignores everything (benchmarks of the book alone) */
    BookListener NONE = new BookListener() {
        @Override
        public void onExecution(long bookSequence, ExecutionReport report) {
        }

        @Override
        public void onTrade(long bookSequence, long tradeId, Side aggressor, long priceTicks, long quantityLots,
                            long makerOrderId, long takerOrderId) {
        }

        @Override
        public void onLevel(long bookSequence, Side side, long priceTicks, long quantityLots, int orderCount) {
        }

        @Override
        public void onOrder(long bookSequence, L3Kind kind, long orderId, Side side, long priceTicks, long quantityLots) {
        }
    };
}
