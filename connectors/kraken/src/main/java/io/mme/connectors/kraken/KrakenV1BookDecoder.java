package io.mme.connectors.kraken;

import io.mme.core.instrument.DecimalGrid;
import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.JsonScanner;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.MalformedMessageException;
import io.mme.marketdata.SymbolIndex;

/**
 * Reads Kraken spot WebSocket v1 public messages and keeps the {@code book-N} channel's books,
 * verified by the venue's CRC32 checksum, turning them into normalised calls on a
 * {@link FeedSink}.
 *
 * <p>Channel messages are arrays: {@code [channelID, {"as":[..],"bs":[..]}, "book-1000", "XBT/USD"]}
 * for a snapshot, {@code [channelID, {"a":[..]}|{"b":[..]}, ...]} for an update, or with both an
 * {@code a} and a {@code b} object (five elements); the checksum {@code "c"} (a quoted unsigned
 * 32-bit number) rides in an update's last object, snapshots carry none. A level is
 * {@code [price, volume, timestamp]} as strings, with an optional fourth element {@code "r"} for a
 * level republished as it came back into range, which is applied like any other. The depth to cut
 * each book back to is read from the channel name. Control messages (objects: heartbeat,
 * systemStatus, subscriptionStatus, pong) are counted and ignored, and so are other channels.
 * Apply, cut, check and output are {@link KrakenBooks}' rules.
 *
 * <p>The checksum covers the price and volume strings as received. The v1 feed prints each pair
 * with a fixed number of decimals that need not be AssetPairs' {@code pair_decimals} (the recorded
 * feed prints XBT/CHF prices with 5 decimals; {@code pair_decimals} is 1), so the decoder does not
 * rely on configuration for it: it keeps, per instrument, the decimals of the last price and volume
 * strings it read, and {@link KrakenChecksum} rebuilds the strings from ticks and lots with those.
 * The instrument's grids need only be fine enough to hold the values exactly (extra printed zeros
 * are accepted).
 *
 * <p>Allocation: none per message. Text is scanned in place, pairs looked up from the slice,
 * prices and volumes converted with the instrument's grids into preallocated scratch arrays. A
 * malformed message (bad JSON, an unknown pair, a price off the grid) is counted and skipped, never
 * thrown; if the pair was known, its book is marked invalid, since a lost update would break the
 * book. A lost message whose pair could not be read is caught by the next update's checksum.
 *
 * <p>Kraken's public book has no sequence number: the {@code venueSequence} passed to the sink is
 * this decoder's message count.
 *
 * <p>Thread: the feed's decoding thread; the decoder and its books belong to it.
 */
public final class KrakenV1BookDecoder {
    private static final String BOOK_CHANNEL = "book-";

    private final InstrumentRegistry registry;
    private final SymbolIndex symbols;
    private final KrakenBooks books;
    private final JsonScanner json = new JsonScanner();
    /** scans the payload objects, read once the pair at the end of the message is known */
    private final JsonScanner body = new JsonScanner();
    private final int[] objectStart = new int[2];
    /** per instrument: the decimals the feed last printed a price and a volume with */
    private final int[] priceDecimals;
    private final int[] volumeDecimals;

    private long messages;
    private long malformed;
    private long events;
    private long ignored;
    private String lastError;
    /** the instrument of the book message being decoded, -1 until its pair is read */
    private int current;

    /** decodes for the registry's Kraken instruments, whose venue symbols are the v1 pair names */
    public KrakenV1BookDecoder(InstrumentRegistry registry, FeedSink sink) {
        this(registry, SymbolIndex.of(registry, Venue.KRAKEN), sink);
    }

    /**
     * @param symbols the v1 pair names ({@code wsname}, "XBT/USD") to ids of Kraken instruments in
     *                {@code registry}
     */
    public KrakenV1BookDecoder(InstrumentRegistry registry, SymbolIndex symbols, FeedSink sink) {
        this.registry = registry;
        this.symbols = symbols;
        this.books = new KrakenBooks(registry, sink);
        this.priceDecimals = new int[registry.size()];
        this.volumeDecimals = new int[registry.size()];
        for (Instrument instrument : registry.all()) {
            priceDecimals[instrument.id()] = instrument.priceDecimals();
            volumeDecimals[instrument.id()] = instrument.sizeDecimals();
        }
    }

