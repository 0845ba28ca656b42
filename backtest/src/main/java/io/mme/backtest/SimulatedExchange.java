package io.mme.backtest;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.runtime.Engine;
import io.mme.marketdata.L2Book;
import io.mme.matching.QueueModel;

/**
 * The exchange in a backtest: an outbound consumer like the paper venue, but its market is the
 * recorded one. It holds our orders only; the rest of the book is what the venue's feed showed.
 *
 * <ul>
 *   <li>A command reaches it after the entry latency; its answer reaches the engine after the
 *       response latency ({@link LatencyModel}); both go through the {@link Schedule}.</li>
 *   <li>A post-only order that would cross the recorded best price on arrival is rejected.</li>
 *   <li>A marketable order (a hedge IOC, a market order) takes the recorded levels one by one,
 *       each at most its displayed quantity; what is left of an IOC is cancelled.</li>
 *   <li>A resting order joins the queue behind the displayed quantity at its price. Trades at its
 *       price eat the quantity ahead first and then fill it; a trade through its price, or the
 *       opposite best reaching it, fills what is left. An unexplained decrease of the level (the
 *       decrease minus the trades at that price since the level last changed) advances it as the
 *       {@link QueueModel} says.</li>
 * </ul>
 *
 * <p>What it cannot know: how our orders would have changed the recorded flow (a real order at the
 * front takes fills that went to others, a taker would have seen our size, our hedges leave the
 * recorded book unchanged for the next order); where in the queue a level's increases and
 * decreases happened (L2 data); the queue at a price that was not displayed when we joined (we are
 * first); and the venue's own timing (its matching order against our arrival is decided by the
 * recorded local receive times). Two orders of ours at one price are each placed behind the
 * displayed quantity, not behind each other.
 *
 * <p>Thread: the backtest's thread (the driver calls {@link #onEvent} through the chain's outbound
 * drain, {@link #arrive} when a command is due, and the market methods as the data is read).
 */
public final class SimulatedExchange implements Engine<OrderCommand> {
    /** reject and cancel codes, as the paper venue's book gives them */
    static final int UNKNOWN_ORDER = 1;
    static final int POST_ONLY_WOULD_CROSS = 7;
    static final int INVALID_ORDER = 8;
    /** cancel reasons: the user's, the remainder of an IOC or market order */
    static final int CANCEL_USER = 1;
    static final int CANCEL_IOC_REMAINDER = 3;

    /** what the report hears of the exchange's work */
    public interface Listener {
        void commandSent(int instrumentId, OrderCommandType type, long quantityLots);

        void fill(long timeNanos, int instrumentId, Side side, long priceTicks, long quantityLots, boolean maker);

        void rejected(int instrumentId);
    }

    private static final int MAX_ORDERS = 256;

    private final EventClock clock;
    private final Schedule schedule;
    private final QueueModel queueModel;
    private final LatencyModel latency;
    private final Listener listener;
    private final boolean[] simulated;
    private final L2Book[] market;
    /** the latest best prices per instrument: the book ticker's, or the depth book's when it changed later */
    private final long[] bestBid;
    private final long[] bestAsk;

    // our open orders (all instruments), in arrival order
    private final long[] orderId = new long[MAX_ORDERS];
    private final long[] owner = new long[MAX_ORDERS];
    private final int[] instrument = new int[MAX_ORDERS];
    private final int[] venue = new int[MAX_ORDERS];
    private final Side[] side = new Side[MAX_ORDERS];
    private final long[] price = new long[MAX_ORDERS];
    private final long[] leaves = new long[MAX_ORDERS];
    private final long[] ahead = new long[MAX_ORDERS];
    private final long[] tradedSinceLevel = new long[MAX_ORDERS];
    private final boolean[] postOnly = new boolean[MAX_ORDERS];
    private int open;

    private long feedLatencyNanos;
    private long nextTradeId = 1;
    private long fills;
    private long rejects;

