package io.mme.matching;

import io.mme.core.ring.Side;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Queue position for live paper: where each of our paper orders would stand in the real venue's
 * queue at its price, and when the venue's public trades reach it. It keeps a copy of the
 * displayed quantity at each price of the books the live feeds hand to the paper venue
 * ({@link FeedTape}), and for each of our resting paper orders the displayed quantity ahead of it.
 * The rules are the backtest's simulated exchange's, fed by a live feed instead of a recording:
 *
 * <ul>
 *   <li>An order that starts resting (a new order, or a replace that loses its place) joins behind
 *       the displayed quantity at its price.</li>
 *   <li>A public trade that reaches the order's price (at it, or through it) takes from the quantity
 *       ahead first; what exceeds the quantity ahead fills the order. One trade's quantity is shared
 *       by our orders in price-time priority, as if they stood in the venue's queue (a later order of
 *       ours at a price is behind the earlier one as well as behind the displayed quantity it joined).</li>
 *   <li>A decrease of the displayed level at the order's price that the trades at that price since the
 *       level's last change do not explain (someone cancelled) is taken from ahead of the order as the
 *       {@link QueueModel} says; the quantity ahead never exceeds the displayed level (a level that
 *       empties leaves nothing ahead).</li>
 * </ul>
 *
 * <p>What it cannot know: our orders are not in the real queue, so the real flow goes on as if they
 * were not there (a fill of ours takes nothing from the real traders, who still trade); where in the
 * queue a level's changes happened (the feeds are L2); the real order of a trade and the depth update
 * it causes when the venue sends them on different streams; items the tape dropped when full.
 *
 * <p>Thread: the paper venue's engine thread; nothing here is shared. Memory: the level maps and the
 * order arrays grow to their high-water mark (while the first snapshots arrive, and when more of our
 * orders rest than ever before), then allocate nothing.
 */
final class LiveQueues {
    private static final int LEVELS_INITIAL = 1024;
    private static final int ORDERS_INITIAL = 64;

    private final QueueModel model;
    /** the displayed quantity per price, per instrument id; null until the instrument's first feed item */
    private final Long2LongHashMap[] bids;
    private final Long2LongHashMap[] asks;

    // our resting orders, in the order they joined their queues
    private long[] orderId = new long[ORDERS_INITIAL];
    private int[] instrument = new int[ORDERS_INITIAL];
    private boolean[] buy = new boolean[ORDERS_INITIAL];
    private long[] price = new long[ORDERS_INITIAL];
    private long[] ahead = new long[ORDERS_INITIAL];
    /** trades at the order's price since its level last changed: they explain that much of the next decrease */
    private long[] tradedSinceLevel = new long[ORDERS_INITIAL];
    /** the trade that last took this order into account (a trade visits each order once) */
    private long[] visitedBy = new long[ORDERS_INITIAL];
    private int count;
    private long trades;

    /** @param instruments one more than the highest instrument id the paper venue holds a book for */
    LiveQueues(QueueModel model, int instruments) {
        this.model = model;
        this.bids = new Long2LongHashMap[instruments];
        this.asks = new Long2LongHashMap[instruments];
    }

    QueueModel model() {
        return model;
    }

    // ------------------------------------------------------------------ the live book

    /** a snapshot of the instrument's book starts: the displayed levels are rebuilt from the levels that follow */
    void clear(int instrumentId) {
        if (instrumentId >= 0 && instrumentId < bids.length && bids[instrumentId] != null) {
            bids[instrumentId].clear();
            asks[instrumentId].clear();
        }
    }

    /** a displayed level's new quantity (0: gone); our orders at that price move up as the model says */
    void level(int instrumentId, Side side, long priceTicks, long quantityLots) {
        Long2LongHashMap levels = levels(instrumentId, side);
        if (levels == null) {
            return;
        }
        long before = quantityLots <= 0 ? levels.remove(priceTicks) : levels.put(priceTicks, quantityLots);
        long now = Math.max(0, quantityLots);
        if (before == now) {
            return;
        }
        boolean bid = side == Side.BUY;
        for (int o = 0; o < count; o++) {
            if (instrument[o] != instrumentId || buy[o] != bid || price[o] != priceTicks) {
                continue;
            }
            long decrease = before - now;
            if (decrease > 0) {
                long unexplained = Math.max(0, decrease - tradedSinceLevel[o]);
                long behind = Math.max(0, before - tradedSinceLevel[o] - ahead[o]);
                ahead[o] = model.aheadAfterDecrease(ahead[o], behind, unexplained);
            }
            ahead[o] = Math.min(ahead[o], now);
            tradedSinceLevel[o] = 0;
        }
    }

    /** the displayed quantity at a price (0 when nothing is displayed there) */
    long displayed(int instrumentId, Side side, long priceTicks) {
        if (instrumentId < 0 || instrumentId >= bids.length || bids[instrumentId] == null) {
            return 0;
        }
        return (side == Side.BUY ? bids : asks)[instrumentId].get(priceTicks);
    }