    /** Decodes one WebSocket text message. */
    public void onMessage(CharSequence message) {
        messages++;
        current = -1;
        try {
            json.reset(message);
            JsonScanner.Token t = json.next();
            if (t == JsonScanner.Token.BEGIN_OBJECT) {
                json.skipValue();
                end(message);
                events++;
            } else if (t == JsonScanner.Token.BEGIN_ARRAY) {
                channelMessage(message);
            } else {
                throw new MalformedMessageException("expected an object or an array, found " + t, message, json.start());
            }
        } catch (MalformedMessageException | FixedPointException e) {
            malformed++;
            lastError = e.getMessage();
            if (current >= 0) {
                books.invalidate(current, "malformed book message: " + e.getMessage());
            }
        }
    }

    /** {@code [channelID, payload..., channelName, pair]}, the scanner standing on the '[' */
    private void channelMessage(CharSequence message) {
        if (json.next() != JsonScanner.Token.NUMBER) {
            throw new MalformedMessageException("expected the channel id", message, json.start());
        }
        int objects = 0;
        JsonScanner.Token t;
        while ((t = json.next()) == JsonScanner.Token.BEGIN_OBJECT || t == JsonScanner.Token.BEGIN_ARRAY) {
            if (t == JsonScanner.Token.BEGIN_OBJECT) {
                if (objects == objectStart.length) {
                    throw new MalformedMessageException("more than " + objectStart.length + " payload objects", message, json.start());
                }
                objectStart[objects++] = json.start();
            }
            json.skipValue();
        }
        if (t != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected the channel name", message, json.start());
        }
        int nameStart = json.start();
        int nameEnd = json.end();
        if (json.next() != JsonScanner.Token.STRING) {
            throw new MalformedMessageException("expected the pair", message, json.start());
        }
        int pairStart = json.start();
        int pairEnd = json.end();
        if (json.next() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected the end of the channel message", message, json.start());
        }
        end(message);
        if (!startsWith(message, nameStart, nameEnd, BOOK_CHANNEL)) {
            ignored++;
            return;
        }
        int depth = depth(message, nameStart + BOOK_CHANNEL.length(), nameEnd);
        if (objects == 0) {
            throw new MalformedMessageException("book message without a payload object", message, nameStart);
        }
        int id = symbols.find(json.chars(), pairStart, pairEnd);
        if (!books.has(id)) {
            throw new MalformedMessageException("unknown pair", message, pairStart);
        }
        current = id;
        Instrument instrument = registry.get(id);
        books.begin();
        boolean snapshot = false;
        long checksum = -1;
        for (int o = 0; o < objects; o++) {
            body.reset(json, objectStart[o], message.length());
            body.next();
            while (body.next() == JsonScanner.Token.FIELD) {
                if (body.is("as")) {
                    snapshot = true;
                    levels(message, instrument, false);
                } else if (body.is("bs")) {
                    snapshot = true;
                    levels(message, instrument, true);
                } else if (body.is('a')) {
                    levels(message, instrument, false);
                } else if (body.is('b')) {
                    levels(message, instrument, true);
                } else if (body.is('c')) {
                    body.next();
                    checksum = body.asLong();
                    if (checksum < 0 || checksum > 0xFFFF_FFFFL) {
                        throw new MalformedMessageException("checksum is not an unsigned 32-bit number", message, body.start());
                    }
                } else {
                    body.skipValue();
                }
            }
        }
        books.apply(instrument, depth, snapshot, priceDecimals[id], volumeDecimals[id], checksum, messages);
    }

    private void end(CharSequence message) {
        if (json.next() != JsonScanner.Token.END) {
            throw new MalformedMessageException("text after the message", message, json.start());
        }
    }

