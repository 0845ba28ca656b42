package io.mme.connectors.coinbase;

import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FeedSink} for tests: rebuilds each instrument's book from what the decoder says, tracks
 * validity the way the market data engine would (invalid from {@code invalid} until a snapshot's
 * {@code endOfMessage}), and records what it was told, including the top of each book at every
 * message end so that tickers can be compared with the book of the same moment.
 */
final class RecordingSink implements FeedSink {
    /** levels a side: Coinbase snapshots are whole books (the recorded BTC-USD one has 27,236 offers) */
    static final int CAPACITY_PER_SIDE = 1 << 17;

    /** the top of a book at a message end; {@code message} is the index the test was at */
    record Top(long message, long venueSequence, long bid, long bidQty, long ask, long askQty) {
    }

    record Quote(int instrumentId, long message, long venueSequence, long bid, long bidQty, long ask, long askQty) {
        boolean samePrices(Top top) {
            return bid == top.bid() && ask == top.ask();
        }

        /** prices and, where the venue gave them, quantities */
        boolean sameAs(Top top) {
            return samePrices(top) && (bidQty == 0 || bidQty == top.bidQty()) && (askQty == 0 || askQty == top.askQty());
        }
    }

    record Trade(int instrumentId, long message, Side aggressor, long priceTicks, long quantityLots, long tradeId, long timestampNanos) {
    }

    record Level(int instrumentId, Side side, long priceTicks, long quantityLots, long venueSequence) {
    }

    final L2Book[] books;
    final boolean[] valid;
    private final boolean[] snapshotOpen;
    final List<List<Top>> tops = new ArrayList<>();
    final List<Quote> quotes = new ArrayList<>();
    final List<Trade> trades = new ArrayList<>();
    final List<String> invalidations = new ArrayList<>();
    /** every level passed on, until a test clears it */
    final List<Level> levels = new ArrayList<>();
    long clears;
    long ends;
    long levelsWhileInvalid;
    long crossedAtEnd;
    long quoteCalls;
    long tradeCalls;
    /** the index of the message being decoded, set by the test */
    long message;
    /** whether tops, quotes, trades and levels are kept (false for the allocation test) */
    boolean keep = true;

    RecordingSink(int instruments) {
        this(instruments, CAPACITY_PER_SIDE);
    }

    RecordingSink(int instruments, int capacityPerSide) {
        books = new L2Book[instruments];
        valid = new boolean[instruments];
        snapshotOpen = new boolean[instruments];
        for (int i = 0; i < instruments; i++) {
            books[i] = new L2Book(capacityPerSide);
            tops.add(new ArrayList<>());
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
            levels.add(new Level(id, side, price, qty, seq));
        }
    }

    @Override
    public void endOfMessage(int id, long seq) {
        if (snapshotOpen[id]) {
            snapshotOpen[id] = false;
            valid[id] = true;
        }
        L2Book book = books[id];
        if (book.crossed()) {
            crossedAtEnd++;
        }
        if (keep) {
            tops.get(id).add(new Top(message, seq, book.bestPrice(Side.BUY), book.bestQuantity(Side.BUY),
                    book.bestPrice(Side.SELL), book.bestQuantity(Side.SELL)));
        }
        ends++;
    }

    @Override
    public void invalid(int id, String reason) {
        valid[id] = false;
        snapshotOpen[id] = false;
        invalidations.add(id + ": " + reason);
    }

    @Override
    public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
        quoteCalls++;
        if (keep) {
            quotes.add(new Quote(id, message, seq, bid, bidQty, ask, askQty));
        }
    }

    @Override
    public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
        tradeCalls++;
        if (keep) {
            trades.add(new Trade(id, message, aggressor, price, qty, tradeId, ts));
        }
    }
}
