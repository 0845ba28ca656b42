package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.Instrument;
import io.mme.core.ring.BookState;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderStatus;
import io.mme.strategy.api.Side;

import java.util.Arrays;

/**
 * One hosted strategy's {@link MarketView}: it owns what the strategy reads of the market (the
 * top of each venue book and its state, the last public trade, the fair value, event time) and
 * of its trading (position, average price and realised PnL per venue), and reads the unit's quote
 * slots in place. {@link StrategyUnit} updates it before each callback; the strategy reads it
 * during the callback. Depth: the ring's book view carries the touch only, so {@link #maxDepth()}
 * is 1.
 *
 * <p>PnL is before fees, by average cost per venue, in doubles (deterministic in Java, so replay
 * agrees); the view rounds to 10^-9 quote units when read.
 *
 * <p>Thread: the strategy engine's thread only. Allocation-free after construction.
 */
final class StrategyMarket implements MarketView {
    private static final Side[] SIDES = Side.values();
    private static final OrderStatus[] ORDER_STATUS = {OrderStatus.NONE, OrderStatus.PENDING_NEW, OrderStatus.LIVE,
            OrderStatus.PENDING_REPLACE, OrderStatus.PENDING_CANCEL};
    private static final BookStatus[] BOOK_STATUS = {BookStatus.SYNCING, BookStatus.VALID, BookStatus.INVALID};

    private final String strategyId;
    private final String pair;
    private final int n;
    private final String[] venues;
    private final String[] symbols;
    private final long[] nanosPerTick;
    private final long[] nanosPerLot;
    private final long[] makerFeeBps;
    private final long[] takerFeeBps;
    private final int levels;
    /** the unit's slot arrays, read in place */
    private final SlotState[] slotState;
    private final long[] slotPriceTicks;
    private final long[] slotQuantityLots;

    private long timeNanos;
    private long fairValue = NONE;
    private final BookState[] bookState;
    /** [instrument * 2 + side]: the touch price (ticks, NONE when empty or not VALID) and size (lots) */
    private final long[] touchTicks;
    private final long[] touchLots;
    private final long[] tradeTicks;
    private final long[] tradeLots;
    private final Side[] tradeAggressor;
    private final long[] tradeTime;
    private final long[] position;
    private final double[] averagePrice;
    private final double[] realised;

    StrategyMarket(String strategyId, Instrument[] instruments, long[] makerFeeBps, long[] takerFeeBps, int levels,
                   SlotState[] slotState, long[] slotPriceTicks, long[] slotQuantityLots) {
        this.strategyId = strategyId;
        this.n = instruments.length;
        this.pair = instruments[0].pair();
        this.venues = new String[n];
        this.symbols = new String[n];
        this.nanosPerTick = new long[n];
        this.nanosPerLot = new long[n];
        for (int i = 0; i < n; i++) {
            venues[i] = instruments[i].venue().configName();
            symbols[i] = instruments[i].venueSymbol();
            nanosPerTick[i] = instruments[i].nanosPerTick();
            nanosPerLot[i] = instruments[i].nanosPerLot();
        }
        this.makerFeeBps = makerFeeBps.clone();
        this.takerFeeBps = takerFeeBps.clone();
        this.levels = levels;
        this.slotState = slotState;
        this.slotPriceTicks = slotPriceTicks;
        this.slotQuantityLots = slotQuantityLots;
        this.bookState = new BookState[n];
        Arrays.fill(bookState, BookState.SYNCING);
        this.touchTicks = new long[n * 2];
        this.touchLots = new long[n * 2];
        Arrays.fill(touchTicks, NONE);
        this.tradeTicks = new long[n];
        Arrays.fill(tradeTicks, NONE);
        this.tradeLots = new long[n];
        this.tradeAggressor = new Side[n];
        this.tradeTime = new long[n];
        this.position = new long[n];
        this.averagePrice = new double[n];
        this.realised = new double[n];
    }

    // ---------------------------------------------------------------- updates (the unit)

    void time(long now) {
        timeNanos = now;
    }

    void fairValue(long value) {
        fairValue = value;
    }

    void book(int i, BookState state, long bidTicks, long bidLots, long askTicks, long askLots) {
        bookState[i] = state;
        boolean valid = state == BookState.VALID;
        touchTicks[i * 2] = valid ? bidTicks : NONE;
        touchLots[i * 2] = valid && bidTicks != NONE ? bidLots : 0;
        touchTicks[i * 2 + 1] = valid ? askTicks : NONE;
        touchLots[i * 2 + 1] = valid && askTicks != NONE ? askLots : 0;
    }

    void trade(int i, long priceTicks, long quantityLots, Side aggressor, long now) {
        tradeTicks[i] = priceTicks;
        tradeLots[i] = quantityLots;
        tradeAggressor[i] = aggressor;
        tradeTime[i] = now;
    }

    /** a fill of ours: position, average price and realised PnL of venue {@code i} */
    void fill(int i, Side side, long priceTicks, long quantityLots) {
        double price = (double) priceTicks * nanosPerTick[i];
        long quantity = Math.multiplyExact(quantityLots, nanosPerLot[i]);
        long signed = side == Side.BUY ? quantity : -quantity;
        long before = position[i];
        long after = Math.addExact(before, signed);
        if (before == 0 || Long.signum(before) == Long.signum(signed)) {
            averagePrice[i] = (averagePrice[i] * Math.abs((double) before) + price * quantity) / Math.abs((double) after);
        } else {
            long closed = Math.min(Math.abs(before), quantity);
            realised[i] += closed / 1e9 * (price - averagePrice[i]) * Long.signum(before);
            if (after == 0) {
                averagePrice[i] = 0;
            } else if (Long.signum(after) != Long.signum(before)) {
                averagePrice[i] = price;
            }
        }
        position[i] = after;
    }