    /** {@code [[price, volume, timestamp(, "r")], ...]} after the field the body scanner stands on */
    private void levels(CharSequence message, Instrument instrument, boolean bid) {
        if (body.next() != JsonScanner.Token.BEGIN_ARRAY) {
            throw new MalformedMessageException("expected an array of levels", message, body.start());
        }
        while (body.next() == JsonScanner.Token.BEGIN_ARRAY) {
            if (body.next() != JsonScanner.Token.STRING) {
                throw new MalformedMessageException("expected a price string", message, body.start());
            }
            long price = instrument.priceTicks(json.chars(), body.start(), body.end());
            if (price <= 0) {
                throw new MalformedMessageException("price must be positive", message, body.start());
            }
            priceDecimals[instrument.id()] = decimals(message, body.start(), body.end());
            if (body.next() != JsonScanner.Token.STRING) {
                throw new MalformedMessageException("expected a volume string", message, body.start());
            }
            long volume = instrument.quantityLots(json.chars(), body.start(), body.end());
            if (volume < 0) {
                throw new MalformedMessageException("volume must not be negative", message, body.start());
            }
            volumeDecimals[instrument.id()] = decimals(message, body.start(), body.end());
            JsonScanner.Token t;
            do {
                t = body.next(); // the timestamp, then "r" on a republished level
            } while (t == JsonScanner.Token.STRING);
            if (t != JsonScanner.Token.END_ARRAY) {
                throw new MalformedMessageException("expected the end of a level", message, body.start());
            }
            if (!books.add(bid, price, volume)) {
                throw new MalformedMessageException("more than " + KrakenBooks.MAX_LEVELS_PER_MESSAGE + " levels", message, body.start());
            }
        }
        if (body.token() != JsonScanner.Token.END_ARRAY) {
            throw new MalformedMessageException("expected the end of the levels", message, body.start());
        }
    }

    /** digits after the point of a decimal the grid has accepted */
    private static int decimals(CharSequence text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == '.') {
                if (end - i - 1 > DecimalGrid.MAX_SCALE) {
                    throw new MalformedMessageException("more than " + DecimalGrid.MAX_SCALE + " decimals", text, start);
                }
                return end - i - 1;
            }
        }
        return 0;
    }

    /** the N of {@code book-N} */
    private static int depth(CharSequence message, int start, int end) {
        int depth = 0;
        for (int i = start; i < end; i++) {
            char c = message.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedMessageException("book channel name without a depth", message, i);
            }
            depth = depth * 10 + (c - '0');
            if (depth > KrakenBooks.MAX_DEPTH) {
                throw new MalformedMessageException("book depth above " + KrakenBooks.MAX_DEPTH, message, start);
            }
        }
        if (depth == 0) {
            throw new MalformedMessageException("book channel name without a depth", message, start);
        }
        return depth;
    }

    private static boolean startsWith(CharSequence text, int start, int end, String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(start + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** the decoder's own copy of an instrument's book, as of the last message */
    public L2Book book(int instrumentId) {
        return books.book(instrumentId);
    }

    /**
     * Whether the instrument's book failed a checksum or lost a book message since its last good
     * snapshot: the feed resubscribes such a book (a book still waiting for its first snapshot is not lost).
     */
    public boolean lost(int instrumentId) {
        return books.lost(instrumentId);
    }

    /** whether the instrument's book had a snapshot and no failed check since */
    public boolean valid(int instrumentId) {
        return books.valid(instrumentId);
    }

    public long messages() {
        return messages;
    }

    public long malformed() {
        return malformed;
    }

    /** control messages (heartbeat, systemStatus, subscriptionStatus, pong) */
    public long events() {
        return events;
    }

    /** channel messages of channels other than book */
    public long ignored() {
        return ignored;
    }

    public long snapshots() {
        return books.snapshots();
    }

    /** updates applied to a valid book */
    public long updates() {
        return books.updates();
    }

    public long checksumsPassed() {
        return books.checksumsPassed();
    }

    public long checksumsFailed() {
        return books.checksumsFailed();
    }

    /** valid books a malformed book message made invalid: each needs a new snapshot from the venue */
    public long booksLostToMalformed() {
        return books.lostToErrors();
    }

    /** updates that arrived while their book was invalid, waiting for a snapshot */
    public long droppedWhileInvalid() {
        return books.droppedWhileInvalid();
    }

    /** the last malformed message's description, or null */
    public String lastError() {
        return lastError;
    }
}
