package io.mme.execution;

import io.mme.core.state.CheckedStateReader;
import io.mme.core.state.CheckedStateWriter;
import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The open orders, in parallel primitive arrays sized at start-up, indexed by client order id
 * through an Agrona {@link Long2LongHashMap} sized never to grow; free slots form a list. An order
 * that ends (FILLED, CANCELLED, REJECTED) leaves the table for a ring of recently ended orders (id,
 * venue, quantity, filled, final state), so that a late fill or a late report for it is recognised
 * and accounted rather than taken for an unknown id. Nothing here allocates after construction
 * (except {@link #openIdsSorted()}, for the control path and the digest).
 *
 * <p>Not thread-safe: owned by the execution engine's thread.
 */
final class OrderTable {
    static final int NONE = -1;
    static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final long MISSING = -1;

    private final int capacity;
    /** 0 = free slot (client order ids are always above 0) */
    private final long[] id;
    private final int[] venue;
    private final int[] instrument;
    private final Side[] side;
    private final long[] price;
    private final long[] quantity;
    private final long[] filled;
    private final byte[] state;
    /** event time by which the venue's answer is due; NO_DEADLINE when none is awaited */
    private final long[] deadline;
    private final int[] statusQueries;
    /** a replace was still unanswered when the cancel went out: the next cancel-reject is the replace's */
    private final boolean[] replaceOutstanding;
    private final long[] lastTradeId;
    /** event time the order was placed (for its age on the console; not part of the state: 0 after a restore) */
    private final long[] placedNanos;
    private final int[] nextFree;
    private final Long2LongHashMap index;
    private int freeHead;
    private int size;
    /** slots at or above this were never used: scans stop here */
    private int highWater;

    private final long[] doneId;
    private final int[] doneVenue;
    private final long[] doneQuantity;
    private final long[] doneFilled;
    private final byte[] doneState;
    private final Long2LongHashMap doneIndex;
    private int doneNext;

    OrderTable(int capacity, int recentTerminal) {
        this.capacity = capacity;
        id = new long[capacity];
        venue = new int[capacity];
        instrument = new int[capacity];
        side = new Side[capacity];
        price = new long[capacity];
        quantity = new long[capacity];
        filled = new long[capacity];
        state = new byte[capacity];
        deadline = new long[capacity];
        statusQueries = new int[capacity];
        replaceOutstanding = new boolean[capacity];
        lastTradeId = new long[capacity];
        placedNanos = new long[capacity];
        nextFree = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            nextFree[i] = i + 1 < capacity ? i + 1 : NONE;
        }
        freeHead = 0;
        // twice the entries at the default load factor: the map never resizes (no allocation)
        index = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
        doneId = new long[recentTerminal];
        doneVenue = new int[recentTerminal];
        doneQuantity = new long[recentTerminal];
        doneFilled = new long[recentTerminal];
        doneState = new byte[recentTerminal];
        doneIndex = new Long2LongHashMap(recentTerminal * 2, 0.65f, MISSING);
    }

    boolean isFull() {
        return freeHead == NONE;
    }

    int size() {
        return size;
    }

    int highWater() {
        return highWater;
    }

    /** the slot of open order {@code clientOrderId}, or NONE */
    int slotOf(long clientOrderId) {
        return (int) index.get(clientOrderId);
    }

    /** adds an open order; the caller checked {@link #isFull()} */
    int add(long clientOrderId, int venueId, int instrumentId, Side orderSide, long priceTicks, long quantityLots,
            OrderState initial, long eventTimeNanos) {
        int slot = freeHead;
        freeHead = nextFree[slot];
        id[slot] = clientOrderId;
        venue[slot] = venueId;
        instrument[slot] = instrumentId;
        side[slot] = orderSide;
        price[slot] = priceTicks;
        quantity[slot] = quantityLots;
        filled[slot] = 0;
        state[slot] = (byte) initial.ordinal();
        deadline[slot] = NO_DEADLINE;
        statusQueries[slot] = 0;
        replaceOutstanding[slot] = false;
        lastTradeId[slot] = 0;
        placedNanos[slot] = eventTimeNanos;
        index.put(clientOrderId, slot);
        size++;
        if (slot >= highWater) {
            highWater = slot + 1;
        }
        return slot;
    }

    /** moves the order to the recently-ended ring in its terminal state and frees the slot */
    void retire(int slot, OrderState terminal) {
        long orderId = id[slot];
        int d = doneNext;
        if (doneId[d] != 0) {
            doneIndex.remove(doneId[d]);
        }
        doneId[d] = orderId;
        doneVenue[d] = venue[slot];
        doneQuantity[d] = quantity[slot];
        doneFilled[d] = filled[slot];
        doneState[d] = (byte) terminal.ordinal();
        doneIndex.put(orderId, d);
        doneNext = d + 1 == doneId.length ? 0 : d + 1;

        index.remove(orderId);
        id[slot] = 0;
        side[slot] = null;
        nextFree[slot] = freeHead;
        freeHead = slot;
        size--;
    }

    boolean occupied(int slot) {
        return id[slot] != 0;
    }

    long id(int slot) {
        return id[slot];
    }

    int venue(int slot) {
        return venue[slot];
    }

    int instrument(int slot) {
        return instrument[slot];
    }

    Side side(int slot) {
        return side[slot];
    }

    long price(int slot) {
        return price[slot];
    }

    void price(int slot, long priceTicks) {
        price[slot] = priceTicks;
    }

    long quantity(int slot) {
        return quantity[slot];
    }

    void quantity(int slot, long lots) {
        quantity[slot] = lots;
    }

    long filled(int slot) {
        return filled[slot];
    }

    void filled(int slot, long lots) {
        filled[slot] = lots;
    }

    OrderState state(int slot) {
        return OrderState.of(state[slot]);
    }

    void state(int slot, OrderState s) {
        state[slot] = (byte) s.ordinal();
    }

    long deadline(int slot) {
        return deadline[slot];
    }

    void deadline(int slot, long nanos) {
        deadline[slot] = nanos;
    }

    int statusQueries(int slot) {
        return statusQueries[slot];
    }

    void statusQueries(int slot, int n) {
        statusQueries[slot] = n;
    }

    boolean replaceOutstanding(int slot) {
        return replaceOutstanding[slot];
    }

    void replaceOutstanding(int slot, boolean outstanding) {
        replaceOutstanding[slot] = outstanding;
    }

    long lastTradeId(int slot) {
        return lastTradeId[slot];
    }

    void lastTradeId(int slot, long tradeId) {
        lastTradeId[slot] = tradeId;
    }

    /** event time the order was placed; 0 when unknown (restored from a state file) */
    long placedNanos(int slot) {
        return placedNanos[slot];
    }

    /** the recently-ended entry of {@code clientOrderId}, or NONE */
    int doneSlotOf(long clientOrderId) {
        return (int) doneIndex.get(clientOrderId);
    }

    int doneVenue(int d) {
        return doneVenue[d];
    }

    long doneQuantity(int d) {
        return doneQuantity[d];
    }

    long doneFilled(int d) {
        return doneFilled[d];
    }

    void doneFilled(int d, long lots) {
        doneFilled[d] = lots;
    }

    OrderState doneState(int d) {
        return OrderState.of(doneState[d]);
    }

    /** the open orders' ids in ascending order; allocates (control path, digest) */
    long[] openIdsSorted() {
        long[] ids = new long[size];
        int n = 0;
        for (int slot = 0; slot < highWater; slot++) {
            if (id[slot] != 0) {
                ids[n++] = id[slot];
            }
        }
        Arrays.sort(ids);
        return ids;
    }

    int capacity() {
        return capacity;
    }

    /**
     * The open orders in slot order (every field), the free slots below the high-water mark in free-list
     * order (the list goes on with the never-used slots above it, in order), then the recently-ended ring
     * (its cursor and its filled entries in ring order). A reader rebuilds the same slots, the same free
     * list and the same ring, so it hands out the same slots and evicts the same ended orders.
     */
    void writeState(CheckedStateWriter out) {
        out.putInt(highWater).putInt(size);
        for (int slot = 0; slot < highWater; slot++) {
            if (id[slot] != 0) {
                out.putInt(slot).putLong(id[slot]).putInt(venue[slot]).putInt(instrument[slot]).putEnum(side[slot])
                        .putLong(price[slot]).putLong(quantity[slot]).putLong(filled[slot]).putInt(state[slot])
                        .putLong(deadline[slot]).putInt(statusQueries[slot]).putBoolean(replaceOutstanding[slot])
                        .putLong(lastTradeId[slot]);
            }
        }
        out.putInt(highWater - size);
        int slot = freeHead;
        int listed = 0;
        while (slot != NONE && slot < highWater) {
            out.putInt(slot);
            listed++;
            slot = nextFree[slot];
        }
        if (listed != highWater - size || slot != (highWater < capacity ? highWater : NONE)) {
            throw new IllegalStateException("order table free list broken: " + listed + " free slots below " + highWater
                    + " beside " + size + " orders, then slot " + slot);
        }
        int ended = 0;
        for (long orderId : doneId) {
            if (orderId != 0) {
                ended++;
            }
        }
        out.putInt(doneNext).putInt(ended);
        for (int d = 0; d < doneId.length; d++) {
            if (doneId[d] != 0) {
                out.putInt(d).putLong(doneId[d]).putInt(doneVenue[d]).putLong(doneQuantity[d]).putLong(doneFilled[d])
                        .putInt(doneState[d]);
            }
        }
    }

    /** replaces the table with what {@link #writeState} wrote (same capacities) */
    void readState(CheckedStateReader in) {
        Arrays.fill(id, 0);
        Arrays.fill(side, null);
        Arrays.fill(placedNanos, 0);
        index.clear();
        Arrays.fill(doneId, 0);
        doneIndex.clear();
        highWater = in.count(capacity, "order table high-water mark");
        size = in.count(highWater, "open orders");
        int previous = -1;
        for (int k = 0; k < size; k++) {
            int slot = in.index(highWater, "open order slot");
            if (slot <= previous) {
                throw new StateFormatException("open order slot " + slot + " after slot " + previous + ": not in slot order");
            }
            previous = slot;
            long orderId = in.getLong();
            if (orderId <= 0 || index.containsKey(orderId)) {
                throw new StateFormatException("open order id " + orderId + " is not positive or repeated");
            }
            id[slot] = orderId;
            index.put(orderId, slot);
            venue[slot] = in.getInt();
            instrument[slot] = in.getInt();
            side[slot] = in.getEnum(Side.values(), true, "side of order " + orderId);
            price[slot] = in.getLong();
            quantity[slot] = in.getLong();
            filled[slot] = in.getLong();
            OrderState s = in.getEnum(OrderState.values(), false, "state of order " + orderId);
            if (s.isTerminal()) {
                throw new StateFormatException("open order " + orderId + " in terminal state " + s);
            }
            state[slot] = (byte) s.ordinal();
            deadline[slot] = in.getLong();
            statusQueries[slot] = in.count(Integer.MAX_VALUE, "status queries of order " + orderId);
            replaceOutstanding[slot] = in.getBoolean("replace outstanding of order " + orderId);
            lastTradeId[slot] = in.getLong();
        }
        int free = in.count(highWater, "free order slots");
        if (free != highWater - size) {
            throw new StateFormatException(free + " free slots below " + highWater + " beside " + size + " open orders");
        }
        for (int i = 0; i < capacity; i++) {
            nextFree[i] = i + 1 < capacity ? i + 1 : NONE;
        }
        int tail = highWater < capacity ? highWater : NONE;
        freeHead = tail;
        int last = NONE;
        boolean[] listed = new boolean[highWater];
        for (int k = 0; k < free; k++) {
            int slot = in.index(highWater, "free order slot");
            if (id[slot] != 0 || listed[slot]) {
                throw new StateFormatException("free order slot " + slot + " is open or listed twice");
            }
            listed[slot] = true;
            if (last == NONE) {
                freeHead = slot;
            } else {
                nextFree[last] = slot;
            }
            last = slot;
        }
        if (last != NONE) {
            nextFree[last] = tail;
        }
        doneNext = in.index(doneId.length, "recently-ended ring cursor");
        int ended = in.count(doneId.length, "recently-ended orders");
        previous = -1;
        for (int k = 0; k < ended; k++) {
            int d = in.index(doneId.length, "recently-ended entry");
            if (d <= previous) {
                throw new StateFormatException("recently-ended entry " + d + " after " + previous + ": not in ring order");
            }
            previous = d;
            long orderId = in.getLong();
            if (orderId <= 0 || doneIndex.containsKey(orderId)) {
                throw new StateFormatException("recently-ended order id " + orderId + " is not positive or repeated");
            }
            doneId[d] = orderId;
            doneIndex.put(orderId, d);
            doneVenue[d] = in.getInt();
            doneQuantity[d] = in.getLong();
            doneFilled[d] = in.getLong();
            OrderState s = in.getEnum(OrderState.values(), false, "state of ended order " + orderId);
            if (!s.isTerminal()) {
                throw new StateFormatException("recently-ended order " + orderId + " in non-terminal state " + s);
            }
            doneState[d] = (byte) s.ordinal();
        }
    }
}
