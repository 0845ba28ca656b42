package io.mme.core.ring;

/**
 * The market data engine's part of an inbound slot: what the event did to the books, for the
 * engines after it (strategies read the top of book and every state change from here, never from
 * the market data engine's own books, which belong to its thread). Written by the market data
 * engine only; reset at the start of each event.
 */
public final class BookView {
    /** state changes one event can carry (a TIMER event may find several feeds stale) */
    public static final int MAX_CHANGES = 64;

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

    /** called by the market data engine at the start of every event */
    public void reset() {
        instrumentId = -1;
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