    /**
     * @param registry      the configuration's instruments
     * @param simulate      per instrument id: whether this exchange holds its market (others' orders are rejected)
     * @param bookCapacity  levels per side of each recorded book
     */
    public SimulatedExchange(InstrumentRegistry registry, boolean[] simulate, int bookCapacity, QueueModel queueModel,
                             LatencyModel latency, EventClock clock, Schedule schedule, Listener listener) {
        this.clock = clock;
        this.schedule = schedule;
        this.queueModel = queueModel;
        this.latency = latency;
        this.listener = listener;
        this.simulated = simulate.clone();
        int n = registry.size();
        market = new L2Book[n];
        bestBid = new long[n];
        bestAsk = new long[n];
        for (int i = 0; i < n; i++) {
            if (simulated[i]) {
                market[i] = new L2Book(bookCapacity);
            }
            bestBid[i] = L2Book.NO_PRICE;
            bestAsk[i] = L2Book.NO_PRICE;
        }
    }

    // ------------------------------------------------------------------ commands in

    /** a command leaves the engine: it arrives after the entry latency */
    @Override
    public void onEvent(OrderCommand c, long sequence, boolean endOfBatch) {
        if (c.recovered()) {
            return;
        }
        Schedule.Item item = schedule.obtain();
        item.kind = Schedule.Kind.ORDER;
        item.type = c.type();
        item.venueId = c.venueId();
        item.instrumentId = c.instrumentId();
        item.ownerId = c.ownerId();
        item.clientOrderId = c.clientOrderId();
        item.targetClientOrderId = c.targetClientOrderId();
        item.side = c.side();
        item.priceTicks = c.priceTicks();
        item.quantityLots = c.quantityLots();
        item.timeInForce = c.timeInForce();
        item.postOnly = c.postOnly();
        item.market = c.market();
        item.sentNanos = clock.epochNanos();
        if (c.instrumentId() >= 0) {
            listener.commandSent(c.instrumentId(), c.type(), c.quantityLots());
        }
        schedule.add(item, clock.epochNanos() + latency.entryNanos(feedLatencyNanos));
    }

    /** a command reaches the exchange (the driver calls this at its due time) */
    void arrive(Schedule.Item c) {
        switch (c.type) {
            case NEW -> newOrder(c);
            case CANCEL -> cancel(c);
            case REPLACE -> replace(c);
            case CANCEL_ALL -> cancelAll(c);
            case STATUS -> status(c);
        }
    }

    private void newOrder(Schedule.Item c) {
        int id = c.instrumentId;
        if (id < 0 || id >= simulated.length || !simulated[id] || c.quantityLots <= 0) {
            reject(c, ExecType.REJECTED, c.clientOrderId, INVALID_ORDER);
            return;
        }
        if (c.postOnly && crosses(id, c.side, c.priceTicks)) {
            reject(c, ExecType.REJECTED, c.clientOrderId, POST_ONLY_WOULD_CROSS);
            return;
        }
        boolean marketable = c.market || crosses(id, c.side, c.priceTicks);
        long left = c.quantityLots;
        if (marketable) {
            answer(c, ExecType.ACCEPTED, c.clientOrderId, c.priceTicks, left, 0, 0, false, 0);
            left = take(c, left);
            if (left == 0) {
                return;
            }
            if (c.market || c.timeInForce == TimeInForce.IOC || c.timeInForce == TimeInForce.FOK) {
                answer(c, ExecType.CANCELLED, c.clientOrderId, c.priceTicks, 0, 0, left, false, CANCEL_IOC_REMAINDER);
                return;
            }
        } else if (c.timeInForce == TimeInForce.IOC || c.timeInForce == TimeInForce.FOK) {
            answer(c, ExecType.ACCEPTED, c.clientOrderId, c.priceTicks, left, 0, 0, false, 0);
            answer(c, ExecType.CANCELLED, c.clientOrderId, c.priceTicks, 0, 0, left, false, CANCEL_IOC_REMAINDER);
            return;
        } else {
            answer(c, ExecType.ACCEPTED, c.clientOrderId, c.priceTicks, left, 0, 0, false, 0);
        }
        if (open == MAX_ORDERS) {
            answer(c, ExecType.CANCELLED, c.clientOrderId, c.priceTicks, 0, 0, left, false, INVALID_ORDER);
            return;
        }
        int o = open++;
        orderId[o] = c.clientOrderId;
        owner[o] = c.ownerId;
        instrument[o] = id;
        venue[o] = c.venueId;
        side[o] = c.side;
        price[o] = c.priceTicks;
        leaves[o] = left;
        postOnly[o] = c.postOnly;
        ahead[o] = market[id].quantityAt(c.side, c.priceTicks);
        tradedSinceLevel[o] = 0;
    }