    // ---------------------------------------------------------------- MarketView

    @Override
    public long timeNanos() {
        return timeNanos;
    }

    @Override
    public String strategyId() {
        return strategyId;
    }

    @Override
    public int instruments() {
        return n;
    }

    @Override
    public String venue(int i) {
        return venues[i];
    }

    @Override
    public String symbol(int i) {
        return symbols[i];
    }

    @Override
    public String pair() {
        return pair;
    }

    @Override
    public long nanosPerTick(int i) {
        return nanosPerTick[i];
    }

    @Override
    public long nanosPerLot(int i) {
        return nanosPerLot[i];
    }

    @Override
    public long makerFeeBps(int i) {
        return makerFeeBps[i];
    }

    @Override
    public long takerFeeBps(int i) {
        return takerFeeBps[i];
    }

    @Override
    public BookStatus bookStatus(int i) {
        return BOOK_STATUS[bookState[i].ordinal()];
    }

    @Override
    public int maxDepth() {
        return 1;
    }

    @Override
    public int depth(int i, Side side) {
        return touchTicks[i * 2 + side.ordinal()] == NONE ? 0 : 1;
    }

    @Override
    public long levelPriceTicks(int i, Side side, int level) {
        return level == 0 ? touchTicks[i * 2 + side.ordinal()] : NONE;
    }

    @Override
    public long levelQuantityLots(int i, Side side, int level) {
        return level == 0 ? touchLots[i * 2 + side.ordinal()] : 0;
    }

    @Override
    public long fairValueNanos() {
        return fairValue;
    }

    @Override
    public long lastTradePriceTicks(int i) {
        return tradeTicks[i];
    }

    @Override
    public long lastTradeQuantityLots(int i) {
        return tradeLots[i];
    }

    @Override
    public Side lastTradeAggressor(int i) {
        return tradeAggressor[i];
    }

    @Override
    public long lastTradeTimeNanos(int i) {
        return tradeTime[i];
    }

    @Override
    public int quoteLevels() {
        return levels;
    }

    @Override
    public OrderStatus orderStatus(int i, Side side, int level) {
        return ORDER_STATUS[slotState[slot(i, side, level)].ordinal()];
    }

    @Override
    public long orderPriceTicks(int i, Side side, int level) {
        return slotPriceTicks[slot(i, side, level)];
    }

    @Override
    public long orderQuantityLots(int i, Side side, int level) {
        return slotQuantityLots[slot(i, side, level)];
    }

    private int slot(int i, Side side, int level) {
        if (level < 0 || level >= levels) {
            throw new IndexOutOfBoundsException("quote level " + level + " of strategy " + strategyId + ": it has " + levels);
        }
        return QuoteTargets.index(i, side, level, levels);
    }

    @Override
    public long positionNanos(int i) {
        return position[i];
    }

    @Override
    public long positionNanos() {
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += position[i];
        }
        return total;
    }

    @Override
    public long realisedPnlNanos() {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += realised[i];
        }
        return Math.round(total);
    }

    @Override
    public long unrealisedPnlNanos() {
        if (fairValue == NONE) {
            return 0;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (position[i] != 0) {
                total += position[i] / 1e9 * (fairValue - averagePrice[i]);
            }
        }
        return Math.round(total);
    }

    // ---------------------------------------------------------------- state

    /** what the view holds beyond what the unit keeps itself (the unit writes fair value, tops and slots) */
    void writeState(StateWriter out) {
        for (int i = 0; i < n; i++) {
            out.putEnum(bookState[i]).putLong(touchLots[i * 2]).putLong(touchLots[i * 2 + 1]);
            out.putLong(tradeTicks[i]).putLong(tradeLots[i]).putEnum(tradeAggressor[i]).putLong(tradeTime[i]);
            out.putLong(position[i]).putDouble(averagePrice[i]).putDouble(realised[i]);
        }
    }

    void readState(StateReader in, boolean[] topValid, long[] bestBid, long[] bestAsk, long fairValue) {
        this.fairValue = fairValue;
        BookState[] states = BookState.values();
        for (int i = 0; i < n; i++) {
            BookState s = in.getEnum(states);
            bookState[i] = s == null ? BookState.SYNCING : s;
            touchLots[i * 2] = in.getLong();
            touchLots[i * 2 + 1] = in.getLong();
            touchTicks[i * 2] = topValid[i] ? bestBid[i] : NONE;
            touchTicks[i * 2 + 1] = topValid[i] ? bestAsk[i] : NONE;
            tradeTicks[i] = in.getLong();
            tradeLots[i] = in.getLong();
            tradeAggressor[i] = in.getEnum(SIDES);
            tradeTime[i] = in.getLong();
            position[i] = in.getLong();
            averagePrice[i] = in.getDouble();
            realised[i] = in.getDouble();
        }
    }

    void digestState(StateDigest digest) {
        for (int i = 0; i < n; i++) {
            digest.putInt(bookState[i].ordinal()).putLong(touchLots[i * 2]).putLong(touchLots[i * 2 + 1]);
            digest.putLong(tradeTicks[i]).putLong(tradeLots[i]).putInt(tradeAggressor[i] == null ? -1 : tradeAggressor[i].ordinal())
                    .putLong(tradeTime[i]);
            digest.putLong(position[i]).putDouble(averagePrice[i]).putDouble(realised[i]);
        }
    }
}
