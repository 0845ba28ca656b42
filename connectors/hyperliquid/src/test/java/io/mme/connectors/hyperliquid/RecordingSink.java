package io.mme.connectors.hyperliquid;

import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FeedSink} for tests: rebuilds each instrument's book from what the decoder says, tracks
 * validity the way the market data engine would (invalid from {@code invalid} until a snapshot's
 * {@code endOfMessage}) and records what it was told.
 */
final class RecordingSink implements FeedSink {
    record Trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots, long tradeId, long timestampNanos) {
    }

    record Level(int instrumentId, Side side, long priceTicks, long quantityLots) {
    }

    final L2Book[] books;
    final boolean[] valid;
    private final boolean[] snapshotOpen;
    final List<String> invalidations = new ArrayList<>();
    final List<Trade> trades = new ArrayList<>();
    /** the levels of the current message, cleared at each end */
    final List<Level> levels = new ArrayList<>();
    long clears;
    long ends;
    long levelsWhileInvalid;
    long crossedAtEnd;
    long tradeCalls;
    /** whether levels and trades are kept (false for the allocation test) */
    boolean keep = true;

    RecordingSink(int instruments) {
        books = new L2Book[instruments];
        valid = new boolean[instruments];
        snapshotOpen = new boolean[instruments];
        for (int i = 0; i < instruments; i++) {
            books[i] = new L2Book(1000);
        }
    }

    @Override
    public void clear(int id, long seq) {
        books[id].clear();
        snapshotOpen[id] = true;
        clears++;
    }

    @Override
    public void level(int id, Side side, long price, long qty, long seq) {
        if (!valid[id] && !snapshotOpen[id]) {
            levelsWhileInvalid++;
        }
        books[id].set(side, price, qty);
        if (keep) {
            levels.add(new Level(id, side, price, qty));
        }
    }

    @Override
    public void endOfMessage(int id, long seq) {
        if (snapshotOpen[id]) {
            snapshotOpen[id] = false;
            valid[id] = true;
        }
        if (books[id].crossed()) {
            crossedAtEnd++;
        }
        ends++;
    }

    @Override
    public void invalid(int id, String reason) {
        valid[id] = false;
        invalidations.add(id + ": " + reason);
    }

    @Override
    public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
        throw new AssertionError("Hyperliquid sends no best bid/offer");
    }

    @Override
    public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
        tradeCalls++;
        if (keep) {
            trades.add(new Trade(id, aggressor, price, qty, tradeId, ts));
        }
    }

    /** true when the sink's book of {@code id} holds exactly the levels of {@code expected} */
    boolean sameBook(int id, L2Book expected) {
        L2Book book = books[id];
        for (Side side : Side.values()) {
            if (book.levels(side) != expected.levels(side)) {
                return false;
            }
            for (int i = 0; i < book.levels(side); i++) {
                if (book.price(side, i) != expected.price(side, i) || book.quantity(side, i) != expected.quantity(side, i)) {
                    return false;
                }
            }
        }
        return true;
    }
}
