package io.mme.backtest;

import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;

import java.util.List;

/**
 * Reads a Tardis.dev downloadable CSV file, {@code incremental_book_L2} or {@code trades}, by their
 * documented columns: {@code exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount}
 * for the book (side {@code bid}/{@code ask}, amount 0 removes the level) and
 * {@code exchange,symbol,timestamp,local_timestamp,id,side,price,amount} for trades (side the
 * taker's {@code buy}/{@code sell}); timestamps in microseconds since the epoch. The data is
 * already normalised by Tardis, so no venue decoder reads it: its rows go to the same
 * {@link FeedSink} the decoders feed. Book rows with one {@code local_timestamp} are one venue
 * message (as Tardis documents): their levels, then one end of message; a snapshot row after a
 * non-snapshot row starts a new book (a clear).
 *
 * <p>Thread: the backtest's thread.
 */
final class TardisCsv {
    private static final List<String> BOOK = List.of("exchange", "symbol", "timestamp", "local_timestamp", "is_snapshot", "side", "price",
            "amount");
    private static final List<String> TRADES = List.of("exchange", "symbol", "timestamp", "local_timestamp", "id", "side", "price",
            "amount");

    /** reports a row that cannot be read: the reader is on it */
    interface Problems {
        void skipped(CaptureReader at, String why);
    }

    private final CaptureReader reader;
    private final InstrumentRegistry registry;
    private final boolean book;
    private final int[] start = new int[8];
    private final int[] end = new int[8];
    private final boolean[] inSnapshot;
    private final boolean[] touched;
    private final boolean[] everSnapshot;
    private String lastExchange = "";
    private String lastSymbol = "";
    private int lastInstrument = -1;

    // the current row
    private boolean more;
    private long localNanos;
    private long exchangeNanos;
    private int instrument;

    /** {@code reader} stands on the header line; a file that is neither format is a named error */
    TardisCsv(CaptureReader reader, InstrumentRegistry registry) {
        this.reader = reader;
        this.registry = registry;
        String header = reader.message().toString().trim();
        if (header.equals(String.join(",", BOOK))) {
            book = true;
        } else if (header.equals(String.join(",", TRADES))) {
            book = false;
        } else {
            throw new BacktestInputException(reader.path() + " line 1: not a Tardis incremental_book_L2 or trades CSV header: " + header);
        }
        inSnapshot = new boolean[registry.size()];
        touched = new boolean[registry.size()];
        everSnapshot = new boolean[registry.size()];
    }

    /** true when the first line of a file is a Tardis CSV header (the caller decides the reader) */
    static boolean isTardisHeader(AsciiText firstLine) {
        return firstLine.startsWith("exchange,symbol,timestamp,local_timestamp,");
    }

    boolean more() {
        return more;
    }

    /** the current row's local receive time, nanoseconds */
    long timestamp() {
        return localNanos;
    }

    CaptureReader reader() {
        return reader;
    }

    /** whether a book snapshot of the instrument was read */
    boolean snapshotOf(int instrumentId) {
        return everSnapshot[instrumentId];
    }

    /** moves to the next readable row; returns the rows skipped on the way */
    long advance(Problems problems) {
        long skipped = 0;
        while (true) {
            more = reader.next();
            if (!more) {
                return skipped;
            }
            String why = parse();
            if (why == null) {
                return skipped;
            }
            skipped++;
            problems.skipped(reader, why);
        }
    }

    /**
     * Sends the current venue message (a trade, or the book rows of one local timestamp) to the
     * sink and moves past it.
     *
     * @return rows skipped while reading it
     */
    long apply(FeedSink sink, Problems problems) {
        if (!book) {
            AsciiText row = reader.message();
            Instrument i = registry.get(instrument);
            long price = i.priceTicks(row, start[6], end[6]);
            long qty = i.quantityLots(row, start[7], end[7]);
            Side aggressor = row.charAt(start[5]) == 'b' ? Side.BUY : Side.SELL;
            long id = row.longAt(start[4]);
            sink.trade(instrument, aggressor, price, qty, id < 0 ? 0 : id, exchangeNanos);
            return advance(problems);
        }
        long t = localNanos;
        long skipped = 0;
        do {
            AsciiText row = reader.message();
            int id = instrument;
            boolean snapshot = row.charAt(start[4]) == 't';
            if (snapshot && !inSnapshot[id]) {
                sink.clear(id, 0);
                everSnapshot[id] = true;
            }
            inSnapshot[id] = snapshot;
            Instrument i = registry.get(id);
            Side side = row.charAt(start[5]) == 'b' ? Side.BUY : Side.SELL;
            sink.level(id, side, i.priceTicks(row, start[6], end[6]), i.quantityLots(row, start[7], end[7]), 0);
            touched[id] = true;
            skipped += advance(problems);
        } while (more && localNanos == t);
        for (int id = 0; id < touched.length; id++) {
            if (touched[id]) {
                touched[id] = false;
                sink.endOfMessage(id, 0);
            }
        }
        return skipped;
    }

    /** splits and checks the current row; returns why it cannot be used, or null */
    private String parse() {
        AsciiText row = reader.message();
        int field = 0;
        int from = 0;
        for (int i = 0; i <= row.length() && field < 8; i++) {
            if (i == row.length() || row.charAt(i) == ',') {
                start[field] = from;
                end[field] = i;
                field++;
                from = i + 1;
            }
        }
        if (field < 8) {
            return "expected 8 comma-separated columns";
        }
        long exchangeMicros = row.longAt(start[2]);
        long localMicros = row.longAt(start[3]);
        if (localMicros < 0) {
            return "local_timestamp is not a number of microseconds";
        }
        localNanos = localMicros * 1_000L;
        exchangeNanos = exchangeMicros < 0 ? localNanos : exchangeMicros * 1_000L;
        instrument = instrumentOf(row);
        char side = end[5] > start[5] ? row.charAt(start[5]) : '?';
        if (book ? side != 'b' && side != 'a' : side != 'b' && side != 's') {
            return "side '" + row.toString().substring(start[5], end[5]) + "' is not " + (book ? "bid or ask" : "buy or sell");
        }
        if (book && end[4] == start[4]) {
            return "is_snapshot is empty";
        }
        try {
            Instrument i = registry.get(instrument);
            if (i.priceTicks(row, start[6], end[6]) <= 0 || i.quantityLots(row, start[7], end[7]) < 0) {
                return "price must be positive and amount not negative";
            }
        } catch (FixedPointException e) {
            return e.getMessage();
        }
        return null;
    }

    /** the configured instrument of the row's exchange and symbol; any other is a named error */
    private int instrumentOf(AsciiText row) {
        if (same(row, start[0], end[0], lastExchange) && same(row, start[1], end[1], lastSymbol)) {
            return lastInstrument;
        }
        String exchange = row.toString().substring(start[0], end[0]);
        String symbol = row.toString().substring(start[1], end[1]);
        Venue venue = null;
        for (Venue v : Venue.values()) {
            if (v.configName().equals(exchange)) {
                venue = v;
            }
        }
        Instrument instrument = venue == null ? null : registry.find(venue, symbol);
        if (instrument == null) {
            throw new BacktestInputException(reader.path() + " line " + reader.lineNumber() + ": symbol " + symbol + " of venue " + exchange
                    + " is not an instrument of the configuration");
        }
        lastExchange = exchange;
        lastSymbol = symbol;
        lastInstrument = instrument.id();
        return lastInstrument;
    }

    private static boolean same(AsciiText row, int from, int to, String text) {
        if (to - from != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (row.charAt(from + i) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
