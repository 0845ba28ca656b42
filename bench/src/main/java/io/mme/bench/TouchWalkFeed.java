package io.mme.bench;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import io.mme.core.runtime.InboundPublisher;

import java.util.ArrayList;
import java.util.List;

/**
 * The market data of the pipeline benchmark: for every instrument a snapshot (CLEAR, then the levels,
 * the last one ending the message so the book turns VALID), then an endless walk of the touch that
 * takes every instrument in turn, one L2 level update per call, each a message of its own or, with
 * {@code pairedMessages}, each touch move's two updates (one per side) one message: the first
 * update leaves the message open and the other instruments' updates come between it and the
 * second, which ends it, as messages of several feeds interleave on the ring.
 *
 * <p>All books share one price grid in the quote asset: a step of {@link #STEP_NANOS} (a whole number
 * of every instrument's ticks), a spread of {@link #SPREAD_STEPS} steps and {@link #DEPTH} further
 * levels on each side. The touch walks up {@link #RANGE_STEPS} steps and back down, over and over,
 * two updates per step: going up, a bid one step above the best bid is added (the spread narrows
 * by one step, never to zero) and then the best ask is removed; going down, the best bid is removed
 * and then an ask one step below the best ask is added. So every update moves a touch, no book ever
 * crosses, and each book holds at most {@code DEPTH + RANGE_STEPS + 1} levels a side. Because the
 * instruments move in turn, the consolidated best bid and ask (and so the fair value) move by a step
 * every few updates and the strategy re-quotes.
 *
 * <p>Thread: one generator thread owns an instance. {@link #next} writes into a reused
 * {@link Update} and allocates nothing.
 */
final class TouchWalkFeed {
    /** the price step of the walk, 10^-9 quote units: 0.10 */
    static final long STEP_NANOS = 100_000_000L;
    /** the level-0 spread of every book, in steps */
    static final int SPREAD_STEPS = 4;
    /** how far the touch walks up before it walks back, in steps */
    static final int RANGE_STEPS = 4;
    /** levels behind the walking part on each side */
    static final int DEPTH = 5;
    /** the best bid at the start, 10^-9 quote units: 64,000.00 */
    static final long BASE_BID_NANOS = 64_000L * Instrument.NANOS;
    /** the size of every level, 10^-9 base units: 0.5 */
    static final long SIZE_NANOS = 500_000_000L;
    /** updates per instrument in one walk up and back down */
    static final int CYCLE = 4 * RANGE_STEPS;

    /** one market data item, reused: what {@link #WRITE} copies into a claimed slot */
    static final class Update {
        MarketDataKind kind;
        int venueId;
        int instrumentId;
        Side side;
        long priceTicks;
        long quantityLots;
        long venueSequence;
        boolean endOfMessage;

        Update set(MarketDataKind kind, int venueId, int instrumentId, Side side, long priceTicks, long quantityLots,
                   long venueSequence, boolean endOfMessage) {
            this.kind = kind;
            this.venueId = venueId;
            this.instrumentId = instrumentId;
            this.side = side;
            this.priceTicks = priceTicks;
            this.quantityLots = quantityLots;
            this.venueSequence = venueSequence;
            this.endOfMessage = endOfMessage;
            return this;
        }
    }

    /** fills the slot's market data part from an {@link Update}: non-capturing, allocates nothing */
    static final InboundPublisher.Writer<Update> WRITE = (event, u) -> event.marketData().set(u.kind, u.venueId,
            u.instrumentId, u.side, u.priceTicks, u.quantityLots, u.venueSequence, 0, 0, u.endOfMessage);

    private final int instruments;
    private final int[] venueIds;
    private final long[] stepTicks;
    private final long[] baseBidTicks;
    private final long[] baseAskTicks;
    private final long[] lots;
    /** per instrument: the position in its cycle of {@link #CYCLE} updates */
    private final int[] position;
    private final long[] venueSequence;
    private int nextInstrument;
    /** whether a touch move's two updates form one message (the second ends it) */
    private final boolean pairedMessages;