    /** takes the recorded levels opposite the order, best first, up to its limit; returns what is left */
    private long take(Schedule.Item c, long left) {
        int id = c.instrumentId;
        Side opposite = c.side == Side.BUY ? Side.SELL : Side.BUY;
        L2Book book = market[id];
        int levels = book.levels(opposite);
        for (int i = 0; i < levels && left > 0; i++) {
            long px = book.price(opposite, i);
            if (!c.market && (c.side == Side.BUY ? px > c.priceTicks : px < c.priceTicks)) {
                break;
            }
            long q = Math.min(left, book.quantity(opposite, i));
            if (q <= 0) {
                continue;
            }
            left -= q;
            fill(c.venueId, id, c.clientOrderId, c.ownerId, c.side, c.priceTicks, px, q, left, false);
        }
        return left;
    }

    private void cancel(Schedule.Item c) {
        int o = find(c.ownerId, c.targetClientOrderId);
        if (o < 0) {
            reject(c, ExecType.CANCEL_REJECTED, c.targetClientOrderId, UNKNOWN_ORDER);
            return;
        }
        answerFor(o, ExecType.CANCELLED, 0, leaves[o], CANCEL_USER);
        remove(o);
    }

    private void replace(Schedule.Item c) {
        int o = find(c.ownerId, c.targetClientOrderId);
        if (o < 0) {
            reject(c, ExecType.CANCEL_REJECTED, c.targetClientOrderId, UNKNOWN_ORDER);
            return;
        }
        if (c.quantityLots <= 0) {
            reject(c, ExecType.CANCEL_REJECTED, c.targetClientOrderId, INVALID_ORDER);
            return;
        }
        int id = instrument[o];
        if (c.priceTicks == price[o] && c.quantityLots <= leaves[o]) {
            leaves[o] = c.quantityLots; // keeps its place
            answerFor(o, ExecType.REPLACED, 0, 0, 0);
            return;
        }
        if (postOnly[o] && crosses(id, side[o], c.priceTicks)) {
            reject(c, ExecType.CANCEL_REJECTED, c.targetClientOrderId, POST_ONLY_WOULD_CROSS);
            return;
        }
        price[o] = c.priceTicks;
        leaves[o] = c.quantityLots;
        answerFor(o, ExecType.REPLACED, 0, 0, 0);
        if (crosses(id, side[o], price[o])) {
            // a replace through the market trades at once, like a new order
            Schedule.Item taker = c;
            taker.side = side[o];
            taker.clientOrderId = orderId[o];
            taker.instrumentId = id;
            taker.venueId = venue[o];
            taker.market = false;
            long left = take(taker, leaves[o]);
            if (left == 0) {
                remove(o);
                return;
            }
            leaves[o] = left;
        }
        ahead[o] = market[id].quantityAt(side[o], price[o]);
        tradedSinceLevel[o] = 0;
    }

    private void cancelAll(Schedule.Item c) {
        for (int o = 0; o < open; ) {
            if (owner[o] == c.ownerId && (c.instrumentId < 0 || instrument[o] == c.instrumentId)) {
                answerFor(o, ExecType.CANCELLED, 0, leaves[o], CANCEL_USER);
                remove(o);
            } else {
                o++;
            }
        }
    }

    private void status(Schedule.Item c) {
        int o = find(c.ownerId, c.targetClientOrderId);
        long px = o < 0 ? c.priceTicks : price[o];
        long left = o < 0 ? 0 : leaves[o];
        answer(c, ExecType.ORDER_STATUS, c.targetClientOrderId, px, left, 0, 0, false, 0);
    }

    // ------------------------------------------------------------------ the recorded market

    /** the feed feeds the recorded book: a snapshot starts (the queues keep their place, clipped to the new levels) */
    void marketClear(int id) {
        if (simulated[id]) {
            market[id].clear();
        }
    }

