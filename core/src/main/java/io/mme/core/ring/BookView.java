package io.mme.core.ring;

/**
 * The market data engine's part of an inbound slot: what the event did to the books, for the
 * engines after it (strategies read the top of book, the top levels and every state change from
 * here, never from the market data engine's own books, which belong to its thread). Written by the
 * market data engine only; reset at the start of each event.
 *
 * <p>Levels: at a venue message's end the market data engine copies the top levels of the touched
 * book, best first, up to {@link #depthCapacity()} a side (the ring is built with the deepest
 * {@code bookDepth} its strategies ask for), and only for a VALID book: any other book shows depth
 * 0. Level 0 equals the top of {@link #top}. The arrays are allocated with the slot, once.
 */
public final class BookView {
    /** state changes one event can carry (a TIMER event may find several feeds stale) */
    public static final int MAX_CHANGES = 64;
    /** the most levels a side a slot can carry (the configuration's bookDepth is at most this) */
    public static final int MAX_DEPTH = 20;

    private int instrumentId = -1;
    private BookState state;
    private long bidTicks;
    private long bidLots;
    private long askTicks;
    private long askLots;
    private int pair = -1;
    private long fairValue = Long.MIN_VALUE;
    private int changes;
    private final int[] changedInstrument = new int[MAX_CHANGES];
    private final BookState[] changedState = new BookState[MAX_CHANGES];
    private final int depthCapacity;
    /** [side * depthCapacity + level]: price in ticks and quantity in lots, best first */
    private final long[] levelTicks;
    private final long[] levelLots;
    private int bidDepth;
    private int askDepth;

    /** a view that carries up to {@link #MAX_DEPTH} levels a side */
    public BookView() {
        this(MAX_DEPTH);
    }

    /** a view that carries up to {@code depthCapacity} (0..{@link #MAX_DEPTH}) levels a side */
    public BookView(int depthCapacity) {
        if (depthCapacity < 0 || depthCapacity > MAX_DEPTH) {
            throw new IllegalArgumentException("book view depth " + depthCapacity + " must be from 0 to " + MAX_DEPTH);
        }
        this.depthCapacity = depthCapacity;
        this.levelTicks = new long[2 * depthCapacity];
        this.levelLots = new long[2 * depthCapacity];
    }

    /** called by the market data engine at the start of every event */
    public void reset() {
        instrumentId = -1;
        bidDepth = 0;
        askDepth = 0;
        state = null;
        pair = -1;
        fairValue = Long.MIN_VALUE;
        changes = 0;
    }

    /**
     * The book this event touched, its state and its top of book after the event. The market data
     * engine gives prices only for a VALID book; otherwise they are Long.MIN_VALUE and sizes 0.
     */
    public void top(int instrumentId, BookState state, long bidTicks, long bidLots, long askTicks, long askLots) {
        this.instrumentId = instrumentId;
        this.state = state;
        this.bidTicks = bidTicks;
        this.bidLots = bidLots;
        this.askTicks = askTicks;
        this.askLots = askLots;
    }

    /**
     * The fair value of a canonical pair after this event, in 10^-9 units of the quote asset
     * (Long.MIN_VALUE: no valid venue has both sides).
     */
    public void fairValue(int pair, long fairValueNanos) {
        this.pair = pair;
        this.fairValue = fairValueNanos;
    }

    /** the pair whose fair value this event updated, or -1 */
    public int pair() {
        return pair;
    }

    /** the pair's fair value in 10^-9 quote units, or Long.MIN_VALUE */
    public long fairValue() {
        return fairValue;
    }

    /** records that a book's state changed during this event; beyond MAX_CHANGES the rest are dropped from the view */
    public boolean changed(int instrumentId, BookState state) {
        if (changes == MAX_CHANGES) {
            return false;
        }
        changedInstrument[changes] = instrumentId;
        changedState[changes] = state;
        changes++;
        return true;
    }

    /** the most levels a side this slot can carry */
    public int depthCapacity() {
        return depthCapacity;
    }

    /**
     * Writes level {@code level} of a side of the touched book (best first, levels written in
     * order from 0; the depth of the side becomes {@code level + 1}). The caller keeps
     * {@code level} below {@link #depthCapacity()}.
     */
    public void level(Side side, int level, long priceTicks, long quantityLots) {
        int at = side.ordinal() * depthCapacity + level;
        levelTicks[at] = priceTicks;
        levelLots[at] = quantityLots;
        if (side == Side.BUY) {
            bidDepth = level + 1;
        } else {
            askDepth = level + 1;
        }
    }

    /** levels of {@code side} of the touched book this slot carries (0 for a book that is not VALID) */
    public int depth(Side side) {
        return side == Side.BUY ? bidDepth : askDepth;
    }

    /** the price in ticks of level {@code level} (below {@link #depth}) of a side */
    public long levelTicks(Side side, int level) {
        return levelTicks[side.ordinal() * depthCapacity + level];
    }

    /** the quantity in lots of level {@code level} (below {@link #depth}) of a side */
    public long levelLots(Side side, int level) {
        return levelLots[side.ordinal() * depthCapacity + level];
    }

    /** the instrument whose book this event touched, or -1 */
    public int instrumentId() {
        return instrumentId;
    }

    public BookState state() {
        return state;
    }

    public long bidTicks() {
        return bidTicks;
    }

    public long bidLots() {
        return bidLots;
    }

    public long askTicks() {
        return askTicks;
    }

    public long askLots() {
        return askLots;
    }

    public int changes() {
        return changes;
    }

    public int changedInstrument(int index) {
        return changedInstrument[index];
    }

    public BookState changedState(int index) {
        return changedState[index];
    }
}
