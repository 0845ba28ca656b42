package io.mme.execution;

import io.mme.core.ring.Side;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The console's copy of the open orders and of our last fills, published by the execution engine's
 * thread on TIMER events (and after a restore, at shutdown) and read by any thread.
 *
 * <p>Owns two fixed sets of primitive arrays, sized at start-up: the published open orders (as many
 * as the order table holds) and the published last {@link #FILLS_KEPT} fills. The engine's thread is
 * the only writer ({@link #publish}); it allocates nothing. Readers copy into their own
 * {@link OpenOrders} under a sequence lock: the writer makes the version odd, writes, makes it even
 * again; a reader that saw the same even version before and after its copy has one consistent
 * publish, otherwise it tries again (a publish takes microseconds, once per TIMER).
 */
public final class OpenOrdersView {
    /** the fills a publish carries, newest last */
    public static final int FILLS_KEPT = 64;
    private static final int READ_ATTEMPTS = 1_000;

    private final AtomicLong version = new AtomicLong();
    private final int capacity;
    private final Published published;

    OpenOrdersView(int capacity) {
        this.capacity = capacity;
        this.published = new Published(capacity);
    }

    /** how many open orders a publish can hold (the order table's capacity) */
    public int capacity() {
        return capacity;
    }

    /** a buffer to read into, sized for this view; one reader at a time may use it */
    public OpenOrders newBuffer() {
        return new OpenOrders(capacity);
    }

    /**
     * Copies the last publish into {@code into}.
     *
     * @return false when no consistent copy could be taken in {@value #READ_ATTEMPTS} attempts (the
     * engine publishing all the while); {@code into} then holds nothing ({@code count() == 0})
     */
    public boolean read(OpenOrders into) {
        if (into.capacity() < capacity) {
            throw new IllegalArgumentException("buffer of " + into.capacity() + " orders for a view of " + capacity);
        }
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            long before = version.getAcquire();
            if ((before & 1) == 0) {
                into.copyFrom(published);
                VarHandle.acquireFence();
                if (version.getPlain() == before) {
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        into.clear();
        return false;
    }

    /** engine thread only: the table's open orders and the fills recorded so far, as of event time {@code nowNanos} */
    void publish(OrderTable table, FillRecorder fills, long nowNanos) {
        long v = version.getPlain();
        version.setPlain(v + 1);
        VarHandle.storeStoreFence();
        published.copyFrom(table, fills, nowNanos);
        version.setRelease(v + 2);
    }

    /** the fills the engine records as they happen (engine thread only), a ring of the last {@link #FILLS_KEPT} */
    static final class FillRecorder {
        final long[] timeNanos = new long[FILLS_KEPT];
        final long[] clientOrderId = new long[FILLS_KEPT];
        final int[] venue = new int[FILLS_KEPT];
        final int[] instrument = new int[FILLS_KEPT];
        final byte[] side = new byte[FILLS_KEPT];
        final long[] priceTicks = new long[FILLS_KEPT];
        final long[] lots = new long[FILLS_KEPT];
        /** fills recorded since start; the ring's newest is at (total - 1) % FILLS_KEPT */
        long total;

        void record(long eventNanos, long orderId, int venueId, int instrumentId, Side s, long price, long quantity) {
            int i = (int) (total % FILLS_KEPT);
            timeNanos[i] = eventNanos;
            clientOrderId[i] = orderId;
            venue[i] = venueId;
            instrument[i] = instrumentId;
            side[i] = (byte) s.ordinal();
            priceTicks[i] = price;
            lots[i] = quantity;
            total++;
        }
    }

    /** what one publish holds; the view's own copy is written by the engine thread only */
    static class Published {
        final long[] clientOrderId;
        final int[] venue;
        final int[] instrument;
        final byte[] side;
        final byte[] state;
        final long[] priceTicks;
        final long[] quantityLots;
        final long[] filledLots;
        final long[] placedNanos;
        int count;
        long publishedAtNanos;

        final long[] fillTimeNanos = new long[FILLS_KEPT];
        final long[] fillOrderId = new long[FILLS_KEPT];
        final int[] fillVenue = new int[FILLS_KEPT];
        final int[] fillInstrument = new int[FILLS_KEPT];
        final byte[] fillSide = new byte[FILLS_KEPT];
        final long[] fillPriceTicks = new long[FILLS_KEPT];
        final long[] fillLots = new long[FILLS_KEPT];
        int fillCount;
        long fillsTotal;

        Published(int capacity) {
            clientOrderId = new long[capacity];
            venue = new int[capacity];
            instrument = new int[capacity];
            side = new byte[capacity];
            state = new byte[capacity];
            priceTicks = new long[capacity];
            quantityLots = new long[capacity];
            filledLots = new long[capacity];
            placedNanos = new long[capacity];
        }

        void copyFrom(OrderTable table, FillRecorder fills, long nowNanos) {
            int n = 0;
            for (int slot = 0; slot < table.highWater() && n < clientOrderId.length; slot++) {
                if (table.occupied(slot)) {
                    clientOrderId[n] = table.id(slot);
                    venue[n] = table.venue(slot);
                    instrument[n] = table.instrument(slot);
                    side[n] = (byte) table.side(slot).ordinal();
                    state[n] = (byte) table.state(slot).ordinal();
                    priceTicks[n] = table.price(slot);
                    quantityLots[n] = table.quantity(slot);
                    filledLots[n] = table.filled(slot);
                    placedNanos[n] = table.placedNanos(slot);
                    n++;
                }
            }
            count = n;
            publishedAtNanos = nowNanos;
            int kept = (int) Math.min(fills.total, FILLS_KEPT);
            for (int k = 0; k < kept; k++) {
                // oldest first
                int i = (int) ((fills.total - kept + k) % FILLS_KEPT);
                fillTimeNanos[k] = fills.timeNanos[i];
                fillOrderId[k] = fills.clientOrderId[i];
                fillVenue[k] = fills.venue[i];
                fillInstrument[k] = fills.instrument[i];
                fillSide[k] = fills.side[i];
                fillPriceTicks[k] = fills.priceTicks[i];
                fillLots[k] = fills.lots[i];
            }
            fillCount = kept;
            fillsTotal = fills.total;
        }

        void copyFrom(Published other) {
            int n = other.count;
            System.arraycopy(other.clientOrderId, 0, clientOrderId, 0, n);
            System.arraycopy(other.venue, 0, venue, 0, n);
            System.arraycopy(other.instrument, 0, instrument, 0, n);
            System.arraycopy(other.side, 0, side, 0, n);
            System.arraycopy(other.state, 0, state, 0, n);
            System.arraycopy(other.priceTicks, 0, priceTicks, 0, n);
            System.arraycopy(other.quantityLots, 0, quantityLots, 0, n);
            System.arraycopy(other.filledLots, 0, filledLots, 0, n);
            System.arraycopy(other.placedNanos, 0, placedNanos, 0, n);
            count = Math.min(n, clientOrderId.length);
            publishedAtNanos = other.publishedAtNanos;
            int f = Math.min(other.fillCount, FILLS_KEPT);
            System.arraycopy(other.fillTimeNanos, 0, fillTimeNanos, 0, f);
            System.arraycopy(other.fillOrderId, 0, fillOrderId, 0, f);
            System.arraycopy(other.fillVenue, 0, fillVenue, 0, f);
            System.arraycopy(other.fillInstrument, 0, fillInstrument, 0, f);
            System.arraycopy(other.fillSide, 0, fillSide, 0, f);
            System.arraycopy(other.fillPriceTicks, 0, fillPriceTicks, 0, f);
            System.arraycopy(other.fillLots, 0, fillLots, 0, f);
            fillCount = f;
            fillsTotal = other.fillsTotal;
        }

        void clear() {
            count = 0;
            fillCount = 0;
            fillsTotal = 0;
            publishedAtNanos = 0;
        }
    }

    /**
     * A reader's copy of one publish: the open orders in table-slot order and the last fills, oldest
     * first. Not thread-safe: one reader at a time (its owner's).
     */
    public static final class OpenOrders extends Published {
        private static final Side[] SIDES = Side.values();
        private static final OrderState[] STATES = OrderState.values();

        OpenOrders(int capacity) {
            super(capacity);
        }

        int capacity() {
            return clientOrderId.length;
        }

        /** open orders in this copy */
        public int count() {
            return count;
        }

        /** event time of the publish (the TIMER's); 0 before the first */
        public long publishedAtNanos() {
            return publishedAtNanos;
        }

        public long clientOrderId(int i) {
            return clientOrderId[i];
        }

        public int venueId(int i) {
            return venue[i];
        }

        public int instrumentId(int i) {
            return instrument[i];
        }

        public Side side(int i) {
            return SIDES[side[i]];
        }

        public String state(int i) {
            return STATES[state[i]].name();
        }

        public long priceTicks(int i) {
            return priceTicks[i];
        }

        public long quantityLots(int i) {
            return quantityLots[i];
        }

        public long filledLots(int i) {
            return filledLots[i];
        }

        /** event time the order was placed; 0 when unknown (restored from a state file) */
        public long placedNanos(int i) {
            return placedNanos[i];
        }

        /** our fills in this copy (the last {@link #FILLS_KEPT} at most), oldest first */
        public int fillCount() {
            return fillCount;
        }

        /** our fills since the engine started (beyond those kept) */
        public long fillsTotal() {
            return fillsTotal;
        }

        public long fillTimeNanos(int k) {
            return fillTimeNanos[k];
        }

        public long fillClientOrderId(int k) {
            return fillOrderId[k];
        }

        public int fillVenueId(int k) {
            return fillVenue[k];
        }

        public int fillInstrumentId(int k) {
            return fillInstrument[k];
        }

        public Side fillSide(int k) {
            return SIDES[fillSide[k]];
        }

        public long fillPriceTicks(int k) {
            return fillPriceTicks[k];
        }

        public long fillLots(int k) {
            return fillLots[k];
        }
    }
}
