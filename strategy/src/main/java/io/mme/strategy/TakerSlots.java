package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.Instrument;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import io.mme.strategy.api.TakerOrders;

/**
 * One strategy's taker (IOC) orders in flight, and the {@link TakerOrders} its strategy asks
 * through: during {@link io.mme.strategy.api.Strategy#take} it rounds each request (limit price to
 * the venue's tick, a buy down and a sell up; size down to the lot; nothing under the venue's
 * minimum quantity or notional, nothing on a book that is not VALID) and writes it as a taker
 * intent into the slot of the event being decided, its client order id derived from the slot like
 * every order's ({@link ClientOrderIds}). It keeps, per order in flight (at most
 * {@value #CAPACITY}), the id, instrument index, side, quantity and quantity filled, until the
 * order is done (filled, its rest expired, or rejected).
 *
 * <p>Owned by its {@link StrategyUnit}, on the strategy engine's thread; allocation-free.
 */
final class TakerSlots implements TakerOrders {
    static final int CAPACITY = 8;
    private static final Side[] SIDES = Side.values();

    private final Instrument[] instruments;
    private final int[] instrumentIds;
    private final int[] venueIds;
    private final long[] nanosPerTick;
    private final long[] nanosPerLot;
    /** the unit's array: whether each instrument's book is VALID now */
    private final boolean[] topValid;

    private final long[] id = new long[CAPACITY];
    private final int[] instrument = new int[CAPACITY];
    private final Side[] side = new Side[CAPACITY];
    private final long[] quantityLots = new long[CAPACITY];
    private final long[] filledLots = new long[CAPACITY];

    /** the event being decided; null outside {@link #open} .. {@link #close} */
    private InboundEvent event;

    TakerSlots(Instrument[] instruments, int[] instrumentIds, int[] venueIds, long[] nanosPerTick, long[] nanosPerLot,
               boolean[] topValid) {
        this.instruments = instruments;
        this.instrumentIds = instrumentIds;
        this.venueIds = venueIds;
        this.nanosPerTick = nanosPerTick;
        this.nanosPerLot = nanosPerLot;
        this.topValid = topValid;
    }

    void open(InboundEvent event) {
        this.event = event;
    }

    void close() {
        this.event = null;
    }

    @Override
    public long take(int i, io.mme.strategy.api.Side apiSide, double limitPriceNanos, long sizeNanos) {
        if (event == null || i < 0 || i >= instruments.length || apiSide == null || !topValid[i]
                || !(limitPriceNanos > 0) || limitPriceNanos == Double.POSITIVE_INFINITY || sizeNanos <= 0
                || event.intentCount() >= InboundEvent.MAX_INTENTS) {
            return NOT_SENT;
        }
        int free = -1;
        for (int t = 0; t < CAPACITY; t++) {
            if (id[t] == 0) {
                free = t;
                break;
            }
        }
        if (free < 0) {
            return NOT_SENT;
        }
        Side s = SIDES[apiSide.ordinal()];
        long lots = sizeNanos / nanosPerLot[i];
        // the safe direction: a buy never pays more than asked, a sell never gets less
        long ticks = s == Side.BUY
                ? StrategyUnit.ticksAtOrBelow((long) Math.floor(limitPriceNanos), nanosPerTick[i])
                : StrategyUnit.ticksAtOrAbove((long) Math.ceil(limitPriceNanos), nanosPerTick[i]);
        Instrument venueInstrument = instruments[i];
        if (lots <= 0 || lots < venueInstrument.minQuantityLots() || ticks <= 0
                || !venueInstrument.meetsMinNotional(ticks, lots)) {
            return NOT_SENT;
        }
        long orderId = ClientOrderIds.of(event.sequence(), event.intentCount());
        event.addIntent().taker(venueIds[i], instrumentIds[i], s, ticks, lots);
        id[free] = orderId;
        instrument[free] = i;
        side[free] = s;
        quantityLots[free] = lots;
        filledLots[free] = 0;
        return orderId;
    }

    @Override
    public int capacity() {
        return CAPACITY;
    }

    /** the index of a taker order in flight, or -1 */
    int indexOf(long clientOrderId) {
        if (clientOrderId <= 0) {
            return -1;
        }
        for (int t = 0; t < CAPACITY; t++) {
            if (id[t] == clientOrderId) {
                return t;
            }
        }
        return -1;
    }

    long id(int t) {
        return id[t];
    }

    int instrument(int t) {
        return instrument[t];
    }

    Side side(int t) {
        return side[t];
    }

    long filled(int t) {
        return filledLots[t];
    }

    long unfilled(int t) {
        return quantityLots[t] - filledLots[t];
    }

    void fill(int t, long lots) {
        filledLots[t] += lots;
    }

    /** the order is done: its slot is free again */
    void done(int t) {
        id[t] = 0;
        side[t] = null;
        quantityLots[t] = 0;
        filledLots[t] = 0;
        instrument[t] = 0;
    }

    /** orders in flight */
    int inFlight() {
        int n = 0;
        for (long orderId : id) {
            if (orderId != 0) {
                n++;
            }
        }
        return n;
    }

    void writeState(StateWriter out) {
        out.putInt(CAPACITY);
        for (int t = 0; t < CAPACITY; t++) {
            out.putLong(id[t]).putInt(instrument[t]).putEnum(side[t]).putLong(quantityLots[t]).putLong(filledLots[t]);
        }
    }

    void readState(StateReader in) {
        int capacity = in.getInt();
        if (capacity != CAPACITY) {
            throw new StateFormatException("strategy state holds " + capacity + " taker orders, this engine " + CAPACITY);
        }
        for (int t = 0; t < CAPACITY; t++) {
            id[t] = in.getLong();
            instrument[t] = in.getInt();
            side[t] = in.getEnum(SIDES);
            quantityLots[t] = in.getLong();
            filledLots[t] = in.getLong();
            if (instrument[t] < 0 || instrument[t] >= instruments.length) {
                throw new StateFormatException("strategy state: taker order " + t + " on instrument " + instrument[t]
                        + ", the strategy has " + instruments.length);
            }
        }
    }

    void digestState(StateDigest digest) {
        for (int t = 0; t < CAPACITY; t++) {
            digest.putLong(id[t]).putInt(instrument[t]).putInt(side[t] == null ? -1 : side[t].ordinal())
                    .putLong(quantityLots[t]).putLong(filledLots[t]);
        }
    }
}
