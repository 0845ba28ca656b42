package io.mme.risk;

import io.mme.core.state.CheckedStateReader;
import io.mme.core.state.CheckedStateWriter;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Our open orders as risk counts them, by client order id, with the per-instrument, per-venue and
 * per-asset totals the checks need (open order counts, open buy and sell quantity). An arena of
 * parallel primitive arrays sized at start-up, slots recycled through a free list, and an Agrona
 * map from id to slot sized never to grow: nothing allocates after construction. Owned by the risk
 * engine's thread; not thread-safe.
 */
final class OpenOrders {
    private static final long MISSING = -1;

    private final Instrument[] instruments;
    private final int[] assetOf;
    private final Long2LongHashMap slotById;
    private final long[] id;
    private final int[] instrument;
    private final boolean[] buy;
    private final long[] price;
    private final long[] leaves;
    private final boolean[] used;
    private final int[] free;
    private int freeCount;
    private final int[] perInstrument;
    private final int[] perVenue;
    private final long[] openBuyLots;
    private final long[] openSellLots;
    private final long[] assetOpenBuyNanos;
    private final long[] assetOpenSellNanos;

    OpenOrders(InstrumentRegistry registry, int[] assetOf, int assets, int capacity) {
        instruments = registry.all().toArray(new Instrument[0]);
        this.assetOf = assetOf;
        // load factor 0.5 over 4 × capacity: at most half full, so the map never resizes
        slotById = new Long2LongHashMap(4 * capacity, 0.5f, MISSING);
        id = new long[capacity];
        instrument = new int[capacity];
        buy = new boolean[capacity];
        price = new long[capacity];
        leaves = new long[capacity];
        used = new boolean[capacity];
        free = new int[capacity];
        for (int s = 0; s < capacity; s++) {
            free[s] = capacity - 1 - s;
        }
        freeCount = capacity;
        int n = instruments.length;
        perInstrument = new int[n];
        perVenue = new int[Venue.values().length];
        openBuyLots = new long[n];
        openSellLots = new long[n];
        assetOpenBuyNanos = new long[assets];
        assetOpenSellNanos = new long[assets];
    }

    boolean isFull() {
        return freeCount == 0;
    }

    /** opens an order; the caller checked {@link #isFull()} and that the id is new */
    void open(long clientOrderId, int instrumentId, Side side, long priceTicks, long quantityLots) {
        occupy(free[--freeCount], clientOrderId, instrumentId, side == Side.BUY, priceTicks, quantityLots);
    }

    private void occupy(int slot, long clientOrderId, int instrumentId, boolean isBuy, long priceTicks, long quantityLots) {
        slotById.put(clientOrderId, slot);
        id[slot] = clientOrderId;
        used[slot] = true;
        instrument[slot] = instrumentId;
        buy[slot] = isBuy;
        price[slot] = priceTicks;
        leaves[slot] = 0;
        perInstrument[instrumentId]++;
        perVenue[instruments[instrumentId].venue().id()]++;
        leaves(slot, quantityLots);
    }

    /** the slot of a live order, or -1 */
    int slotOf(long clientOrderId) {
        return (int) slotById.get(clientOrderId);
    }

    /** sets what is left of the order, keeping the side totals in step */
    void leaves(int slot, long quantityLots) {
        int i = instrument[slot];
        long delta = quantityLots - leaves[slot];
        long deltaNanos = instruments[i].quantityNanos(quantityLots) - instruments[i].quantityNanos(leaves[slot]);
        if (buy[slot]) {
            openBuyLots[i] += delta;
            assetOpenBuyNanos[assetOf[i]] += deltaNanos;
        } else {
            openSellLots[i] += delta;
            assetOpenSellNanos[assetOf[i]] += deltaNanos;
        }
        leaves[slot] = quantityLots;
    }

    void price(int slot, long priceTicks) {
        price[slot] = priceTicks;
    }

    void close(int slot) {
        leaves(slot, 0);
        int i = instrument[slot];
        perInstrument[i]--;
        perVenue[instruments[i].venue().id()]--;
        slotById.remove(id[slot]);
        used[slot] = false;
        free[freeCount++] = slot;
    }

    int instrumentOf(int slot) {
        return instrument[slot];
    }

    Side sideOf(int slot) {
        return buy[slot] ? Side.BUY : Side.SELL;
    }

