package io.mme.bench;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.matching.BookListener;
import io.mme.matching.L3Kind;

/**
 * Counts what an {@link io.mme.matching.OrderBook} says, so a benchmark can check its answer: a book
 * that drops, repeats or refuses commands shows up in the counts. Plain fields and increments: the
 * cost of a listener that looks at every call, and nothing allocates.
 */
final class CountingListener implements BookListener {
    /** when set, the price and the maker's side of the first trades since the last reset are kept here */
    long[] tradePrices;
    Side[] makerSides;
    long calls;
    long accepted;
    long rejected;
    long cancelRejected;
    long cancelled;
    long replaced;
    long fills;
    long trades;
    long tradedQuantity;

    @Override
    public void onExecution(long bookSequence, ExecutionReport report) {
        calls++;
        ExecType type = report.execType();
        switch (type) {
            case ACCEPTED -> accepted++;
            case REJECTED -> rejected++;
            case CANCEL_REJECTED -> cancelRejected++;
            case CANCELLED -> cancelled++;
            case REPLACED -> replaced++;
            case PARTIALLY_FILLED, FILLED -> fills++;
            default -> {
                // other reports (order status) are not counted
            }
        }
    }

    @Override
    public void onTrade(long bookSequence, long tradeId, Side aggressor, long priceTicks, long quantityLots,
                        long makerOrderId, long takerOrderId) {
        calls++;
        if (tradePrices != null && trades < tradePrices.length) {
            tradePrices[(int) trades] = priceTicks;
            makerSides[(int) trades] = aggressor == Side.BUY ? Side.SELL : Side.BUY;
        }
        trades++;
        tradedQuantity += quantityLots;
    }

    @Override
    public void onLevel(long bookSequence, Side side, long priceTicks, long quantityLots, int orderCount) {
        calls++;
    }

    @Override
    public void onOrder(long bookSequence, L3Kind kind, long orderId, Side side, long priceTicks, long quantityLots) {
        calls++;
    }

    /** refusals of any kind: a stream built to be valid has none */
    long refusals() {
        return rejected + cancelRejected;
    }

    void recordTrades(int max) {
        tradePrices = new long[max];
        makerSides = new Side[max];
    }

    void reset() {
        calls = 0;
        accepted = 0;
        rejected = 0;
        cancelRejected = 0;
        cancelled = 0;
        replaced = 0;
        fills = 0;
        trades = 0;
        tradedQuantity = 0;
    }

    String summary() {
        return "accepted " + accepted + ", rejected " + rejected + ", cancel-rejected " + cancelRejected
                + ", cancelled " + cancelled + ", replaced " + replaced + ", fills " + fills + ", trades " + trades
                + " (" + tradedQuantity + " lots), listener calls " + calls;
    }
}