    /** a recorded level changed */
    void marketLevel(int id, Side levelSide, long priceTicks, long quantityLots) {
        if (!simulated[id]) {
            return;
        }
        L2Book book = market[id];
        boolean oursThere = false;
        for (int o = 0; o < open && !oursThere; o++) {
            oursThere = instrument[o] == id && side[o] == levelSide && price[o] == priceTicks;
        }
        if (!oursThere) {
            // no order of ours at this price: nothing to advance, one search instead of two
            book.set(levelSide, priceTicks, quantityLots);
            return;
        }
        long before = book.quantityAt(levelSide, priceTicks);
        book.set(levelSide, priceTicks, quantityLots);
        if (before == quantityLots) {
            return;
        }
        for (int o = 0; o < open; o++) {
            if (instrument[o] != id || side[o] != levelSide || price[o] != priceTicks) {
                continue;
            }
            long decrease = before - quantityLots;
            if (decrease > 0) {
                long unexplained = Math.max(0, decrease - tradedSinceLevel[o]);
                long behind = Math.max(0, before - tradedSinceLevel[o] - ahead[o]);
                ahead[o] = queueModel.aheadAfterDecrease(ahead[o], behind, unexplained);
            }
            ahead[o] = Math.min(ahead[o], quantityLots);
            tradedSinceLevel[o] = 0;
        }
    }

    /** a recorded message's changes to a book are complete: the best prices may have moved onto our orders */
    void marketEnd(int id) {
        if (!simulated[id]) {
            return;
        }
        bestBid[id] = market[id].bestPrice(Side.BUY);
        bestAsk[id] = market[id].bestPrice(Side.SELL);
        fillCrossed(id);
    }

    /** the venue's best bid and offer (Binance's book ticker) */
    void marketBestBidOffer(int id, long bid, long ask) {
        if (!simulated[id]) {
            return;
        }
        bestBid[id] = bid > 0 ? bid : L2Book.NO_PRICE;
        bestAsk[id] = ask > 0 ? ask : L2Book.NO_PRICE;
        fillCrossed(id);
    }

    /** a recorded public trade; {@code aggressor} is the taker's side */
    void marketTrade(int id, Side aggressor, long priceTicks, long quantityLots) {
        if (!simulated[id]) {
            return;
        }
        Side passive = aggressor == Side.BUY ? Side.SELL : Side.BUY;
        for (int o = 0; o < open; ) {
            if (instrument[o] != id || side[o] != passive) {
                o++;
                continue;
            }
            boolean through = passive == Side.BUY ? priceTicks < price[o] : priceTicks > price[o];
            long q = 0;
            if (through) {
                q = leaves[o];
            } else if (priceTicks == price[o]) {
                tradedSinceLevel[o] += quantityLots;
                if (ahead[o] >= quantityLots) {
                    ahead[o] -= quantityLots;
                } else {
                    q = Math.min(leaves[o], quantityLots - ahead[o]);
                    ahead[o] = 0;
                }
            }
            if (q > 0 && fillResting(o, q)) {
                continue; // removed: the next order moved into slot o
            }
            o++;
        }
    }

    /** fills, at their own price, resting orders that the opposite best price has reached */
    private void fillCrossed(int id) {
        for (int o = 0; o < open; ) {
            if (instrument[o] == id) {
                long opposite = side[o] == Side.BUY ? bestAsk[id] : bestBid[id];
                if (opposite != L2Book.NO_PRICE && (side[o] == Side.BUY ? opposite <= price[o] : opposite >= price[o])) {
                    if (fillResting(o, leaves[o])) {
                        continue;
                    }
                }
            }
            o++;
        }
    }

    /** fills a resting order (maker) by {@code q}; returns true when it is done and was removed */
    private boolean fillResting(int o, long q) {
        leaves[o] -= q;
        fill(venue[o], instrument[o], orderId[o], owner[o], side[o], price[o], price[o], q, leaves[o], true);
        if (leaves[o] == 0) {
            remove(o);
            return true;
        }
        return false;
    }

    private boolean crosses(int id, Side s, long px) {
        long opposite = s == Side.BUY ? bestAsk[id] : bestBid[id];
        return opposite != L2Book.NO_PRICE && (s == Side.BUY ? px >= opposite : px <= opposite);
    }

    // ------------------------------------------------------------------ answers out

    private void fill(int venueId, int id, long clientOrderId, long ownerId, Side s, long orderPrice, long px, long q, long left,
                      boolean maker) {
        fills++;
        listener.fill(clock.epochNanos(), id, s, px, q, maker);
        Schedule.Item item = report();
        item.report.set(left == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED, venueId, id, clientOrderId, clientOrderId, s,
                orderPrice, left, clock.epochNanos()).owner(ownerId).fill(nextTradeId++, px, q, maker);
        send(item);
    }

