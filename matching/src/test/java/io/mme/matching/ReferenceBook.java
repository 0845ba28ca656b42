package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A second, deliberately plain implementation of {@link OrderBook}'s semantics built from standard
 * collections, used as the oracle of the property tests: it makes the same listener calls with the
 * same values and sequence numbers for every command (tests only).
 */
final class ReferenceBook {
    /** a resting order, or the incoming order of a replace while it matches */
    private static final class Order {
        final long id;
        final long owner;
        final Side side;
        final boolean postOnly;
        final SelfTradePrevention stp;
        long price;
        long qty;

        Order(long id, long owner, Side side, boolean postOnly, SelfTradePrevention stp) {
            this.id = id;
            this.owner = owner;
            this.side = side;
            this.postOnly = postOnly;
            this.stp = stp;
        }
    }

    private final BookConfig config;
    private final BookListener listener;
    private final ExecutionReport report = new ExecutionReport();
    /** price to FIFO queue, best price first */
    private final NavigableMap<Long, ArrayDeque<Order>> bids = new TreeMap<>(Comparator.reverseOrder());
    private final NavigableMap<Long, ArrayDeque<Order>> asks = new TreeMap<>();
    private final Map<Long, Order> byId = new HashMap<>();
    /** each owner's live order ids in the order they entered the book */
    private final Map<Long, LinkedHashSet<Long>> byOwner = new LinkedHashMap<>();
    private long sequence;
    private long nextTradeId = 1;
    private long now;

    ReferenceBook(BookConfig config, BookListener listener) {
        this.config = config;
        this.listener = listener;
    }

    void setTime(long timestampNanos) {
        now = timestampNanos;
    }

    // ------------------------------------------------------------------ commands

    boolean newOrder(long id, long owner, Side side, OrderType type, TimeInForce tif, boolean postOnly,
                     SelfTradePrevention stp, long price, long quantity) {
        if (quantity <= 0) {
            return reject(ExecType.REJECTED, id, owner, side, price, RejectReason.INVALID_QUANTITY);
        }
        if (type == OrderType.MARKET && postOnly) {
            return reject(ExecType.REJECTED, id, owner, side, price, RejectReason.INVALID_ORDER);
        }
        RejectReason badPrice = type == OrderType.LIMIT ? priceProblem(price) : null;
        if (badPrice != null) {
            return reject(ExecType.REJECTED, id, owner, side, price, badPrice);
        }
        long px = type == OrderType.MARKET ? 0 : price;
        if (byId.containsKey(id)) {
            return reject(ExecType.REJECTED, id, owner, side, px, RejectReason.DUPLICATE_ORDER_ID);
        }
        boolean mayRest = type == OrderType.LIMIT && tif == TimeInForce.GTC;
        if (mayRest && byId.size() == config.capacity()) {
            return reject(ExecType.REJECTED, id, owner, side, px, RejectReason.BOOK_FULL);
        }
        if (postOnly && wouldCross(side, type, px)) {
            return reject(ExecType.REJECTED, id, owner, side, px, RejectReason.POST_ONLY_WOULD_CROSS);
        }
        exec(ExecType.ACCEPTED, id, owner, side, px, quantity, 0, 0);
        if (tif == TimeInForce.FOK && !fillableInFull(owner, side, type, px, stp, quantity)) {
            exec(ExecType.CANCELLED, id, owner, side, px, 0, quantity, CancelReason.FOK_UNFILLED.code());
            return true;
        }
        Order incoming = new Order(id, owner, side, postOnly, stp);
        long remaining = match(incoming, type, px, quantity);
        if (remaining <= 0) {
            return true;
        }
        if (mayRest) {
            byId.put(id, incoming);
            byOwner.computeIfAbsent(owner, o -> new LinkedHashSet<>()).add(id);
            rest(incoming, px, remaining);
        } else {
            CancelReason why = type == OrderType.MARKET ? CancelReason.MARKET_REMAINDER
                    : tif == TimeInForce.FOK ? CancelReason.FOK_UNFILLED : CancelReason.IOC_REMAINDER;
            exec(ExecType.CANCELLED, id, owner, side, px, 0, remaining, why.code());
        }
        return true;
    }