    TouchWalkFeed(InstrumentRegistry registry) {
        this(registry, false);
    }

    TouchWalkFeed(InstrumentRegistry registry, boolean pairedMessages) {
        this.pairedMessages = pairedMessages;
        instruments = registry.size();
        if (instruments == 0) {
            throw new IllegalArgumentException("the feed needs at least one instrument");
        }
        venueIds = new int[instruments];
        stepTicks = new long[instruments];
        baseBidTicks = new long[instruments];
        baseAskTicks = new long[instruments];
        lots = new long[instruments];
        position = new int[instruments];
        venueSequence = new long[instruments];
        for (Instrument instrument : registry.all()) {
            int i = instrument.id();
            long tick = instrument.nanosPerTick();
            if (STEP_NANOS % tick != 0 || BASE_BID_NANOS % tick != 0 || SIZE_NANOS % instrument.nanosPerLot() != 0) {
                throw new IllegalArgumentException(instrument + ": tick " + tick + " or lot " + instrument.nanosPerLot()
                        + " (10^-9 units) does not divide the feed's step, base price or size");
            }
            venueIds[i] = instrument.venue().id();
            stepTicks[i] = STEP_NANOS / tick;
            baseBidTicks[i] = BASE_BID_NANOS / tick;
            baseAskTicks[i] = baseBidTicks[i] + SPREAD_STEPS * stepTicks[i];
            lots[i] = SIZE_NANOS / instrument.nanosPerLot();
        }
    }

    /**
     * The snapshots, instrument by instrument: CLEAR, the bids, the asks, the last item of each
     * ending its message. Allocated here, at start-up.
     */
    List<Update> snapshot() {
        List<Update> items = new ArrayList<>();
        for (int i = 0; i < instruments; i++) {
            items.add(new Update().set(MarketDataKind.CLEAR, venueIds[i], i, Side.BUY, 0, 0, ++venueSequence[i], false));
            for (int d = DEPTH; d >= 0; d--) {
                items.add(new Update().set(MarketDataKind.LEVEL, venueIds[i], i, Side.BUY, baseBidTicks[i] - d * stepTicks[i],
                        lots[i], ++venueSequence[i], false));
            }
            int asks = RANGE_STEPS + DEPTH + 1;
            for (int k = 0; k < asks; k++) {
                items.add(new Update().set(MarketDataKind.LEVEL, venueIds[i], i, Side.SELL, baseAskTicks[i] + k * stepTicks[i],
                        lots[i], ++venueSequence[i], k == asks - 1));
            }
        }
        return items;
    }

    /** writes the next update of the walk into {@code out}: the next instrument's next touch move */
    Update next(Update out) {
        int i = nextInstrument;
        nextInstrument = i + 1 == instruments ? 0 : i + 1;
        int p = position[i];
        position[i] = p + 1 == CYCLE ? 0 : p + 1;
        int move = p >> 1;
        boolean second = (p & 1) == 1;
        boolean end = !pairedMessages || second;
        long step = stepTicks[i];
        if (move < RANGE_STEPS) {
            // up from offset `move`: add a bid above the best, then remove the best ask
            long offset = move;
            if (!second) {
                out.set(MarketDataKind.LEVEL, venueIds[i], i, Side.BUY, baseBidTicks[i] + (offset + 1) * step, lots[i],
                        ++venueSequence[i], end);
            } else {
                out.set(MarketDataKind.LEVEL, venueIds[i], i, Side.SELL, baseAskTicks[i] + offset * step, 0,
                        ++venueSequence[i], end);
            }
        } else {
            // down from offset 2R - move: remove the best bid, then add an ask below the best
            long offset = 2L * RANGE_STEPS - move;
            if (!second) {
                out.set(MarketDataKind.LEVEL, venueIds[i], i, Side.BUY, baseBidTicks[i] + offset * step, 0,
                        ++venueSequence[i], end);
            } else {
                out.set(MarketDataKind.LEVEL, venueIds[i], i, Side.SELL, baseAskTicks[i] + (offset - 1) * step, lots[i],
                        ++venueSequence[i], end);
            }
        }
        return out;
    }
}
