package io.mme.backtest;

import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;

import java.util.ArrayDeque;

/**
 * The discrete-event queue of what the simulated exchange has in flight: order commands on their
 * way to it (due at send time + entry latency) and its answers on their way back (due at answer
 * time + response latency). Ordered by due time, then by the order they were scheduled in, so
 * that equal times keep a fixed order and a run is deterministic.
 *
 * <p>A binary heap over pooled items: scheduling allocates only when more items are in flight
 * than ever before. Thread: the backtest's thread.
 */
final class Schedule {
    /** what an item carries */
    enum Kind { ORDER, REPORT }

    /** one item in flight; pooled and overwritten */
    static final class Item {
        Kind kind;
        long due;
        long order;
        /** ORDER: the command's fields, copied (the ring slot is reused) */
        OrderCommandType type;
        int venueId;
        int instrumentId;
        long ownerId;
        long clientOrderId;
        long targetClientOrderId;
        Side side;
        long priceTicks;
        long quantityLots;
        TimeInForce timeInForce;
        boolean postOnly;
        boolean market;
        long sentNanos;
        /** REPORT: the answer */
        final ExecutionReport report = new ExecutionReport();
    }

    private Item[] heap = new Item[256];
    private int size;
    private long scheduled;
    private final ArrayDeque<Item> pool = new ArrayDeque<>();

    /** a free item to fill and {@link #add} */
    Item obtain() {
        Item item = pool.pollFirst();
        return item != null ? item : new Item();
    }

    void add(Item item, long due) {
        item.due = due;
        item.order = scheduled++;
        if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        heap[i] = item;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(heap[i], heap[parent])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** the due time of the earliest item, or Long.MAX_VALUE */
    long nextDue() {
        return size == 0 ? Long.MAX_VALUE : heap[0].due;
    }

    /** removes and returns the earliest item; give it back with {@link #release} */
    Item poll() {
        Item top = heap[0];
        heap[0] = heap[--size];
        heap[size] = null;
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int c = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
            if (!before(heap[c], heap[i])) {
                break;
            }
            swap(i, c);
            i = c;
        }
        return top;
    }

    void release(Item item) {
        pool.addLast(item);
    }

    int size() {
        return size;
    }

    /** drops everything in flight (tests that build a second exchange on the same schedule) */
    void clearForTest() {
        while (size > 0) {
            release(poll());
        }
    }

    private static boolean before(Item a, Item b) {
        return a.due < b.due || a.due == b.due && a.order < b.order;
    }

    private void swap(int i, int j) {
        Item t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    }
}
