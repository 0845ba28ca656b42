package io.mme.connectors.coinbase;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.FeedSink;

/**
 * Which Coinbase books one feed connection vouches for, and the only ways that changes: a
 * snapshot makes its book valid; a lost or unreadable book message makes a book invalid (the sink
 * is told once) until the next snapshot, and updates for an invalid book are dropped. A book is
 * "of the connection" once the connection sent its snapshot, so a problem on one connection never
 * touches the books another connection keeps.
 *
 * <p>Also the resubscribe request: Coinbase replays nothing and has no snapshot that joins a
 * stream, so the only recovery is a new subscription (or connection), which sends new snapshots.
 * The request rises whenever a book is lost and stays up until the session says it resubscribed;
 * it says which books ({@link #lost}) or that the whole connection is in doubt
 * ({@link #connectionLost}: a sequence gap or an unreadable message that may have concerned any
 * book), so that the session resubscribes one product where it can and reconnects only then.
 *
 * <p>Holds no levels: checking the book (crossed, overflowed) is the market data engine's job.
 *
 * <p>Thread: owned by one decoder, used on its decoding thread.
 */
final class CoinbaseBooks {
    private final FeedSink sink;
    private final boolean[] coinbase;
    private final boolean[] valid;
    private final int[] ids;

    private boolean resubscribe;
    /** per book: lost since the last resubscription request was served, and not rebuilt since */
    private final boolean[] lost;
    private boolean connectionLost;
    private long resubscribeRequests;
    private long snapshots;
    private long updates;
    private long droppedWhileInvalid;

    /** a book slot for each Coinbase instrument of {@code registry} */
    CoinbaseBooks(InstrumentRegistry registry, FeedSink sink) {
        this.sink = sink;
        this.coinbase = new boolean[registry.size()];
        this.valid = new boolean[registry.size()];
        this.lost = new boolean[registry.size()];
        int n = 0;
        for (Instrument instrument : registry.all()) {
            if (instrument.venue() == Venue.COINBASE) {
                coinbase[instrument.id()] = true;
                n++;
            }
        }
        this.ids = new int[n];
        n = 0;
        for (Instrument instrument : registry.all()) {
            if (instrument.venue() == Venue.COINBASE) {
                ids[n++] = instrument.id();
            }
        }
    }

    /** whether the instrument is Coinbase's */
    boolean has(int instrumentId) {
        return instrumentId >= 0 && instrumentId < coinbase.length && coinbase[instrumentId];
    }

    /**
     * One book event: a snapshot is passed on as clear, its levels and endOfMessage and makes the
     * book valid; an update is passed on as its levels and endOfMessage if the book is valid, and
     * dropped (counted) otherwise.
     */
    void apply(int instrumentId, boolean snapshot, LevelBuffer levels, long venueSequence) {
        if (snapshot) {
            sink.clear(instrumentId, venueSequence);
            valid[instrumentId] = true;
            lost[instrumentId] = false;
            snapshots++;
        } else if (!valid[instrumentId]) {
            droppedWhileInvalid++;
            return;
        } else {
            updates++;
        }
        levels.emit(sink, instrumentId, venueSequence);
        sink.endOfMessage(instrumentId, venueSequence);
    }

    /** the book lost a message: invalid until its next snapshot; a resubscription is requested */
    void invalidate(int instrumentId, String reason) {
        if (valid[instrumentId]) {
            valid[instrumentId] = false;
            sink.invalid(instrumentId, reason);
        }
        lost[instrumentId] = true;
        requestResubscribe();
    }

    /**
     * The session is resubscribing the product: its book is invalid (the sink is told if it was
     * valid) and its updates are dropped until the new subscription's snapshot, so that the book
     * turning valid again means that snapshot came. Requests nothing.
     */
    void resubscribing(int instrumentId, String reason) {
        if (valid[instrumentId]) {
            valid[instrumentId] = false;
            sink.invalid(instrumentId, reason);
        }
    }

    /** the connection lost a message that may have concerned any book: every valid book is invalid */
    void invalidateAll(String reason) {
        for (int id : ids) {
            if (valid[id]) {
                valid[id] = false;
                sink.invalid(id, reason);
            }
        }
        connectionLost = true;
        requestResubscribe();
    }

    /** a new connection: the old one's books are invalid until it sends snapshots, and nothing is owed */
    void newConnection(String reason) {
        for (int id : ids) {
            if (valid[id]) {
                valid[id] = false;
                sink.invalid(id, reason);
            }
            lost[id] = false;
        }
        resubscribe = false;
        connectionLost = false;
    }

    private void requestResubscribe() {
        if (!resubscribe) {
            resubscribe = true;
            resubscribeRequests++;
        }
    }

    /** the session sent the resubscription: the request drops until the next lost message */
    void resubscribed() {
        resubscribe = false;
        connectionLost = false;
        for (int id : ids) {
            lost[id] = false;
        }
    }

    /** whether the instrument's book was lost since the request was last served (resubscribe that product) */
    boolean lost(int instrumentId) {
        return lost[instrumentId];
    }

    /** whether a lost message may have concerned any book since the request was last served (reconnect) */
    boolean connectionLost() {
        return connectionLost;
    }

    boolean needsResubscribe() {
        return resubscribe;
    }

    long resubscribeRequests() {
        return resubscribeRequests;
    }

    boolean valid(int instrumentId) {
        return valid[instrumentId];
    }

    long snapshots() {
        return snapshots;
    }

    long updates() {
        return updates;
    }

    long droppedWhileInvalid() {
        return droppedWhileInvalid;
    }
}