    private void answer(Schedule.Item c, ExecType type, long clientOrderId, long px, long left, long lastQty, long cancelled,
                        boolean maker, int reason) {
        Schedule.Item item = report();
        item.report.set(type, c.venueId, c.instrumentId, clientOrderId, clientOrderId, c.side, px, left, clock.epochNanos())
                .owner(c.ownerId);
        if (type == ExecType.CANCELLED) {
            item.report.cancelledQuantity(cancelled).reason(reason);
        } else if (lastQty > 0) {
            item.report.fill(0, px, lastQty, maker);
        } else if (reason != 0) {
            item.report.reason(reason);
        }
        send(item);
    }

    private void answerFor(int o, ExecType type, long left, long cancelled, int reason) {
        Schedule.Item item = report();
        long remaining = type == ExecType.CANCELLED ? left : leaves[o];
        item.report.set(type, venue[o], instrument[o], orderId[o], orderId[o], side[o], price[o], remaining, clock.epochNanos())
                .owner(owner[o]);
        if (type == ExecType.CANCELLED) {
            item.report.cancelledQuantity(cancelled).reason(reason);
        }
        send(item);
    }

    private void reject(Schedule.Item c, ExecType type, long clientOrderId, int reason) {
        rejects++;
        if (c.instrumentId >= 0) {
            listener.rejected(c.instrumentId);
        }
        Schedule.Item item = report();
        item.report.set(type, c.venueId, c.instrumentId, clientOrderId, clientOrderId, c.side, c.priceTicks, 0, clock.epochNanos())
                .owner(c.ownerId).reason(reason);
        send(item);
    }

    private Schedule.Item report() {
        Schedule.Item item = schedule.obtain();
        item.kind = Schedule.Kind.REPORT;
        return item;
    }

    private void send(Schedule.Item item) {
        schedule.add(item, clock.epochNanos() + latency.responseNanos(feedLatencyNanos));
    }

    private int find(long ownerId, long id) {
        for (int o = 0; o < open; o++) {
            if (orderId[o] == id && owner[o] == ownerId) {
                return o;
            }
        }
        return -1;
    }

    /** removes slot o, keeping arrival order */
    private void remove(int o) {
        int tail = open - o - 1;
        if (tail > 0) {
            System.arraycopy(orderId, o + 1, orderId, o, tail);
            System.arraycopy(owner, o + 1, owner, o, tail);
            System.arraycopy(instrument, o + 1, instrument, o, tail);
            System.arraycopy(venue, o + 1, venue, o, tail);
            System.arraycopy(side, o + 1, side, o, tail);
            System.arraycopy(price, o + 1, price, o, tail);
            System.arraycopy(leaves, o + 1, leaves, o, tail);
            System.arraycopy(ahead, o + 1, ahead, o, tail);
            System.arraycopy(tradedSinceLevel, o + 1, tradedSinceLevel, o, tail);
            System.arraycopy(postOnly, o + 1, postOnly, o, tail);
        }
        open--;
        side[open] = null;
    }

    // ------------------------------------------------------------------ what the driver and report read

    /** the feed latency of the moment, which the feed-proportional latency model scales */
    void feedLatency(long nanos) {
        this.feedLatencyNanos = nanos;
    }

    /** the recorded book of an instrument (the driver rebuilds the engine's book from it after a warm-up) */
    L2Book market(int id) {
        return market[id];
    }

    /** the latest best bid (ticks) or {@link L2Book#NO_PRICE} */
    long bestBid(int id) {
        return bestBid[id];
    }

    long bestAsk(int id) {
        return bestAsk[id];
    }

    /** our best resting price on a side of an instrument, or {@link L2Book#NO_PRICE} */
    long ourBest(int id, Side s) {
        long best = L2Book.NO_PRICE;
        for (int o = 0; o < open; o++) {
            if (instrument[o] == id && side[o] == s && (best == L2Book.NO_PRICE || (s == Side.BUY ? price[o] > best : price[o] < best))) {
                best = price[o];
            }
        }
        return best;
    }

    /** the quantity ahead of our order {@code id}, or -1 when it is not resting (tests) */
    long aheadOf(long ownerId, long id) {
        int o = find(ownerId, id);
        return o < 0 ? -1 : ahead[o];
    }

    /** what is left of our order {@code id}, or 0 when it is not resting (tests) */
    long leavesOf(long ownerId, long id) {
        int o = find(ownerId, id);
        return o < 0 ? 0 : leaves[o];
    }

    int openOrders() {
        return open;
    }

    long fills() {
        return fills;
    }

    long rejects() {
        return rejects;
    }
}
