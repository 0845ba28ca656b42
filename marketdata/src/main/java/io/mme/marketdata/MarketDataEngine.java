package io.mme.marketdata;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataUpdate;
import io.mme.core.ring.Side;
import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.Instrument;
import io.mme.core.runtime.Engine;
import io.mme.core.state.SnapshotState;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The market data engine: first in the business chain. It owns one {@link L2Book} per instrument
 * (an instrument is one venue's symbol), applies the normalised market data events to them and
 * decides what the books are worth: VALID once a snapshot ended and while the book is not
 * crossed and the feed not stale; INVALID at once on a venue-reported problem (gap, checksum), a
 * crossed book at a message end, or no message for {@code staleAfterNanos} (checked on TIMER
 * events). A book the engine itself found bad is handed to {@link ResyncRequests}.
 *
 * <p>The venue message is the unit of decision. The items of one instrument's message arrive in
 * consecutive events of that instrument, the last one marked {@code endOfMessage}; events of other
 * feeds may fall between them (the edge publisher is multi-producer). Items before the end are
 * applied to the book and publish nothing: their slots' {@link BookView} stays empty, so the
 * strategies never see, and never act on, a half-applied book. At the end the integrity checks
 * run and the message's outcome is published at once: the state change (if the state differs from
 * the last one published; a CLEAR's passing SYNCING inside a snapshot message is never seen), the
 * top of book, the top {@code publishedDepth} levels a side of a VALID book (none of any other:
 * the strategies' views of depth come from here) and the pair's fair value. The fair value is computed from the <em>published</em>
 * tops ({@link #publishedBid} and the like): another instrument halfway through its own message counts with
 * the top its last complete message left, never with its intermediate state. TIMER events (the
 * stale check) publish their state changes at once: a TIMER is a message of its own.
 *
 * <p>Rebuild rule: every INVALID book must come back. The feed that reported a problem (gap,
 * checksum, malformed message, disconnect) is already rebuilding it, so the engine asks only for
 * what it found itself (crossed, over capacity, stale); but any book still INVALID
 * {@code staleAfterNanos} after it went INVALID is asked for again on the next TIMER, whatever the
 * cause, then after 2, 4, ... up to {@link #MAX_ASK_BACKOFF} times {@code staleAfterNanos} more,
 * until a snapshot makes it valid. That includes a book that was never VALID (a pair whose first
 * snapshot never came: a lost subscribe answer, or a pair the venue does not serve). The backoff
 * is what keeps such a pair from hammering the venue: the feeds rebuild one pair where the
 * protocol allows it (a snapshot refetch, an unsubscribe and subscribe of that pair) and
 * reconnect only where it does not, and a pair that stays dark is asked for at most once every
 * {@code MAX_ASK_BACKOFF} stale limits.
 *
 * <p>Snapshots ({@link SnapshotState}): the state holds the instruments (venue and symbol) and
 * book capacity it was written under (another configuration is refused), then per instrument its
 * state, why, last message time, valid-since time, last-ask time, asks while invalid, whether ever
 * valid, the resync, invalidation and valid-time counters and the book's levels, what was last
 * published of it (state, whether it counts in fair values, its top: a snapshot may fall inside a
 * message), and a SHA-256 over all of it, which the reader checks after restoring.
 * The consolidated view derives from the books and is not written; resync requests went to the
 * feeds when they were made (a book that asked stays INVALID until its new snapshot arrives).
 * Configuration knobs (staleness, fair value method, fees) are not part of the state.
 *
 * <p>Thread: the market data engine's thread owns everything here. Counters for the metrics
 * (resyncs, time valid) are published through atomic arrays, written only by this thread, and
 * {@link #view()} on TIMER events; any thread may read those. Time is the events' timestamps.
 * {@link #readState} runs before the engine's thread starts.
 */
public final class MarketDataEngine implements Engine<InboundEvent>, SnapshotState {
    private static final String STATE_TAG = "mme.marketdata";
    private static final Side[] SIDES = Side.values();

    private final L2Book[] books;
    private final BookState[] states;
    private final long[] lastMessageNanos;
    private final long[] validSinceNanos;
    /** when the book went INVALID or the engine last asked for its rebuild, whichever is later */
    private final long[] lastAskNanos;
    /** asks since the book last went INVALID (the backoff's exponent) */
    private final int[] asksWhileInvalid;
    /**
     * whether the book has been VALID since the engine started: kept in the state (its format has
     * it) and read back, though since issue 15 it no longer decides whether an INVALID book is asked for
     */
    private final boolean[] everValid;
    /** the longest wait between two asks for one INVALID book, in multiples of the stale limit */
    static final int MAX_ASK_BACKOFF = 32;
    private final long staleAfterNanos;
    private final ResyncRequests resync;
    private final AtomicLongArray resyncs;
    private final AtomicLongArray invalidations;
    private final AtomicLongArray validNanos;
    private final String[] lastReason;
    private final ConsolidatedView consolidated;
    private final int bookCapacityPerSide;
    /** "VENUE symbol" per instrument id: what a state must have been written for */
    private final String[] instrumentNames;
    private final MarketDataView view;
    /**
     * Per instrument, what the strategies were last told at a message end (or a TIMER): the state,
     * whether the book took part in fair values, and its top (prices {@link L2Book#NO_PRICE} and
     * sizes 0 unless it does). Only these feed the fair value and the console, so nothing outside a
     * message sees that message before its end.
     */
    private final BookState[] publishedStates;
    private final boolean[] publishedValid;
    private final long[] publishedBid;
    private final long[] publishedBidLots;
    private final long[] publishedAsk;
    private final long[] publishedAskLots;
    /** levels a side of a VALID book copied into the slot at its message's end */
    private final int publishedDepth;

    /** an engine with the mid as fair value and no fee adjustment */
    public MarketDataEngine(InstrumentRegistry registry, int bookCapacityPerSide, long staleAfterNanos, ResyncRequests resync) {
        this(registry, bookCapacityPerSide, staleAfterNanos, resync, new ConsolidatedView(registry, FairValueMethod.MID, null));
    }

    /** an engine that publishes up to {@link BookView#MAX_DEPTH} levels a side (as many as the slot holds) */
    public MarketDataEngine(InstrumentRegistry registry, int bookCapacityPerSide, long staleAfterNanos, ResyncRequests resync,
                            ConsolidatedView consolidated) {
        this(registry, bookCapacityPerSide, staleAfterNanos, resync, consolidated, BookView.MAX_DEPTH);
    }

    /**
     * @param publishedDepth levels a side of the touched VALID book written into the slot at a
     *                       message's end (0..{@link BookView#MAX_DEPTH}; the deepest
     *                       {@code bookDepth} of the strategies; fewer when the slot holds fewer)
     */
    public MarketDataEngine(InstrumentRegistry registry, int bookCapacityPerSide, long staleAfterNanos, ResyncRequests resync,
                            ConsolidatedView consolidated, int publishedDepth) {
        if (publishedDepth < 0 || publishedDepth > BookView.MAX_DEPTH) {
            throw new IllegalArgumentException("published book depth " + publishedDepth + " must be from 0 to " + BookView.MAX_DEPTH);
        }
        this.publishedDepth = publishedDepth;
        this.consolidated = consolidated;
        int n = registry.size();
        books = new L2Book[n];
        states = new BookState[n];
        lastMessageNanos = new long[n];
        validSinceNanos = new long[n];
        lastAskNanos = new long[n];
        asksWhileInvalid = new int[n];
        everValid = new boolean[n];
        lastReason = new String[n];
        publishedStates = new BookState[n];
        publishedValid = new boolean[n];
        publishedBid = new long[n];
        publishedBidLots = new long[n];
        publishedAsk = new long[n];
        publishedAskLots = new long[n];
        for (int i = 0; i < n; i++) {
            books[i] = new L2Book(bookCapacityPerSide);
            states[i] = BookState.SYNCING;
            publishedStates[i] = BookState.SYNCING;
            publishedBid[i] = L2Book.NO_PRICE;
            publishedAsk[i] = L2Book.NO_PRICE;
        }
        this.staleAfterNanos = staleAfterNanos;
        this.resync = resync;
        this.resyncs = new AtomicLongArray(n);
        this.invalidations = new AtomicLongArray(n);
        this.validNanos = new AtomicLongArray(n);
        this.bookCapacityPerSide = bookCapacityPerSide;
        this.instrumentNames = new String[n];
        for (int i = 0; i < n; i++) {
            Instrument instrument = registry.get(i);
            instrumentNames[i] = instrument.venue() + " " + instrument.venueSymbol();
        }
        String[] pairNames = new String[consolidated.pairs()];
        for (int p = 0; p < pairNames.length; p++) {
            pairNames[p] = consolidated.pairName(p);
        }
        this.view = new MarketDataView(n, pairNames);
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        BookView view = event.book();
        view.reset();
        if (event.isFaulted()) {
            return;
        }
        long now = event.timestampNanos();
        if (event.type() == InboundEventType.MARKET_DATA) {
            onMarketData(event.marketData(), view, now);
        } else if (event.type() == InboundEventType.TIMER) {
            checkStale(view, now);
            publishView(now);
        }
    }

    private void publishView(long now) {
        // what the strategies were told, not the books: a message in progress is not shown
        for (int id = 0; id < books.length; id++) {
            if (publishedValid[id]) {
                view.publishBook(id, BookState.VALID, publishedBid[id], publishedBidLots[id], publishedAsk[id], publishedAskLots[id]);
            } else {
                view.publishBook(id, publishedStates[id], L2Book.NO_PRICE, 0, L2Book.NO_PRICE, 0);
            }
        }
        for (int pair = 0; pair < consolidated.pairs(); pair++) {
            view.publishFairValue(pair, consolidated.fairValue(pair, publishedBid, publishedBidLots, publishedAsk, publishedAskLots, publishedValid));
        }
        view.publishedAt(now);
    }

    private void onMarketData(MarketDataUpdate md, BookView view, long now) {
        int id = md.instrumentId();
        if (id < 0 || id >= books.length) {
            return;
        }
        L2Book book = books[id];
        lastMessageNanos[id] = now;
        // state changes inside a message are recorded (view null) and published at its end
        switch (md.kind()) {
            case CLEAR -> {
                book.clear();
                setState(id, BookState.SYNCING, "snapshot", null, now);
            }
            case LEVEL -> book.set(md.side(), md.priceTicks(), md.quantityLots());
            case BOOK_STATE -> {
                if (!md.bookValid()) {
                    setState(id, BookState.INVALID, "the feed reported a problem", null, now);
                }
            }
            default -> {
                // trades, BBO and L3 events do not change the L2 book
            }
        }
        if (md.endOfMessage()) {
            endOfMessage(id, book, view, now);
        }
    }

    /** the message of {@code id} is complete: check the book, then publish its outcome into the slot */
    private void endOfMessage(int id, L2Book book, BookView view, long now) {
        if (states[id] != BookState.INVALID) {
            if (book.crossed()) {
                setState(id, BookState.INVALID, "crossed book", null, now);
                resyncs.incrementAndGet(id);
                resync.request(id, "crossed book");
            } else if (book.overflowed()) {
                setState(id, BookState.INVALID, "book capacity exceeded", null, now);
                resyncs.incrementAndGet(id);
                resync.request(id, "book capacity exceeded");
            } else if (states[id] == BookState.SYNCING) {
                setState(id, BookState.VALID, null, null, now);
            }
        }
        if (publishedStates[id] != states[id]) {
            publishedStates[id] = states[id];
            view.changed(id, states[id]);
        }
        publishedValid[id] = states[id] == BookState.VALID;
        if (publishedValid[id]) {
            publishTop(id, book.bestPrice(Side.BUY), book.bestQuantity(Side.BUY), book.bestPrice(Side.SELL), book.bestQuantity(Side.SELL));
            view.top(id, BookState.VALID, publishedBid[id], publishedBidLots[id], publishedAsk[id], publishedAskLots[id]);
            publishLevels(book, view);
        } else {
            publishTop(id, L2Book.NO_PRICE, 0, L2Book.NO_PRICE, 0);
            // nothing from a book the engine does not vouch for reaches the strategies
            view.top(id, states[id], L2Book.NO_PRICE, 0, L2Book.NO_PRICE, 0);
        }
        int pair = consolidated.pairOf(id);
        view.fairValue(pair, consolidated.fairValue(pair, publishedBid, publishedBidLots, publishedAsk, publishedAskLots, publishedValid));
    }

    /** the top levels of a VALID book, best first, as many as configured and as the slot holds */
    private void publishLevels(L2Book book, BookView view) {
        int depth = Math.min(publishedDepth, view.depthCapacity());
        for (Side side : SIDES) {
            int levels = Math.min(depth, book.levels(side));
            for (int level = 0; level < levels; level++) {
                view.level(side, level, book.price(side, level), book.quantity(side, level));
            }
        }
    }

    private void publishTop(int id, long bid, long bidLots, long ask, long askLots) {
        publishedBid[id] = bid;
        publishedBidLots[id] = bidLots;
        publishedAsk[id] = ask;
        publishedAskLots[id] = askLots;
    }

    private void checkStale(BookView view, long now) {
        for (int id = 0; id < books.length; id++) {
            if (states[id] == BookState.VALID && now - lastMessageNanos[id] > staleAfterNanos) {
                setState(id, BookState.INVALID, "stale feed", view, now);
                resyncs.incrementAndGet(id);
                resync.request(id, "stale feed: no message for " + (now - lastMessageNanos[id]) / 1_000_000 + " ms");
            } else if (states[id] == BookState.INVALID
                    && now - lastAskNanos[id] > staleAfterNanos * Math.min(MAX_ASK_BACKOFF, 1L << Math.min(asksWhileInvalid[id], 30))) {
                long waited = now - lastAskNanos[id];
                lastAskNanos[id] = now;
                asksWhileInvalid[id]++;
                resyncs.incrementAndGet(id);
                resync.request(id, "still invalid " + waited / 1_000_000 + " ms after going invalid or the last ask (" + lastReason[id] + ")");
            }
        }
    }

    private void setState(int id, BookState state, String reason, BookView view, long now) {
        BookState old = states[id];
        if (old == state) {
            return;
        }
        if (old == BookState.VALID) {
            validNanos.lazySet(id, validNanos.get(id) + (now - validSinceNanos[id]));
        }
        if (state == BookState.VALID) {
            validSinceNanos[id] = now;
            everValid[id] = true;
        }
        if (state == BookState.INVALID) {
            invalidations.lazySet(id, invalidations.get(id) + 1);
            lastAskNanos[id] = now;
            asksWhileInvalid[id] = 0;
        }
        states[id] = state;
        lastReason[id] = reason;
        if (view != null) {
            // published at once (a TIMER's stale check): the book stops counting in fair values now
            publishedStates[id] = state;
            if (state != BookState.VALID) {
                publishedValid[id] = false;
                publishTop(id, L2Book.NO_PRICE, 0, L2Book.NO_PRICE, 0);
            }
            view.changed(id, state);
        }
    }

    // ---- for the engine thread's owner and for tests (read on the engine thread or after it stopped)

    /** the cross-venue view; query it on the engine thread */
    public ConsolidatedView consolidated() {
        return consolidated;
    }

    /** the fair value of a pair as last published: from the tops of complete messages (engine thread) */
    public long fairValue(int pair) {
        return consolidated.fairValue(pair, publishedBid, publishedBidLots, publishedAsk, publishedAskLots, publishedValid);
    }

    public L2Book book(int instrumentId) {
        return books[instrumentId];
    }

    public BookState state(int instrumentId) {
        return states[instrumentId];
    }

    /** why the book last changed state (null for VALID) */
    public String reason(int instrumentId) {
        return lastReason[instrumentId];
    }

    // ---- snapshots

    @Override
    public int stateVersion() {
        return 3; // 2: the rebuild rule's last ask, ask count and ever-valid flag; 3: what was last published per book
    }

    @Override
    public void writeState(StateWriter out) {
        out.putString(STATE_TAG).putInt(stateVersion()).putInt(bookCapacityPerSide).putInt(books.length);
        for (String name : instrumentNames) {
            out.putString(name);
        }
        for (int id = 0; id < books.length; id++) {
            out.putEnum(states[id]).putString(lastReason[id]).putLong(lastMessageNanos[id]).putLong(validSinceNanos[id])
                    .putLong(lastAskNanos[id]).putInt(asksWhileInvalid[id]).putBoolean(everValid[id]).putLong(resyncs.get(id)).putLong(invalidations.get(id)).putLong(validNanos.get(id));
            books[id].writeState(out);
            out.putEnum(publishedStates[id]).putBoolean(publishedValid[id]);
            out.putLong(publishedBid[id]).putLong(publishedBidLots[id]).putLong(publishedAsk[id]).putLong(publishedAskLots[id]);
        }
        out.putString(stateCheck());
    }

    /**
     * {@inheritDoc} On a {@link StateFormatException} the engine is left half restored: build a
     * fresh one.
     */
    @Override
    public void readState(StateReader in) {
        String tag = in.getString();
        if (!STATE_TAG.equals(tag)) {
            throw new StateFormatException("not a market data engine state: it starts with '" + tag + "'");
        }
        int version = in.getInt();
        if (version != stateVersion()) {
            throw new StateFormatException("market data state version " + version + " is not this engine's " + stateVersion());
        }
        int capacity = in.getInt();
        int count = in.getInt();
        if (count != books.length) {
            throw new StateFormatException("market data state of another configuration: it has " + count
                    + " instruments, this engine's registry " + books.length);
        }
        if (capacity != bookCapacityPerSide) {
            throw new StateFormatException("market data state of another configuration: books of " + capacity
                    + " levels per side, this engine's hold " + bookCapacityPerSide);
        }
        for (int id = 0; id < count; id++) {
            String name = in.getString();
            if (!instrumentNames[id].equals(name)) {
                throw new StateFormatException("market data state of another configuration: instrument " + id + " is "
                        + name + " there, " + instrumentNames[id] + " here");
            }
        }
        BookState[] bookStates = BookState.values();
        for (int id = 0; id < count; id++) {
            BookState state = in.getEnum(bookStates);
            if (state == null) {
                throw new StateFormatException("market data state: instrument " + id + " has no book state");
            }
            states[id] = state;
            lastReason[id] = in.getString();
            lastMessageNanos[id] = in.getLong();
            validSinceNanos[id] = in.getLong();
            lastAskNanos[id] = in.getLong();
            asksWhileInvalid[id] = in.getInt();
            everValid[id] = in.getBoolean();
            resyncs.set(id, in.getLong());
            invalidations.set(id, in.getLong());
            validNanos.set(id, in.getLong());
            books[id].readState(in);
            BookState published = in.getEnum(bookStates);
            if (published == null) {
                throw new StateFormatException("market data state: instrument " + id + " has no published book state");
            }
            publishedStates[id] = published;
            publishedValid[id] = in.getBoolean();
            publishTop(id, in.getLong(), in.getLong(), in.getLong(), in.getLong());
        }
        String written = in.getString();
        in.expectEnd("market data state");
        String restored = stateCheck();
        if (!restored.equals(written)) {
            throw new StateFormatException("market data state is corrupted: the restored engine's check " + restored
                    + " is not the writer's " + written);
        }
    }

    /** SHA-256 over everything the state holds, in its order */
    private String stateCheck() {
        StateDigest digest = new StateDigest().putInt(bookCapacityPerSide).putInt(books.length);
        for (int id = 0; id < books.length; id++) {
            digest.putString(instrumentNames[id]).putInt(states[id].ordinal()).putString(lastReason[id])
                    .putLong(lastMessageNanos[id]).putLong(validSinceNanos[id]).putLong(lastAskNanos[id]).putInt(asksWhileInvalid[id]).putBoolean(everValid[id])
                    .putLong(resyncs.get(id)).putLong(invalidations.get(id)).putLong(validNanos.get(id));
            L2Book book = books[id];
            digest.putBoolean(book.overflowed());
            for (Side side : Side.values()) {
                digest.putInt(book.levels(side));
                for (int i = 0; i < book.levels(side); i++) {
                    digest.putLong(book.price(side, i)).putLong(book.quantity(side, i));
                }
            }
            digest.putInt(publishedStates[id].ordinal()).putBoolean(publishedValid[id]).putLong(publishedBid[id])
                    .putLong(publishedBidLots[id]).putLong(publishedAsk[id]).putLong(publishedAskLots[id]);
        }
        return digest.hex();
    }

    // ---- for any thread

    /** the console's and publisher's view, published on TIMER events */
    public MarketDataView view() {
        return view;
    }

    // ---- metrics: safe from any thread

    /** resyncs this engine requested for the instrument */
    public long resyncs(int instrumentId) {
        return resyncs.get(instrumentId);
    }

    /** how often the instrument's book went INVALID */
    public long invalidations(int instrumentId) {
        return invalidations.get(instrumentId);
    }

    /** total time the book was VALID, up to its last state change */
    public long validNanos(int instrumentId) {
        return validNanos.get(instrumentId);
    }
}
