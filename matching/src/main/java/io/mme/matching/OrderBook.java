package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.agrona.collections.Long2LongHashMap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A price-time priority limit order book for one instrument: matching, the execution reports and
 * book deltas it produces, and an L3 replica mode that applies order-level feed events without
 * matching. Prices are ticks, quantities lots.
 *
 * <p>Thread: single-threaded; the thread that calls it owns it (the paper venue's engine thread,
 * a benchmark thread, a test). Nothing is shared.
 *
 * <p>Memory: every array is allocated in the constructor. Orders live in an arena of 64-byte
 * records in one {@code byte[]} (an order's fields on one or two cache lines); a command allocates
 * nothing (the maps are sized so they never grow).
 *
 * <h2>Invariants the index-based structures rely on</h2>
 * <ul>
 *   <li>Arena slot {@code i} is either free (on the free list, linked through {@code orderNext}) or
 *       holds a live order; {@code orderIndex} maps exactly the live orders' ids to their slots.</li>
 *   <li>A resting order is in exactly one level list: {@code orderPrev/orderNext} link the orders of
 *       its level in arrival order (head = oldest = first to fill), {@code NIL} at both ends, and
 *       {@code orderLevel(i)} names that level. During a replace that loses priority the order is
 *       briefly in no level; it is then either re-linked at the tail of its new level or freed.</li>
 *   <li>{@code levelQty} is the sum and {@code levelCount} the number of the orders in the level's
 *       list. Every resting quantity is positive. A level that empties is kept (count 0) so that
 *       the next order at that price reuses it without touching the tree; the exchange-style flow of
 *       replaces that move prices would otherwise rebalance the tree twice per command. Empty
 *       levels are purged (removed from the tree, the price map and the list, and freed) when they
 *       outnumber the live ones by more than {@link #EMPTY_LEVEL_SLACK}, or when the level pool is
 *       exhausted, so each removal stays O(log n) amortised.</li>
 *   <li>{@code levelByPrice[s]} maps each price of side {@code s} that has a level (empty or not) to
 *       it; {@code ladder[s]} holds the same for the prices of its window and NIL for the others of
 *       the window, so a lookup inside the window needs no hashing. The window moves only while the
 *       side has no level at all.</li>
 *   <li>Each side's levels, empty ones included, form a left-leaning red-black tree ordered by
 *       {@code levelKey} (the price for asks, minus the price for bids, so smaller is better on both
 *       sides) and a doubly linked list in the same order ({@code levelNext/levelPrev},
 *       {@code first/last}). {@code best[side]} is the first non-empty level of that list, or NIL;
 *       {@code levelsPerSide} counts the non-empty levels, {@code emptyLevels} the others.</li>
 *   <li>Each owner's live orders form a list through {@code ownerPrev/ownerNext} in the order they
 *       entered the book; the head's {@code ownerPrev} points at the tail (so append is O(1)).</li>
 *   <li>After every command the book is not crossed: the best bid is below the best ask. (The L3
 *       replica applies what a venue says and does not enforce this.)</li>
 *   <li>{@code sequence} rises by exactly one for each listener call.</li>
 * </ul>
 */
public final class OrderBook {
    /** returned by price queries when a side is empty */
    public static final long NO_PRICE = Long.MIN_VALUE;
    private static final int NIL = -1;
    private static final long MISSING = -1;
    private static final int BUY = 0;
    private static final int SELL = 1;
    private static final int POST_ONLY = 1;
    private static final SelfTradePrevention[] STP = SelfTradePrevention.values();
    /** empty levels a side may keep beyond its number of live levels before they are purged */
    static final int EMPTY_LEVEL_SLACK = 256;
    /** ticks a side's price ladder covers */
    static final int LADDER_TICKS = 1 << 12;

    private final BookConfig config;
    private final long priceIncrement;
    private final BookListener listener;
    private final ExecutionReport report = new ExecutionReport();

    // the order arena: one record of ORDER_BYTES per slot (see the layout below)
    private final byte[] orders;
    private int freeOrder;
    private int freeOrders;

    // the level pool and the two trees
    private final long[] levelPrice;
    private final long[] levelKey;
    private final long[] levelQty;
    private final int[] levelCount;
    private final int[] levelHead;
    private final int[] levelTail;
    private final int[] levelLeft;
    private final int[] levelRight;
    private final boolean[] levelRed;
    private final byte[] levelSide;
    /** every level of a side, empty ones included, in priority order (best first) */
    private final int[] levelNext;
    private final int[] levelPrev;
    private int freeLevel;
    private final int[] first = {NIL, NIL};
    private final int[] last = {NIL, NIL};
    private final int[] emptyLevels = new int[2];
    private final int[] root = {NIL, NIL};
    private final int[] best = {NIL, NIL};
    private final int[] levelsPerSide = new int[2];

    private final Long2LongHashMap orderIndex;
    private final Long2LongHashMap[] levelByPrice;
    /**
     * The fast path of {@code levelByPrice}: per side, the level of each price of a window of
     * {@link #LADDER_TICKS} ticks from {@code ladderBase} (NIL: none), kept equal to the map over the
     * window; prices outside it are looked up in the map. The base moves when a side's first level
     * after it was empty is created (the window is centred on that price).
     */
    private final int[][] ladder = new int[2][LADDER_TICKS];
    private final long[] ladderBase = new long[2];
    private final Long2LongHashMap ownerHead;

    private long sequence;
    private long nextTradeId = 1;
    private long nowNanos;
    /** set by matching when self-trade prevention ended the incoming order */
    private boolean incomingEnded;

    public OrderBook(BookConfig config, BookListener listener) {
        this.config = config;
        this.priceIncrement = config.priceIncrement();
        this.listener = listener;
        int n = config.capacity();
        orders = new byte[n * ORDER_BYTES];
        for (int i = 0; i < n; i++) {
            setOrderNext(i, i + 1 < n ? i + 1 : NIL);
        }
        freeOrder = 0;
        freeOrders = n;

        levelPrice = new long[n];
        levelKey = new long[n];
        levelQty = new long[n];
        levelCount = new int[n];
        levelHead = new int[n];
        levelTail = new int[n];
        levelLeft = new int[n];
        levelRight = new int[n];
        levelRed = new boolean[n];
        levelSide = new byte[n];
        levelNext = new int[n];
        levelPrev = new int[n];
        for (int i = 0; i < n; i++) {
            levelLeft[i] = i + 1 < n ? i + 1 : NIL; // free list while unused
        }
        freeLevel = 0;
        java.util.Arrays.fill(ladder[BUY], NIL);
        java.util.Arrays.fill(ladder[SELL], NIL);

        // sized so that n live entries stay under the load factor: the maps never resize
        int mapCapacity = Math.max(16, Integer.highestOneBit(Math.max(1, n - 1)) << 2);
        orderIndex = new Long2LongHashMap(mapCapacity, 0.5f, MISSING);
        levelByPrice = new Long2LongHashMap[]{
                new Long2LongHashMap(mapCapacity, 0.5f, MISSING), new Long2LongHashMap(mapCapacity, 0.5f, MISSING)};
        ownerHead = new Long2LongHashMap(mapCapacity, 0.5f, MISSING);
    }

    public BookConfig config() {
        return config;
    }

    /** the event time written into the execution reports of the commands that follow */
    public void setTime(long timestampNanos) {
        this.nowNanos = timestampNanos;
    }

    // ------------------------------------------------------------------ commands

    /**
     * A new order.
     *
     * @param price ignored for market orders
     * @return true when accepted (it may still have been cancelled at once: IOC, FOK, self trade)
     */
    public boolean newOrder(long id, long owner, Side side, OrderType type, TimeInForce tif, boolean postOnly,
                            SelfTradePrevention stp, long price, long quantity) {
        if (quantity <= 0) {
            return reject(ExecType.REJECTED, id, owner, side, price, RejectReason.INVALID_QUANTITY);
        }
        if (type == OrderType.MARKET) {
            if (postOnly) {
                return reject(ExecType.REJECTED, id, owner, side, price, RejectReason.INVALID_ORDER);
            }
            price = 0;
        } else {
            RejectReason bad = checkPrice(price);
            if (bad != null) {
                return reject(ExecType.REJECTED, id, owner, side, price, bad);
            }
        }
        if (orderIndex.containsKey(id)) {
            return reject(ExecType.REJECTED, id, owner, side, price, RejectReason.DUPLICATE_ORDER_ID);
        }
        boolean mayRest = type == OrderType.LIMIT && tif == TimeInForce.GTC;
        if (mayRest && freeOrders == 0) {
            return reject(ExecType.REJECTED, id, owner, side, price, RejectReason.BOOK_FULL);
        }
        int s = side == Side.BUY ? BUY : SELL;
        if (postOnly && crossesBest(s, price)) {
            return reject(ExecType.REJECTED, id, owner, side, price, RejectReason.POST_ONLY_WOULD_CROSS);
        }
        execution(ExecType.ACCEPTED, id, owner, side, price, quantity);

        if (tif == TimeInForce.FOK && fillable(s, type, price, owner, stp, quantity) < quantity) {
            cancelIncoming(id, owner, side, price, quantity, 0, CancelReason.FOK_UNFILLED);
            return true;
        }
        long remaining = match(id, owner, s, type, price, quantity, stp);
        if (incomingEnded || remaining == 0) {
            return true;
        }
        if (mayRest) {
            int slot = allocateOrder();
            setOrderId(slot, id);
            setOrderOwner(slot, owner);
            setOrderSide(slot, s);
            setOrderFlags(slot, postOnly ? POST_ONLY : 0);
            setOrderStp(slot, stp.ordinal());
            orderIndex.put(id, slot);
            appendToOwner(slot, owner);
            rest(slot, price, remaining);
        } else {
            CancelReason why = type == OrderType.MARKET ? CancelReason.MARKET_REMAINDER
                    : tif == TimeInForce.FOK ? CancelReason.FOK_UNFILLED : CancelReason.IOC_REMAINDER;
            cancelIncoming(id, owner, side, price, remaining, 0, why);
        }
        return true;
    }

    /** Cancels the order {@code id} of {@code owner}; an unknown id or another owner's order is refused. */
    public boolean cancel(long owner, long id) {
        int slot = slotOf(owner, id);
        if (slot == NIL) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, null, 0, RejectReason.UNKNOWN_ORDER);
        }
        cancelResting(slot, orderQty(slot), CancelReason.USER);
        return true;
    }

    /**
     * Changes an order's price and quantity (the new remaining quantity). Same price and no more
     * quantity keeps the order's place; anything else sends it to the back of its (new) level,
     * where it may trade at once like a new order.
     */
    public boolean replace(long owner, long id, long newPrice, long newQuantity) {
        int slot = slotOf(owner, id);
        if (slot == NIL) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, null, newPrice, RejectReason.UNKNOWN_ORDER);
        }
        Side side = sideOf(slot);
        if (newQuantity <= 0) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, side, newPrice, RejectReason.INVALID_QUANTITY);
        }
        RejectReason bad = checkPrice(newPrice);
        if (bad != null) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, side, newPrice, bad);
        }
        int s = orderSide(slot);
        long oldQty = orderQty(slot);
        // The usual paths below (a reduce, a move that does not cross) change the book first and then
        // make their listener calls with every value in a local: a call the JIT cannot see through
        // makes it reload every field and array it reads after it, so calls in a row cost less than
        // calls between the changes. The listener sees the same calls with the same values.
        long oldPrice = orderPrice(slot);
        if (newPrice == oldPrice && newQuantity <= oldQty) {
            if (newQuantity == oldQty) {
                execution(ExecType.REPLACED, id, owner, side, newPrice, newQuantity);
                return true;
            }
            int level = orderLevel(slot);
            setOrderQty(slot, newQuantity);
            long levelQuantity = levelQty[level] -= oldQty - newQuantity;
            int count = levelCount[level];
            execution(ExecType.REPLACED, id, owner, side, newPrice, newQuantity);
            listener.onOrder(++sequence, L3Kind.REDUCE, id, side, newPrice, newQuantity);
            listener.onLevel(++sequence, side, newPrice, levelQuantity, count);
            return true;
        }
        if ((orderFlags(slot) & POST_ONLY) != 0 && crossesBest(s, newPrice)) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, side, newPrice, RejectReason.POST_ONLY_WOULD_CROSS);
        }
        int oldLevel = orderLevel(slot);
        if (!crossesBest(s, newPrice)) {
            // the usual move: nothing to match (match's own first test, without its call)
            unlinkFromLevel(slot, oldQty);
            long oldLevelQty = levelQty[oldLevel];
            int oldLevelCount = levelCount[oldLevel];
            if (oldLevelCount == 0) {
                markEmpty(oldLevel, s);
            }
            int newLevel = link(slot, s, newPrice, newQuantity);
            long newLevelQty = levelQty[newLevel];
            int newLevelCount = levelCount[newLevel];
            execution(ExecType.REPLACED, id, owner, side, newPrice, newQuantity);
            listener.onOrder(++sequence, L3Kind.DELETE, id, side, oldPrice, 0);
            listener.onLevel(++sequence, side, oldPrice, oldLevelQty, oldLevelCount);
            listener.onOrder(++sequence, L3Kind.ADD, id, side, newPrice, newQuantity);
            listener.onLevel(++sequence, side, newPrice, newLevelQty, newLevelCount);
            return true;
        }
        execution(ExecType.REPLACED, id, owner, side, newPrice, newQuantity);
        setOrderQty(slot, 0);
        unlinkFromLevel(slot, oldQty);
        emitOrder(L3Kind.DELETE, id, side, oldPrice, 0);
        levelChanged(oldLevel, s, oldPrice);
        long remaining = match(id, owner, s, OrderType.LIMIT, newPrice, newQuantity, STP[orderStp(slot)]);
        if (incomingEnded || remaining == 0) {
            forget(slot);
            return true;
        }
        rest(slot, newPrice, remaining);
        return true;
    }

    /** Cancels every order of {@code owner}, oldest first; returns how many. */
    public int massCancel(long owner) {
        int cancelled = 0;
        long head = ownerHead.get(owner);
        int slot = head == MISSING ? NIL : (int) head;
        while (slot != NIL) {
            int next = ownerNext(slot);
            cancelResting(slot, orderQty(slot), CancelReason.MASS_CANCEL);
            cancelled++;
            slot = next;
        }
        return cancelled;
    }

    // ------------------------------------------------------------------ L3 replica

    /**
     * Replica: an order of a venue's order-level feed starts resting, without matching. Returns
     * false (and says nothing) for a duplicate id, a non-positive quantity or a full arena.
     */
    public boolean addResting(long id, long owner, Side side, long price, long quantity) {
        if (quantity <= 0 || orderIndex.containsKey(id) || freeOrders == 0) {
            return false;
        }
        int slot = allocateOrder();
        setOrderId(slot, id);
        setOrderOwner(slot, owner);
        setOrderSide(slot, side == Side.BUY ? BUY : SELL);
        setOrderFlags(slot, 0);
        setOrderStp(slot, SelfTradePrevention.NONE.ordinal());
        orderIndex.put(id, slot);
        appendToOwner(slot, owner);
        rest(slot, price, quantity);
        return true;
    }

    /** Replica: the order's quantity went down by {@code by} without a trade (all of it: deleted). */
    public boolean reduce(long id, long by) {
        int slot = slotOf(id);
        if (slot == NIL || by <= 0) {
            return false;
        }
        if (by >= orderQty(slot)) {
            return delete(id);
        }
        int level = orderLevel(slot);
        setOrderQty(slot, orderQty(slot) - (by));
        levelQty[level] -= by;
        order(L3Kind.REDUCE, slot);
        level(level);
        return true;
    }

    /** Replica: the order left the book without trading. */
    public boolean delete(long id) {
        int slot = slotOf(id);
        if (slot == NIL) {
            return false;
        }
        int s = orderSide(slot);
        long price = orderPrice(slot);
        int level = orderLevel(slot);
        emitOrder(L3Kind.DELETE, id, sideOf(slot), price, 0);
        unlinkFromLevel(slot, orderQty(slot));
        forget(slot);
        levelChanged(level, s, price);
        return true;
    }

    /** Replica: {@code quantity} of the resting order traded at its price (more than it has: all of it). */
    public boolean execute(long id, long quantity) {
        int slot = slotOf(id);
        if (slot == NIL || quantity <= 0) {
            return false;
        }
        long q = Math.min(quantity, orderQty(slot));
        int s = orderSide(slot);
        long price = orderPrice(slot);
        int level = orderLevel(slot);
        long tradeId = nextTradeId++;
        listener.onTrade(++sequence, tradeId, s == BUY ? Side.SELL : Side.BUY, price, q, id, 0);
        setOrderQty(slot, orderQty(slot) - (q));
        levelQty[level] -= q;
        order(L3Kind.EXECUTE, slot);
        if (orderQty(slot) == 0) {
            unlinkFromLevel(slot, 0);
            forget(slot);
        }
        levelChanged(level, s, price);
        return true;
    }

    /**
     * Live paper: {@code quantity} of the resting order {@code id} trades at its price against a
     * taker that is not in this book (a live venue's public trade that the paper venue judged to
     * reach the order). The output is a match's: the maker's and the taker's execution reports, the
     * trade, the L3 execute and the level.
     *
     * @return the quantity traded (at most what the order has), 0 when it is not resting
     */
    public long fillResting(long id, long quantity, long takerId, long takerOwner) {
        int slot = slotOf(id);
        if (slot == NIL || quantity <= 0) {
            return 0;
        }
        long q = Math.min(quantity, orderQty(slot));
        int level = orderLevel(slot);
        long price = levelPrice[level];
        trade(slot, level, q, takerId, takerOwner, orderSide(slot) == BUY ? Side.SELL : Side.BUY, price, 0);
        return q;
    }

    // ------------------------------------------------------------------ queries

    /** the best price of a side, or {@link #NO_PRICE} */
    public long bestPrice(Side side) {
        int level = best[side == Side.BUY ? BUY : SELL];
        return level == NIL ? NO_PRICE : levelPrice[level];
    }

    /** total quantity at the best price of a side, 0 when empty */
    public long bestQuantity(Side side) {
        int level = best[side == Side.BUY ? BUY : SELL];
        return level == NIL ? 0 : levelQty[level];
    }

    /**
     * Copies up to {@code maxLevels} levels of a side, best first.
     *
     * @return how many levels were copied
     */
    public int depth(Side side, int maxLevels, long[] prices, long[] quantities, int[] counts) {
        int s = side == Side.BUY ? BUY : SELL;
        int n = 0;
        for (int level = best[s]; level != NIL && n < maxLevels; level = nextLive(levelNext[level])) {
            prices[n] = levelPrice[level];
            quantities[n] = levelQty[level];
            if (counts != null) {
                counts[n] = levelCount[level];
            }
            n++;
        }
        return n;
    }

    /**
     * Copies the orders resting at one price, first to fill first.
     *
     * @return how many orders (0 when the level does not exist)
     */
    public int ordersAt(Side side, long price, long[] ids, long[] quantities) {
        int level = levelAt(side == Side.BUY ? BUY : SELL, price);
        if (level == NIL) {
            return 0;
        }
        int n = 0;
        for (int slot = levelHead[level]; slot != NIL; slot = orderNext(slot)) {
            ids[n] = orderId(slot);
            quantities[n] = orderQty(slot);
            n++;
        }
        return n;
    }

    /** remaining quantity of a resting order, or 0 when it is not in the book */
    public long remaining(long id) {
        int slot = slotOf(id);
        return slot == NIL ? 0 : orderQty(slot);
    }

    public boolean contains(long id) {
        return orderIndex.containsKey(id);
    }

    /** price of a resting order in ticks, or {@code fallback} when it is not in the book */
    public long priceOf(long id, long fallback) {
        int slot = slotOf(id);
        return slot == NIL ? fallback : levelPrice[orderLevel(slot)];
    }

    /** owner of a resting order, or {@code fallback} when it is not in the book */
    public long ownerOf(long id, long fallback) {
        int slot = slotOf(id);
        return slot == NIL ? fallback : orderOwner(slot);
    }

    public int restingOrders() {
        return config.capacity() - freeOrders;
    }

    public int levels(Side side) {
        return levelsPerSide[side == Side.BUY ? BUY : SELL];
    }

    /** the last sequence number given to a listener call (0 before any) */
    public long sequence() {
        return sequence;
    }

    // ------------------------------------------------------------------ matching

    private long match(long id, long owner, int s, OrderType type, long price, long quantity, SelfTradePrevention stp) {
        incomingEnded = false;
        int opp = 1 - s;
        Side side = s == BUY ? Side.BUY : Side.SELL;
        long remaining = quantity;
        while (remaining > 0) {
            int level = best[opp];
            if (level == NIL) {
                break;
            }
            long levelPx = levelPrice[level];
            if (type == OrderType.LIMIT && !crosses(s, price, levelPx)) {
                break;
            }
            int maker = levelHead[level];
            while (remaining > 0 && maker != NIL) {
                int next = orderNext(maker);
                if (stp != SelfTradePrevention.NONE && orderOwner(maker) == owner) {
                    long makerQty = orderQty(maker);
                    switch (stp) {
                        case CANCEL_RESTING -> cancelResting(maker, makerQty, CancelReason.SELF_TRADE);
                        case CANCEL_INCOMING -> {
                            cancelIncoming(id, owner, side, price, remaining, 0, CancelReason.SELF_TRADE);
                            incomingEnded = true;
                            return 0;
                        }
                        case CANCEL_BOTH -> {
                            cancelResting(maker, makerQty, CancelReason.SELF_TRADE);
                            cancelIncoming(id, owner, side, price, remaining, 0, CancelReason.SELF_TRADE);
                            incomingEnded = true;
                            return 0;
                        }
                        case DECREMENT_AND_CANCEL -> {
                            if (makerQty < remaining) {
                                cancelResting(maker, makerQty, CancelReason.SELF_TRADE);
                                remaining -= makerQty;
                                cancelIncoming(id, owner, side, price, makerQty, remaining, CancelReason.SELF_TRADE);
                            } else {
                                if (makerQty > remaining) {
                                    decrementResting(maker, remaining);
                                } else {
                                    cancelResting(maker, makerQty, CancelReason.SELF_TRADE);
                                }
                                cancelIncoming(id, owner, side, price, remaining, 0, CancelReason.SELF_TRADE);
                                incomingEnded = true;
                                return 0;
                            }
                        }
                        default -> throw new IllegalStateException("unhandled self-trade mode " + stp);
                    }
                    maker = next;
                    continue;
                }
                long q = Math.min(orderQty(maker), remaining);
                remaining -= q;
                trade(maker, level, q, id, owner, side, price, remaining);
                maker = next;
            }
        }
        return remaining;
    }

    private void trade(int maker, int level, long q, long takerId, long takerOwner, Side takerSide, long takerPrice,
                       long takerLeaves) {
        long tradeId = nextTradeId++;
        long px = levelPrice[level];
        int s = orderSide(maker);
        Side makerSide = sideOf(maker);
        setOrderQty(maker, orderQty(maker) - (q));
        levelQty[level] -= q;
        long makerLeaves = orderQty(maker);
        report.set(makerLeaves == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED, config.venueId(), config.instrumentId(),
                orderId(maker), orderId(maker), makerSide, orderPrice(maker), makerLeaves, nowNanos)
                .owner(orderOwner(maker)).fill(tradeId, px, q, true);
        listener.onExecution(++sequence, report);
        report.set(takerLeaves == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED, config.venueId(), config.instrumentId(),
                takerId, takerId, takerSide, takerPrice, takerLeaves, nowNanos)
                .owner(takerOwner).fill(tradeId, px, q, false);
        listener.onExecution(++sequence, report);
        listener.onTrade(++sequence, tradeId, takerSide, px, q, orderId(maker), takerId);
        order(L3Kind.EXECUTE, maker);
        if (makerLeaves == 0) {
            unlinkFromLevel(maker, 0);
            forget(maker);
        }
        levelChanged(level, s, px);
    }

    /** how much an order could fill at once, for FOK; stops where self-trade prevention would end it */
    private long fillable(int s, OrderType type, long price, long owner, SelfTradePrevention stp, long wanted) {
        int opp = 1 - s;
        long sum = 0;
        for (int level = best[opp]; level != NIL && sum < wanted; level = nextLive(levelNext[level])) {
            if (type == OrderType.LIMIT && !crosses(s, price, levelPrice[level])) {
                break;
            }
            if (stp == SelfTradePrevention.NONE) {
                sum += levelQty[level];
                continue;
            }
            for (int slot = levelHead[level]; slot != NIL && sum < wanted; slot = orderNext(slot)) {
                if (orderOwner(slot) == owner) {
                    if (stp == SelfTradePrevention.CANCEL_RESTING) {
                        continue;
                    }
                    return sum;
                }
                sum += orderQty(slot);
            }
        }
        return sum;
    }

    private boolean crosses(int s, long price, long restingPrice) {
        return s == BUY ? restingPrice <= price : restingPrice >= price;
    }

    private boolean crossesBest(int s, long price) {
        int level = best[1 - s];
        return level != NIL && crosses(s, price, levelPrice[level]);
    }

    private RejectReason checkPrice(long price) {
        if (price < config.minPriceTicks() || price > config.maxPriceTicks()) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        // a long division costs tens of cycles: skipped for the usual every-tick book
        if (priceIncrement != 1 && price % priceIncrement != 0) {
            return RejectReason.PRICE_OFF_GRID;
        }
        return null;
    }

    // ------------------------------------------------------------------ resting orders

    /** links an arena slot whose id, owner and side are set at the back of the level for {@code price} */
    private void rest(int slot, long price, long quantity) {
        int s = orderSide(slot);
        int level = link(slot, s, price, quantity);
        long levelQuantity = levelQty[level];
        int count = levelCount[level];
        long id = orderId(slot);
        Side side = s == BUY ? Side.BUY : Side.SELL;
        listener.onOrder(++sequence, L3Kind.ADD, id, side, price, quantity);
        listener.onLevel(++sequence, side, price, levelQuantity, count);
    }

    /** {@link #rest} without the output: links the slot at the back of its price's level, which it returns */
    private int link(int slot, int s, long price, long quantity) {
        setOrderPrice(slot, price);
        setOrderQty(slot, quantity);
        int level = levelAt(s, price);
        if (level == NIL) {
            level = newLevel(s, price);
        } else {
            if (levelCount[level] == 0) {
                revive(level, s);
            }
        }
        int tail = levelTail[level];
        setOrderPrev(slot, tail);
        setOrderNext(slot, NIL);
        if (tail == NIL) {
            levelHead[level] = slot;
        } else {
            setOrderNext(tail, slot);
        }
        levelTail[level] = slot;
        levelCount[level]++;
        levelQty[level] += quantity;
        setOrderLevel(slot, level);
        return level;
    }

    private void cancelResting(int slot, long quantity, CancelReason reason) {
        int s = orderSide(slot);
        long price = orderPrice(slot);
        int level = orderLevel(slot);
        long id = orderId(slot);
        long owner = orderOwner(slot);
        Side side = s == BUY ? Side.BUY : Side.SELL;
        // the book changes first, then the three calls with their values in locals (see replace)
        unlinkFromLevel(slot, orderQty(slot));
        forget(slot);
        long levelQuantity = levelQty[level];
        int count = levelCount[level];
        if (count == 0) {
            markEmpty(level, s);
        }
        report.set(ExecType.CANCELLED, config.venueId(), config.instrumentId(), id, id, side, price, 0, nowNanos)
                .owner(owner).cancelledQuantity(quantity).reason(reason.code());
        listener.onExecution(++sequence, report);
        listener.onOrder(++sequence, L3Kind.DELETE, id, side, price, 0);
        listener.onLevel(++sequence, side, price, levelQuantity, count);
    }

    /** self-trade decrement of a resting order that stays in the book with less */
    private void decrementResting(int slot, long by) {
        int level = orderLevel(slot);
        setOrderQty(slot, orderQty(slot) - (by));
        levelQty[level] -= by;
        report.set(ExecType.CANCELLED, config.venueId(), config.instrumentId(), orderId(slot), orderId(slot),
                sideOf(slot), orderPrice(slot), orderQty(slot), nowNanos).owner(orderOwner(slot))
                .cancelledQuantity(by).reason(CancelReason.SELF_TRADE.code());
        listener.onExecution(++sequence, report);
        order(L3Kind.REDUCE, slot);
        level(level);
    }

    private void cancelIncoming(long id, long owner, Side side, long price, long quantity, long leaves, CancelReason reason) {
        report.set(ExecType.CANCELLED, config.venueId(), config.instrumentId(), id, id, side, price, leaves, nowNanos)
                .owner(owner).cancelledQuantity(quantity).reason(reason.code());
        listener.onExecution(++sequence, report);
    }

    /** takes a slot out of its level list; the level keeps existing until {@link #levelChanged} */
    private void unlinkFromLevel(int slot, long quantityLeaving) {
        int level = orderLevel(slot);
        int prev = orderPrev(slot);
        int next = orderNext(slot);
        if (prev == NIL) {
            levelHead[level] = next;
        } else {
            setOrderNext(prev, next);
        }
        if (next == NIL) {
            levelTail[level] = prev;
        } else {
            setOrderPrev(next, prev);
        }
        levelCount[level]--;
        levelQty[level] -= quantityLeaving;
        setOrderLevel(slot, NIL);
    }

    /** reports a level after a change; a level that became empty is kept as an empty level */
    private void levelChanged(int level, int s, long price) {
        if (levelCount[level] == 0) {
            markEmpty(level, s);
            listener.onLevel(++sequence, s == BUY ? Side.BUY : Side.SELL, price, 0, 0);
        } else {
            level(level);
        }
    }

    /** removes a live order's id, owner entry and arena slot */
    private void forget(int slot) {
        orderIndex.remove(orderId(slot));
        removeFromOwner(slot, orderOwner(slot));
        setOrderNext(slot, freeOrder);
        freeOrder = slot;
        freeOrders++;
    }

    private int allocateOrder() {
        int slot = freeOrder;
        freeOrder = orderNext(slot);
        freeOrders--;
        return slot;
    }

    private void appendToOwner(int slot, long owner) {
        long head = ownerHead.get(owner);
        setOwnerNext(slot, NIL);
        if (head == MISSING) {
            setOwnerPrev(slot, slot);
            ownerHead.put(owner, slot);
        } else {
            int h = (int) head;
            int tail = ownerPrev(h);
            setOwnerNext(tail, slot);
            setOwnerPrev(slot, tail);
            setOwnerPrev(h, slot);
        }
    }

    private void removeFromOwner(int slot, long owner) {
        int head = (int) ownerHead.get(owner);
        int next = ownerNext(slot);
        if (slot == head) {
            if (next == NIL) {
                ownerHead.remove(owner);
            } else {
                setOwnerPrev(next, ownerPrev(slot));
                ownerHead.put(owner, next);
            }
            return;
        }
        int prev = ownerPrev(slot);
        setOwnerNext(prev, next);
        if (next == NIL) {
            setOwnerPrev(head, prev);
        } else {
            setOwnerPrev(next, prev);
        }
    }

    private int slotOf(long owner, long id) {
        int slot = slotOf(id);
        return slot != NIL && orderOwner(slot) == owner ? slot : NIL;
    }

    private int slotOf(long id) {
        long slot = orderIndex.get(id);
        return slot == MISSING ? NIL : (int) slot;
    }

    private Side sideOf(int slot) {
        return orderSide(slot) == BUY ? Side.BUY : Side.SELL;
    }

    // ------------------------------------------------------------------ output

    private boolean reject(ExecType type, long id, long owner, Side side, long price, RejectReason reason) {
        report.set(type, config.venueId(), config.instrumentId(), id, id, side, price, 0, nowNanos)
                .owner(owner).reason(reason.code());
        listener.onExecution(++sequence, report);
        return false;
    }

    private void execution(ExecType type, long id, long owner, Side side, long price, long leaves) {
        report.set(type, config.venueId(), config.instrumentId(), id, id, side, price, leaves, nowNanos).owner(owner);
        listener.onExecution(++sequence, report);
    }

    private void order(L3Kind kind, int slot) {
        emitOrder(kind, orderId(slot), sideOf(slot), orderPrice(slot), orderQty(slot));
    }

    private void emitOrder(L3Kind kind, long id, Side side, long price, long quantity) {
        listener.onOrder(++sequence, kind, id, side, price, quantity);
    }

    private void level(int level) {
        listener.onLevel(++sequence, levelSide[level] == BUY ? Side.BUY : Side.SELL, levelPrice[level],
                levelQty[level], levelCount[level]);
    }

    // ------------------------------------------------------------------ the order arena's records

    /*
     * One order's fields lie together in one 64-byte record of the arena (a random order costs one
     * or two cache misses instead of one per field, as parallel arrays did: issue 20), read and
     * written through byte-array views in the platform's byte order. The fields a command reads
     * first come first.
     */
    static final int ORDER_BYTES = 64;
    private static final int QTY = 0;
    private static final int PRICE = 8;
    private static final int ID = 16;
    private static final int OWNER = 24;
    private static final int PREV = 32;
    private static final int NEXT = 36;
    private static final int LEVEL = 40;
    private static final int SIDE = 44;
    private static final int FLAGS = 45;
    private static final int STP_MODE = 46;
    private static final int OWNER_PREV = 48;
    private static final int OWNER_NEXT = 52;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private long getLong(int slot, int field) {
        return (long) LONG.get(orders, slot * ORDER_BYTES + field);
    }

    private void setLong(int slot, int field, long value) {
        LONG.set(orders, slot * ORDER_BYTES + field, value);
    }

    private int getInt(int slot, int field) {
        return (int) INT.get(orders, slot * ORDER_BYTES + field);
    }

    private void setInt(int slot, int field, int value) {
        INT.set(orders, slot * ORDER_BYTES + field, value);
    }

    private long orderQty(int slot) {
        return getLong(slot, QTY);
    }

    private void setOrderQty(int slot, long value) {
        setLong(slot, QTY, value);
    }

    private long orderPrice(int slot) {
        return getLong(slot, PRICE);
    }

    private void setOrderPrice(int slot, long value) {
        setLong(slot, PRICE, value);
    }

    private long orderId(int slot) {
        return getLong(slot, ID);
    }

    private void setOrderId(int slot, long value) {
        setLong(slot, ID, value);
    }

    private long orderOwner(int slot) {
        return getLong(slot, OWNER);
    }

    private void setOrderOwner(int slot, long value) {
        setLong(slot, OWNER, value);
    }

    private int orderPrev(int slot) {
        return getInt(slot, PREV);
    }

    private void setOrderPrev(int slot, int value) {
        setInt(slot, PREV, value);
    }

    private int orderNext(int slot) {
        return getInt(slot, NEXT);
    }

    private void setOrderNext(int slot, int value) {
        setInt(slot, NEXT, value);
    }

    private int orderLevel(int slot) {
        return getInt(slot, LEVEL);
    }

    private void setOrderLevel(int slot, int value) {
        setInt(slot, LEVEL, value);
    }

    private int ownerPrev(int slot) {
        return getInt(slot, OWNER_PREV);
    }

    private void setOwnerPrev(int slot, int value) {
        setInt(slot, OWNER_PREV, value);
    }

    private int ownerNext(int slot) {
        return getInt(slot, OWNER_NEXT);
    }

    private void setOwnerNext(int slot, int value) {
        setInt(slot, OWNER_NEXT, value);
    }

    private int orderSide(int slot) {
        return orders[slot * ORDER_BYTES + SIDE];
    }

    private void setOrderSide(int slot, int value) {
        orders[slot * ORDER_BYTES + SIDE] = (byte) value;
    }

    private int orderFlags(int slot) {
        return orders[slot * ORDER_BYTES + FLAGS];
    }

    private void setOrderFlags(int slot, int value) {
        orders[slot * ORDER_BYTES + FLAGS] = (byte) value;
    }

    private int orderStp(int slot) {
        return orders[slot * ORDER_BYTES + STP_MODE];
    }

    private void setOrderStp(int slot, int value) {
        orders[slot * ORDER_BYTES + STP_MODE] = (byte) value;
    }

    // ------------------------------------------------------------------ levels: pool, price map, tree

    private int newLevel(int s, long price) {
        if (freeLevel == NIL) {
            purgeEmpty(BUY);
            purgeEmpty(SELL);
        }
        int level = freeLevel;
        freeLevel = levelLeft[level];
        levelPrice[level] = price;
        levelKey[level] = s == BUY ? -price : price;
        levelSide[level] = (byte) s;
        levelQty[level] = 0;
        levelCount[level] = 0;
        levelHead[level] = NIL;
        levelTail[level] = NIL;
        if (first[s] == NIL) {
            // the side has no level: its ladder is all NIL and may move to centre on this price
            ladderBase[s] = Math.max(0, price - LADDER_TICKS / 2);
        }
        levelByPrice[s].put(price, level);
        setLadder(s, price, level);
        root[s] = insert(root[s], level);
        levelRed[root[s]] = false;
        // link into the price-ordered list before the next worse level (found in the tree)
        int next = treeSuccessor(s, level);
        int prev = next == NIL ? last[s] : levelPrev[next];
        levelNext[level] = next;
        levelPrev[level] = prev;
        if (prev == NIL) {
            first[s] = level;
        } else {
            levelNext[prev] = level;
        }
        if (next == NIL) {
            last[s] = level;
        } else {
            levelPrev[next] = level;
        }
        // the new level is about to receive an order: it counts as live
        if (best[s] == NIL || levelKey[level] < levelKey[best[s]]) {
            best[s] = level;
        }
        levelsPerSide[s]++;
        return level;
    }

    /** an empty level receives an order again */
    private void revive(int level, int s) {
        emptyLevels[s]--;
        levelsPerSide[s]++;
        if (best[s] == NIL || levelKey[level] < levelKey[best[s]]) {
            best[s] = level;
        }
    }

    private void markEmpty(int level, int s) {
        emptyLevels[s]++;
        levelsPerSide[s]--;
        if (best[s] == level) {
            best[s] = nextLive(levelNext[level]);
        }
        if (emptyLevels[s] > levelsPerSide[s] + EMPTY_LEVEL_SLACK) {
            purgeEmpty(s);
        }
    }

    /** the first non-empty level from {@code level} on in priority order, or NIL */
    private int nextLive(int level) {
        while (level != NIL && levelCount[level] == 0) {
            level = levelNext[level];
        }
        return level;
    }

    /** removes every empty level of a side from the list, the price map and the tree, and frees it */
    private void purgeEmpty(int s) {
        int level = first[s];
        while (level != NIL) {
            int next = levelNext[level];
            if (levelCount[level] == 0) {
                int prev = levelPrev[level];
                if (prev == NIL) {
                    first[s] = next;
                } else {
                    levelNext[prev] = next;
                }
                if (next == NIL) {
                    last[s] = prev;
                } else {
                    levelPrev[next] = prev;
                }
                levelByPrice[s].remove(levelPrice[level]);
                setLadder(s, levelPrice[level], NIL);
                int r = root[s];
                if (!isRed(levelLeft[r]) && !isRed(levelRight[r])) {
                    levelRed[r] = true;
                }
                r = delete(r, levelKey[level]);
                if (r != NIL) {
                    levelRed[r] = false;
                }
                root[s] = r;
                levelLeft[level] = freeLevel;
                freeLevel = level;
            }
            level = next;
        }
        emptyLevels[s] = 0;
    }

    /** the level (empty or not) of a price on side {@code s}, or NIL */
    private int levelAt(int s, long price) {
        long offset = price - ladderBase[s];
        if (offset >= 0 && offset < LADDER_TICKS) {
            return ladder[s][(int) offset];
        }
        long found = levelByPrice[s].get(price);
        return found == MISSING ? NIL : (int) found;
    }

    private void setLadder(int s, long price, int level) {
        long offset = price - ladderBase[s];
        if (offset >= 0 && offset < LADDER_TICKS) {
            ladder[s][(int) offset] = level;
        }
    }

    /** the level after {@code level} in priority order on side {@code s} (empty ones included), or NIL */
    private int treeSuccessor(int s, int level) {
        long key = levelKey[level];
        int node = root[s];
        int next = NIL;
        while (node != NIL) {
            if (levelKey[node] > key) {
                next = node;
                node = levelLeft[node];
            } else {
                node = levelRight[node];
            }
        }
        return next;
    }

    // Left-leaning red-black tree over level indices (Sedgewick's algorithm). Keys are unique per side.

    private boolean isRed(int node) {
        return node != NIL && levelRed[node];
    }

    private int insert(int h, int node) {
        if (h == NIL) {
            levelLeft[node] = NIL;
            levelRight[node] = NIL;
            levelRed[node] = true;
            return node;
        }
        if (levelKey[node] < levelKey[h]) {
            levelLeft[h] = insert(levelLeft[h], node);
        } else {
            levelRight[h] = insert(levelRight[h], node);
        }
        return fixUp(h);
    }

    private int delete(int h, long key) {
        if (key < levelKey[h]) {
            if (!isRed(levelLeft[h]) && !isRed(levelLeft[levelLeft[h]])) {
                h = moveRedLeft(h);
            }
            levelLeft[h] = delete(levelLeft[h], key);
        } else {
            if (isRed(levelLeft[h])) {
                h = rotateRight(h);
            }
            if (key == levelKey[h] && levelRight[h] == NIL) {
                return NIL;
            }
            if (!isRed(levelRight[h]) && !isRed(levelLeft[levelRight[h]])) {
                h = moveRedRight(h);
            }
            if (key == levelKey[h]) {
                // splice the successor into h's place: node identity is the level, so keys are not copied
                int successor = min(levelRight[h]);
                levelRight[successor] = deleteMin(levelRight[h]);
                levelLeft[successor] = levelLeft[h];
                levelRed[successor] = levelRed[h];
                h = successor;
            } else {
                levelRight[h] = delete(levelRight[h], key);
            }
        }
        return fixUp(h);
    }

    private int deleteMin(int h) {
        if (levelLeft[h] == NIL) {
            return NIL;
        }
        if (!isRed(levelLeft[h]) && !isRed(levelLeft[levelLeft[h]])) {
            h = moveRedLeft(h);
        }
        levelLeft[h] = deleteMin(levelLeft[h]);
        return fixUp(h);
    }

    private int min(int h) {
        while (levelLeft[h] != NIL) {
            h = levelLeft[h];
        }
        return h;
    }

    private int rotateLeft(int h) {
        int x = levelRight[h];
        levelRight[h] = levelLeft[x];
        levelLeft[x] = h;
        levelRed[x] = levelRed[h];
        levelRed[h] = true;
        return x;
    }

    private int rotateRight(int h) {
        int x = levelLeft[h];
        levelLeft[h] = levelRight[x];
        levelRight[x] = h;
        levelRed[x] = levelRed[h];
        levelRed[h] = true;
        return x;
    }

    private void flipColors(int h) {
        levelRed[h] = !levelRed[h];
        levelRed[levelLeft[h]] = !levelRed[levelLeft[h]];
        levelRed[levelRight[h]] = !levelRed[levelRight[h]];
    }

    private int moveRedLeft(int h) {
        flipColors(h);
        if (isRed(levelLeft[levelRight[h]])) {
            levelRight[h] = rotateRight(levelRight[h]);
            h = rotateLeft(h);
            flipColors(h);
        }
        return h;
    }

    private int moveRedRight(int h) {
        flipColors(h);
        if (isRed(levelLeft[levelLeft[h]])) {
            h = rotateRight(h);
            flipColors(h);
        }
        return h;
    }

    private int fixUp(int h) {
        if (isRed(levelRight[h]) && !isRed(levelLeft[h])) {
            h = rotateLeft(h);
        }
        if (isRed(levelLeft[h]) && isRed(levelLeft[levelLeft[h]])) {
            h = rotateRight(h);
        }
        if (isRed(levelLeft[h]) && isRed(levelRight[h])) {
            flipColors(h);
        }
        return h;
    }
}