    boolean cancel(long owner, long id) {
        Order o = byId.get(id);
        if (o == null || o.owner != owner) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, null, 0, RejectReason.UNKNOWN_ORDER);
        }
        cancelResting(o, CancelReason.USER);
        return true;
    }

    boolean replace(long owner, long id, long newPrice, long newQuantity) {
        Order o = byId.get(id);
        if (o == null || o.owner != owner) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, null, newPrice, RejectReason.UNKNOWN_ORDER);
        }
        if (newQuantity <= 0) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, o.side, newPrice, RejectReason.INVALID_QUANTITY);
        }
        RejectReason badPrice = priceProblem(newPrice);
        if (badPrice != null) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, o.side, newPrice, badPrice);
        }
        if (newPrice == o.price && newQuantity <= o.qty) {
            exec(ExecType.REPLACED, id, owner, o.side, newPrice, newQuantity, 0, 0);
            if (newQuantity < o.qty) {
                o.qty = newQuantity;
                l3(L3Kind.REDUCE, o.id, o.side, o.price, o.qty);
                l2(o.side, o.price);
            }
            return true;
        }
        if (o.postOnly && wouldCross(o.side, OrderType.LIMIT, newPrice)) {
            return reject(ExecType.CANCEL_REJECTED, id, owner, o.side, newPrice, RejectReason.POST_ONLY_WOULD_CROSS);
        }
        exec(ExecType.REPLACED, id, owner, o.side, newPrice, newQuantity, 0, 0);
        long oldPrice = o.price;
        takeOut(o);
        l3(L3Kind.DELETE, o.id, o.side, oldPrice, 0);
        l2(o.side, oldPrice);
        long remaining = match(o, OrderType.LIMIT, newPrice, newQuantity);
        if (remaining <= 0) {
            forget(o);
        } else {
            rest(o, newPrice, remaining);
        }
        return true;
    }

    int massCancel(long owner) {
        List<Long> ids = new ArrayList<>(byOwner.getOrDefault(owner, new LinkedHashSet<>()));
        for (long id : ids) {
            cancelResting(byId.get(id), CancelReason.MASS_CANCEL);
        }
        return ids.size();
    }

    // ------------------------------------------------------------------ L3 replica

    boolean addResting(long id, long owner, Side side, long price, long quantity) {
        if (quantity <= 0 || byId.containsKey(id) || byId.size() == config.capacity()) {
            return false;
        }
        Order o = new Order(id, owner, side, false, SelfTradePrevention.NONE);
        byId.put(id, o);
        byOwner.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(id);
        rest(o, price, quantity);
        return true;
    }

    boolean reduce(long id, long by) {
        Order o = byId.get(id);
        if (o == null || by <= 0) {
            return false;
        }
        if (by >= o.qty) {
            return delete(id);
        }
        o.qty -= by;
        l3(L3Kind.REDUCE, o.id, o.side, o.price, o.qty);
        l2(o.side, o.price);
        return true;
    }

    boolean delete(long id) {
        Order o = byId.get(id);
        if (o == null) {
            return false;
        }
        l3(L3Kind.DELETE, o.id, o.side, o.price, 0);
        takeOut(o);
        forget(o);
        l2(o.side, o.price);
        return true;
    }

    boolean execute(long id, long quantity) {
        Order o = byId.get(id);
        if (o == null || quantity <= 0) {
            return false;
        }
        long q = Math.min(quantity, o.qty);
        listener.onTrade(++sequence, nextTradeId++, o.side.opposite(), o.price, q, id, 0);
        o.qty -= q;
        l3(L3Kind.EXECUTE, o.id, o.side, o.price, o.qty);
        if (o.qty == 0) {
            takeOut(o);
            forget(o);
        }
        l2(o.side, o.price);
        return true;
    }

    // ------------------------------------------------------------------ queries, as OrderBook's

    long bestPrice(Side side) {
        NavigableMap<Long, ArrayDeque<Order>> levels = levelsOf(side);
        return levels.isEmpty() ? OrderBook.NO_PRICE : levels.firstKey();
    }

    long bestQuantity(Side side) {
        NavigableMap<Long, ArrayDeque<Order>> levels = levelsOf(side);
        return levels.isEmpty() ? 0 : quantity(levels.firstEntry().getValue());
    }

    int depth(Side side, int maxLevels, long[] prices, long[] quantities, int[] counts) {
        int n = 0;
        for (Map.Entry<Long, ArrayDeque<Order>> level : levelsOf(side).entrySet()) {
            if (n == maxLevels) {
                break;
            }
            prices[n] = level.getKey();
            quantities[n] = quantity(level.getValue());
            if (counts != null) {
                counts[n] = level.getValue().size();
            }
            n++;
        }
        return n;
    }

    int ordersAt(Side side, long price, long[] ids, long[] quantities) {
        int n = 0;
        for (Order o : levelsOf(side).getOrDefault(price, new ArrayDeque<>())) {
            ids[n] = o.id;
            quantities[n] = o.qty;
            n++;
        }
        return n;
    }

    long remaining(long id) {
        Order o = byId.get(id);
        return o == null ? 0 : o.qty;
    }

    boolean contains(long id) {
        return byId.containsKey(id);
    }

    int restingOrders() {
        return byId.size();
    }

    int levels(Side side) {
        return levelsOf(side).size();
    }

    long sequence() {
        return sequence;
    }

    // the owner, side and price of a resting order, and the resting ids: for the tests' choice of commands

    long ownerOf(long id) {
        return byId.get(id).owner;
    }

    Side sideOf(long id) {
        return byId.get(id).side;
    }

    long priceOf(long id) {
        return byId.get(id).price;
    }

    /** ascending */
    List<Long> restingIds() {
        return byId.keySet().stream().sorted().toList();
    }

    // ------------------------------------------------------------------ matching

    /**
     * Matches the incoming order against the opposite side, best price first and oldest first
     * within a price. Returns what is left to rest or cancel; 0 also when self-trade prevention
     * ended the incoming order (it has then been reported cancelled).
     */
    private long match(Order incoming, OrderType type, long price, long quantity) {
        long remaining = quantity;
        NavigableMap<Long, ArrayDeque<Order>> opposite = levelsOf(incoming.side.opposite());
        while (remaining > 0 && !opposite.isEmpty()) {
            long levelPrice = opposite.firstKey();
            if (type == OrderType.LIMIT && !crosses(incoming.side, price, levelPrice)) {
                break;
            }
            Order maker = opposite.firstEntry().getValue().peekFirst();
            if (incoming.stp == SelfTradePrevention.NONE || maker.owner != incoming.owner) {
                long q = Math.min(maker.qty, remaining);
                remaining -= q;
                trade(maker, q, incoming, price, remaining);
                continue;
            }
            switch (incoming.stp) {
                case CANCEL_RESTING -> cancelResting(maker, CancelReason.SELF_TRADE);
                case CANCEL_INCOMING -> {
                    cancelIncoming(incoming, price, remaining, 0);
                    return 0;
                }
                case CANCEL_BOTH -> {
                    cancelResting(maker, CancelReason.SELF_TRADE);
                    cancelIncoming(incoming, price, remaining, 0);
                    return 0;
                }
                case DECREMENT_AND_CANCEL -> {
                    if (maker.qty < remaining) {
                        long makerQty = maker.qty;
                        cancelResting(maker, CancelReason.SELF_TRADE);
                        remaining -= makerQty;
                        cancelIncoming(incoming, price, makerQty, remaining);
                    } else {
                        if (maker.qty > remaining) {
                            maker.qty -= remaining;
                            exec(ExecType.CANCELLED, maker.id, maker.owner, maker.side, maker.price, maker.qty, remaining,
                                    CancelReason.SELF_TRADE.code());
                            l3(L3Kind.REDUCE, maker.id, maker.side, maker.price, maker.qty);
                            l2(maker.side, maker.price);
                        } else {
                            cancelResting(maker, CancelReason.SELF_TRADE);
                        }
                        cancelIncoming(incoming, price, remaining, 0);
                        return 0;
                    }
                }
                default -> throw new IllegalStateException("unhandled self-trade mode " + incoming.stp);
            }
        }
        return remaining;
    }

    private void trade(Order maker, long q, Order taker, long takerPrice, long takerLeaves) {
        long tradeId = nextTradeId++;
        long px = maker.price;
        maker.qty -= q;
        report.set(maker.qty == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED, config.venueId(), config.instrumentId(),
                maker.id, maker.id, maker.side, maker.price, maker.qty, now).owner(maker.owner).fill(tradeId, px, q, true);
        listener.onExecution(++sequence, report);
        report.set(takerLeaves == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED, config.venueId(), config.instrumentId(),
                taker.id, taker.id, taker.side, takerPrice, takerLeaves, now).owner(taker.owner).fill(tradeId, px, q, false);
        listener.onExecution(++sequence, report);
        listener.onTrade(++sequence, tradeId, taker.side, px, q, maker.id, taker.id);
        l3(L3Kind.EXECUTE, maker.id, maker.side, maker.price, maker.qty);
        if (maker.qty == 0) {
            takeOut(maker);
            forget(maker);
        }
        l2(maker.side, px);
    }

    /** FOK: could the order fill in full now? Stops at an own order, which self-trade prevention would hit first. */
    private boolean fillableInFull(long owner, Side side, OrderType type, long price, SelfTradePrevention stp, long wanted) {
        long sum = 0;
        for (Map.Entry<Long, ArrayDeque<Order>> level : levelsOf(side.opposite()).entrySet()) {
            if (type == OrderType.LIMIT && !crosses(side, price, level.getKey())) {
                break;
            }
            for (Order o : level.getValue()) {
                if (stp != SelfTradePrevention.NONE && o.owner == owner) {
                    if (stp == SelfTradePrevention.CANCEL_RESTING) {
                        continue;
                    }
                    return sum >= wanted;
                }
                sum += o.qty;
            }
        }
        return sum >= wanted;
    }

    private static boolean crosses(Side side, long price, long restingPrice) {
        return side == Side.BUY ? restingPrice <= price : restingPrice >= price;
    }

    private boolean wouldCross(Side side, OrderType type, long price) {
        NavigableMap<Long, ArrayDeque<Order>> opposite = levelsOf(side.opposite());
        return type == OrderType.LIMIT && !opposite.isEmpty() && crosses(side, price, opposite.firstKey());
    }

    private RejectReason priceProblem(long price) {
        if (price < config.minPriceTicks() || price > config.maxPriceTicks()) {
            return RejectReason.PRICE_OUTSIDE_BAND;
        }
        return price % config.priceIncrement() != 0 ? RejectReason.PRICE_OFF_GRID : null;
    }

    // ------------------------------------------------------------------ resting orders

    private void rest(Order o, long price, long quantity) {
        o.price = price;
        o.qty = quantity;
        levelsOf(o.side).computeIfAbsent(price, p -> new ArrayDeque<>()).addLast(o);
        l3(L3Kind.ADD, o.id, o.side, price, quantity);
        l2(o.side, price);
    }

    private void cancelResting(Order o, CancelReason reason) {
        exec(ExecType.CANCELLED, o.id, o.owner, o.side, o.price, 0, o.qty, reason.code());
        l3(L3Kind.DELETE, o.id, o.side, o.price, 0);
        takeOut(o);
        forget(o);
        l2(o.side, o.price);
    }

    private void cancelIncoming(Order incoming, long price, long quantity, long leaves) {
        exec(ExecType.CANCELLED, incoming.id, incoming.owner, incoming.side, price, leaves, quantity,
                CancelReason.SELF_TRADE.code());
    }

    /** removes the order from its level, and the level when it is left empty */
    private void takeOut(Order o) {
        NavigableMap<Long, ArrayDeque<Order>> levels = levelsOf(o.side);
        ArrayDeque<Order> level = levels.get(o.price);
        level.remove(o);
        if (level.isEmpty()) {
            levels.remove(o.price);
        }
    }

    private void forget(Order o) {
        byId.remove(o.id);
        LinkedHashSet<Long> owned = byOwner.get(o.owner);
        owned.remove(o.id);
        if (owned.isEmpty()) {
            byOwner.remove(o.owner);
        }
    }

    private NavigableMap<Long, ArrayDeque<Order>> levelsOf(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    private static long quantity(ArrayDeque<Order> level) {
        return level.stream().mapToLong(o -> o.qty).sum();
    }

    // ------------------------------------------------------------------ output

    private boolean reject(ExecType type, long id, long owner, Side side, long price, RejectReason reason) {
        exec(type, id, owner, side, price, 0, 0, reason.code());
        return false;
    }

    /** an execution report without a fill; {@code lastQty} is the cancelled quantity of a CANCELLED */
    private void exec(ExecType type, long id, long owner, Side side, long price, long leaves, long lastQty, int reason) {
        report.set(type, config.venueId(), config.instrumentId(), id, id, side, price, leaves, now)
                .owner(owner).cancelledQuantity(lastQty).reason(reason);
        listener.onExecution(++sequence, report);
    }

    private void l3(L3Kind kind, long id, Side side, long price, long qty) {
        listener.onOrder(++sequence, kind, id, side, price, qty);
    }

    /** the level as it is now; quantity and count 0 when it is gone */
    private void l2(Side side, long price) {
        ArrayDeque<Order> level = levelsOf(side).get(price);
        if (level == null) {
            listener.onLevel(++sequence, side, price, 0, 0);
        } else {
            listener.onLevel(++sequence, side, price, quantity(level), level.size());
        }
    }
}