    long leavesOf(int slot) {
        return leaves[slot];
    }

    long priceOf(int slot) {
        return price[slot];
    }

    int openOnInstrument(int instrumentId) {
        return perInstrument[instrumentId];
    }

    int openOnVenue(int venueId) {
        return perVenue[venueId];
    }

    int open() {
        return slotById.size();
    }

    /** open quantity on one side of an instrument, lots */
    long openLots(int instrumentId, Side side) {
        return side == Side.BUY ? openBuyLots[instrumentId] : openSellLots[instrumentId];
    }

    /** open quantity on one side over every instrument of an asset, 10^-9 base units */
    long openAssetNanos(int asset, Side side) {
        return side == Side.BUY ? assetOpenBuyNanos[asset] : assetOpenSellNanos[asset];
    }

    /** the slots of every open order, sorted by client order id (digest and tests; allocates) */
    int[] slotsById() {
        long[] ids = new long[slotById.size()];
        int k = 0;
        for (int slot = 0; slot < id.length; slot++) {
            if (used[slot]) {
                ids[k++] = id[slot];
            }
        }
        Arrays.sort(ids);
        int[] slots = new int[ids.length];
        for (int j = 0; j < ids.length; j++) {
            slots[j] = slotOf(ids[j]);
        }
        return slots;
    }

    long idOf(int slot) {
        return id[slot];
    }

    int capacity() {
        return id.length;
    }

    /**
     * The used slots in slot order (slot, id, instrument, side, price, leaves), then the free list
     * as it stands, so that a reader reuses slots in the same order; the totals follow from the orders.
     */
    void writeState(CheckedStateWriter out) {
        out.putInt(slotById.size());
        for (int slot = 0; slot < id.length; slot++) {
            if (used[slot]) {
                out.putInt(slot).putLong(id[slot]).putInt(instrument[slot]).putBoolean(buy[slot]).putLong(price[slot])
                        .putLong(leaves[slot]);
            }
        }
        out.putInt(freeCount);
        for (int k = 0; k < freeCount; k++) {
            out.putInt(free[k]);
        }
    }

    /** replaces every order with what {@link #writeState} wrote (same capacity), rebuilding the totals */
    void readState(CheckedStateReader in) {
        slotById.clear();
        Arrays.fill(used, false);
        Arrays.fill(leaves, 0);
        Arrays.fill(perInstrument, 0);
        Arrays.fill(perVenue, 0);
        Arrays.fill(openBuyLots, 0);
        Arrays.fill(openSellLots, 0);
        Arrays.fill(assetOpenBuyNanos, 0);
        Arrays.fill(assetOpenSellNanos, 0);
        int capacity = id.length;
        int count = in.count(capacity, "open orders");
        int previous = -1;
        for (int k = 0; k < count; k++) {
            int slot = in.index(capacity, "open order slot");
            if (slot <= previous) {
                throw new StateFormatException("open order slot " + slot + " after slot " + previous + ": not in slot order");
            }
            previous = slot;
            long orderId = in.getLong();
            int instrumentId = in.index(instruments.length, "instrument of open order " + orderId);
            boolean isBuy = in.getBoolean("side of open order " + orderId);
            long priceTicks = in.getLong();
            long leavesLots = in.getLong();
            if (orderId <= 0 || slotById.containsKey(orderId) || leavesLots <= 0) {
                throw new StateFormatException("open order " + orderId + " with leaves " + leavesLots
                        + ": the id is not positive or repeated, or nothing is left of it");
            }
            try {
                occupy(slot, orderId, instrumentId, isBuy, priceTicks, leavesLots);
            } catch (ArithmeticException beyondLong) {
                throw new StateFormatException("open order " + orderId + ": leaves " + leavesLots + " lots overflow a long");
            }
        }
        freeCount = in.count(capacity, "free order slots");
        if (freeCount != capacity - count) {
            throw new StateFormatException(freeCount + " free order slots beside " + count + " open orders of " + capacity);
        }
        boolean[] listed = new boolean[capacity];
        for (int k = 0; k < freeCount; k++) {
            int slot = in.index(capacity, "free order slot");
            if (used[slot] || listed[slot]) {
                throw new StateFormatException("free order slot " + slot + " is open or listed twice");
            }
            listed[slot] = true;
            free[k] = slot;
        }
    }
}