    private Long2LongHashMap levels(int instrumentId, Side side) {
        if (instrumentId < 0 || instrumentId >= bids.length) {
            return null;
        }
        if (bids[instrumentId] == null) {
            bids[instrumentId] = new Long2LongHashMap(LEVELS_INITIAL, 0.65f, 0);
            asks[instrumentId] = new Long2LongHashMap(LEVELS_INITIAL, 0.65f, 0);
        }
        return side == Side.BUY ? bids[instrumentId] : asks[instrumentId];
    }

    // ------------------------------------------------------------------ public trades

    /**
     * A public trade of the live venue: fills, in {@code book}, our orders it reaches by what
     * exceeds the quantity ahead of each (see the class comment).
     *
     * @param aggressor the taker's side
     * @param takerId   the id the trade's taker has in the book's output
     */
    void trade(OrderBook book, int instrumentId, Side aggressor, long priceTicks, long quantityLots, long takerId) {
        boolean bidsHit = aggressor == Side.SELL;
        long left = quantityLots;
        long visit = ++trades;
        for (int o = next(instrumentId, bidsHit, priceTicks, visit); o >= 0; o = next(instrumentId, bidsHit, priceTicks, visit)) {
            visitedBy[o] = visit;
            if (price[o] == priceTicks) {
                tradedSinceLevel[o] += quantityLots;
            }
            long reaching = left - ahead[o];
            ahead[o] = Math.max(0, ahead[o] - left);
            if (reaching > 0) {
                left -= book.fillResting(orderId[o], reaching, takerId, -1);
            }
        }
        forgetGone(book, instrumentId);
    }

    /** our order the trade reaches next in price-time priority among those it has not visited, or -1 */
    private int next(int instrumentId, boolean bid, long tradePrice, long visit) {
        int best = -1;
        for (int o = 0; o < count; o++) {
            if (instrument[o] != instrumentId || buy[o] != bid || visitedBy[o] == visit) {
                continue;
            }
            if (bid ? price[o] < tradePrice : price[o] > tradePrice) {
                continue; // the trade does not reach it
            }
            if (best < 0 || (bid ? price[o] > price[best] : price[o] < price[best])) {
                best = o; // a better price; at an equal one the earlier order stays first
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ our orders

    /**
     * Our order starts resting at the back of its price's queue: a new order, or again after a
     * replace that lost its place (it keeps the side it joined with).
     */
    void join(int instrumentId, long id, Side side, long priceTicks) {
        int before = find(instrumentId, id);
        boolean bid = before >= 0 ? buy[before] : side == Side.BUY;
        remove(before);
        if (count == orderId.length) {
            grow();
        }
        int o = count++;
        orderId[o] = id;
        instrument[o] = instrumentId;
        buy[o] = bid;
        price[o] = priceTicks;
        ahead[o] = displayed(instrumentId, bid ? Side.BUY : Side.SELL, priceTicks);
        tradedSinceLevel[o] = 0;
        visitedBy[o] = 0;
    }

    /** forgets our orders of the instrument that no longer rest in its {@code book} (cancelled, filled) */
    void forgetGone(OrderBook book, int instrumentId) {
        for (int o = 0; o < count; ) {
            if (instrument[o] == instrumentId && !book.contains(orderId[o])) {
                remove(o);
            } else {
                o++;
            }
        }
    }

    /** the quantity displayed ahead of our order, or -1 when it is not queued here */
    long aheadOf(int instrumentId, long id) {
        int o = find(instrumentId, id);
        return o < 0 ? -1 : ahead[o];
    }

    int queued() {
        return count;
    }

    private int find(int instrumentId, long id) {
        for (int o = 0; o < count; o++) {
            if (orderId[o] == id && instrument[o] == instrumentId) {
                return o;
            }
        }
        return -1;
    }

    /** removes slot o (none: -1), keeping the others' order */
    private void remove(int o) {
        if (o < 0) {
            return;
        }
        int tail = count - o - 1;
        if (tail > 0) {
            System.arraycopy(orderId, o + 1, orderId, o, tail);
            System.arraycopy(instrument, o + 1, instrument, o, tail);
            System.arraycopy(buy, o + 1, buy, o, tail);
            System.arraycopy(price, o + 1, price, o, tail);
            System.arraycopy(ahead, o + 1, ahead, o, tail);
            System.arraycopy(tradedSinceLevel, o + 1, tradedSinceLevel, o, tail);
            System.arraycopy(visitedBy, o + 1, visitedBy, o, tail);
        }
        count--;
    }

    private void grow() {
        int n = orderId.length * 2;
        orderId = Arrays.copyOf(orderId, n);
        instrument = Arrays.copyOf(instrument, n);
        buy = Arrays.copyOf(buy, n);
        price = Arrays.copyOf(price, n);
        ahead = Arrays.copyOf(ahead, n);
        tradedSinceLevel = Arrays.copyOf(tradedSinceLevel, n);
        visitedBy = Arrays.copyOf(visitedBy, n);
    }
}
