package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.Instrument;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderStatus;
import io.mme.strategy.api.Side;

import java.util.Arrays;

/**
 * One hosted strategy's {@link MarketView}: it owns what the strategy reads of the market (the
 * top {@link #maxDepth()} levels a side of each venue book and its state, the last public trade,
 * the fair value, event time) and of its trading (position, average price and realised PnL per
 * venue), and reads the unit's quote slots in place. {@link StrategyUnit} updates it before each
 * callback; the strategy reads it during the callback.
 *
 * <p>Depth: at a complete venue message the unit copies the touched book's levels from the slot's
 * {@link BookView} (the market data engine wrote the top levels of the VALID book there; level 0
 * is the view's top), up to the strategy's {@code bookDepth}; a book that is not VALID holds no
 * levels. The levels are part of the state and the digest, so a replay and a restart see the same.
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
    /** levels a side per instrument this view holds at most (the strategy's bookDepth) */
    private final int depth;
    /** [(instrument * 2 + side) * depth + level]: price in ticks and size in lots, best first */
    private final long[] levelTicks;
    private final long[] levelLots;
    /** [instrument * 2 + side]: how many levels are held (0 when empty or not VALID) */
    private final int[] levelCount;
    private final long[] tradeTicks;
    private final long[] tradeLots;
    private final Side[] tradeAggressor;
    private final long[] tradeTime;
    private final long[] position;
    private final double[] averagePrice;
    private final double[] realised;

    StrategyMarket(String strategyId, Instrument[] instruments, long[] makerFeeBps, long[] takerFeeBps, int levels,
                   SlotState[] slotState, long[] slotPriceTicks, long[] slotQuantityLots) {
        this(strategyId, instruments, makerFeeBps, takerFeeBps, levels, slotState, slotPriceTicks, slotQuantityLots,
                StrategyEngineConfig.DEFAULT_BOOK_DEPTH);
    }

    StrategyMarket(String strategyId, Instrument[] instruments, long[] makerFeeBps, long[] takerFeeBps, int levels,
                   SlotState[] slotState, long[] slotPriceTicks, long[] slotQuantityLots, int bookDepth) {
        if (bookDepth < 1 || bookDepth > StrategyEngineConfig.MAX_BOOK_DEPTH) {
            throw new IllegalArgumentException("strategy " + strategyId + ": bookDepth " + bookDepth + " must be from 1 to "
                    + StrategyEngineConfig.MAX_BOOK_DEPTH);
        }
        this.depth = bookDepth;
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
        this.levelTicks = new long[n * 2 * bookDepth];
        this.levelLots = new long[n * 2 * bookDepth];
        this.levelCount = new int[n * 2];
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

    /** a book's state and touch only (a state change without a message of the book: no deeper levels) */
    void book(int i, BookState state, long bidTicks, long bidLots, long askTicks, long askLots) {
        bookState[i] = state;
        boolean valid = state == BookState.VALID;
        touch(i * 2, valid, bidTicks, bidLots);
        touch(i * 2 + 1, valid, askTicks, askLots);
    }

    /**
     * The touched book of a complete venue message: its state, its top from {@link BookView#top}
     * as level 0, and the levels below it the slot carries, up to this view's depth.
     */
    void book(int i, BookView view) {
        BookState state = view.state();
        book(i, state, view.bidTicks(), view.bidLots(), view.askTicks(), view.askLots());
        if (state == BookState.VALID) {
            deeper(i * 2, view, io.mme.core.ring.Side.BUY);
            deeper(i * 2 + 1, view, io.mme.core.ring.Side.SELL);
        }
    }

    private void touch(int book, boolean valid, long ticks, long lots) {
        if (valid && ticks != NONE) {
            levelTicks[book * depth] = ticks;
            levelLots[book * depth] = lots;
            levelCount[book] = 1;
        } else {
            levelCount[book] = 0;
        }
    }

    private void deeper(int book, BookView view, io.mme.core.ring.Side side) {
        if (levelCount[book] == 0) {
            return;
        }
        int count = Math.min(depth, view.depth(side));
        int base = book * depth;
        for (int level = 1; level < count; level++) {
            levelTicks[base + level] = view.levelTicks(side, level);
            levelLots[base + level] = view.levelLots(side, level);
        }
        levelCount[book] = Math.max(1, count);
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
        return depth;
    }

    @Override
    public int depth(int i, Side side) {
        return levelCount[i * 2 + side.ordinal()];
    }

    @Override
    public long levelPriceTicks(int i, Side side, int level) {
        int book = i * 2 + side.ordinal();
        return level >= 0 && level < levelCount[book] ? levelTicks[book * depth + level] : NONE;
    }

    @Override
    public long levelQuantityLots(int i, Side side, int level) {
        int book = i * 2 + side.ordinal();
        return level >= 0 && level < levelCount[book] ? levelLots[book * depth + level] : 0;
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

    /** what the view holds beyond what the unit keeps itself (the unit writes fair value and slots) */
    void writeState(StateWriter out) {
        out.putInt(depth);
        for (int i = 0; i < n; i++) {
            out.putEnum(bookState[i]);
            writeLevels(out, i * 2);
            writeLevels(out, i * 2 + 1);
            out.putLong(tradeTicks[i]).putLong(tradeLots[i]).putEnum(tradeAggressor[i]).putLong(tradeTime[i]);
            out.putLong(position[i]).putDouble(averagePrice[i]).putDouble(realised[i]);
        }
    }

    private void writeLevels(StateWriter out, int book) {
        out.putInt(levelCount[book]);
        for (int level = 0; level < levelCount[book]; level++) {
            out.putLong(levelTicks[book * depth + level]).putLong(levelLots[book * depth + level]);
        }
    }

    void readState(StateReader in, long fairValue) {
        this.fairValue = fairValue;
        int stateDepth = in.getInt();
        if (stateDepth != depth) {
            throw new StateFormatException("strategy " + strategyId + ": state of another configuration: a book depth of "
                    + stateDepth + ", this engine's " + depth);
        }
        BookState[] states = BookState.values();
        for (int i = 0; i < n; i++) {
            BookState s = in.getEnum(states);
            bookState[i] = s == null ? BookState.SYNCING : s;
            readLevels(in, i * 2);
            readLevels(in, i * 2 + 1);
            tradeTicks[i] = in.getLong();
            tradeLots[i] = in.getLong();
            tradeAggressor[i] = in.getEnum(SIDES);
            tradeTime[i] = in.getLong();
            position[i] = in.getLong();
            averagePrice[i] = in.getDouble();
            realised[i] = in.getDouble();
        }
    }

    private void readLevels(StateReader in, int book) {
        int count = in.getInt();
        if (count < 0 || count > depth) {
            throw new StateFormatException("strategy " + strategyId + ": state holds " + count + " book levels, at most " + depth);
        }
        levelCount[book] = count;
        for (int level = 0; level < count; level++) {
            levelTicks[book * depth + level] = in.getLong();
            levelLots[book * depth + level] = in.getLong();
        }
    }

    void digestState(StateDigest digest) {
        digest.putInt(depth);
        for (int i = 0; i < n; i++) {
            digest.putInt(bookState[i].ordinal());
            for (int book = i * 2; book < i * 2 + 2; book++) {
                digest.putInt(levelCount[book]);
                for (int level = 0; level < levelCount[book]; level++) {
                    digest.putLong(levelTicks[book * depth + level]).putLong(levelLots[book * depth + level]);
                }
            }
            digest.putLong(tradeTicks[i]).putLong(tradeLots[i]).putInt(tradeAggressor[i] == null ? -1 : tradeAggressor[i].ordinal())
                    .putLong(tradeTime[i]);
            digest.putLong(position[i]).putDouble(averagePrice[i]).putDouble(realised[i]);
        }
    }
}
