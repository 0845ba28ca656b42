package io.mme.app.stream;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.Venue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One channel instance of the stream (a channel with its parameters, e.g. {@code l2Book} of binance
 * BTCUSDT with 10 levels), shared by every client subscribed to it: it numbers its messages
 * ({@code seq}: 1, 2, 3, ... with no gap) and serialises each once, into UTF-8 bytes that every
 * subscriber's connection sends (a read-only view each, the bytes shared).
 *
 * <p>Two kinds. Full-state channels (quotes, positions, tradingStates, l3Book, status): every
 * message is a snapshot ({@code "snapshot":true}), so a client that skips some loses nothing. Delta
 * channels (l2Book, trades): a subscriber first gets a snapshot as of some seq, then every message
 * after it; a message that is not {@code seq + 1} of the one before is a gap, and the recovery is a
 * resubscribe (a new snapshot).
 *
 * <p>Threads: created by a Jetty thread (a subscribe), {@link #subscribers} counted by Jetty's
 * threads; everything else (refresh, seq, the messages) belongs to the stream's dispatcher thread.
 */
abstract class StreamChannel {
    /**
     * One serialised message: its seq, whether it is a snapshot, its bytes (read-only, shared), and
     * the same compressed for {@code permessage-deflate}, built once when the first subscriber whose
     * connection compresses is due (dispatcher thread), then shared as the bytes are.
     */
    static final class Encoded {
        private final long seq;
        private final boolean snapshot;
        private final ByteBuffer bytes;
        /** dispatcher-owned: null until a compressing connection was due this message */
        private ByteBuffer deflated;

        Encoded(long seq, boolean snapshot, ByteBuffer bytes) {
            this.seq = seq;
            this.snapshot = snapshot;
            this.bytes = bytes;
        }

        long seq() {
            return seq;
        }

        boolean snapshot() {
            return snapshot;
        }

        ByteBuffer bytes() {
            return bytes;
        }

        /** the message compressed without context takeover, compressed on the first call (dispatcher thread) */
        ByteBuffer deflated(MessageDeflater deflater, StreamCounters counters) {
            if (deflated == null) {
                deflated = deflater.deflate(bytes);
                counters.messagesDeflated.increment();
            }
            return deflated;
        }
    }

    final String id;
    final String type;
    final AtomicInteger subscribers = new AtomicInteger();
    /** dispatcher-owned from here */
    long seq;
    Encoded latest;
    private Encoded snapshot;
    /** no subscriber at the last round: not refreshed since, so nothing is sent from it until the next round */
    boolean idle = true;

    StreamChannel(String id, String type) {
        this.id = id;
        this.type = type;
    }

    /** true: a subscriber must have every message after its snapshot (l2Book, trades) */
    abstract boolean deltas();

    /** builds the next message when the data changed since the last; true when it did (dispatcher thread) */
    abstract boolean refresh(long nowMicros);

    /** the message a new or resynchronised subscriber starts from: as of {@link #seq} */
    Encoded snapshot(long nowMicros) {
        if (!deltas()) {
            return latest;
        }
        if (snapshot == null || snapshot.seq() != seq) {
            snapshot = encode(seq, true, snapshotBody(), nowMicros);
        }
        return snapshot;
    }

    /** the body of a snapshot as of {@link #seq} (delta channels) */
    String snapshotBody() {
        throw new UnsupportedOperationException(type + " has no separate snapshot");
    }

    /** the next message: seq advanced */
    final void publish(boolean isSnapshot, String body, long nowMicros) {
        seq++;
        latest = encode(seq, isSnapshot, body, nowMicros);
        if (isSnapshot) {
            snapshot = latest;
        }
    }

    /** the header every data message starts with, then the channel's body */
    private Encoded encode(long at, boolean isSnapshot, String body, long nowMicros) {
        String json = "{\"type\":\"" + type + "\",\"id\":" + StreamMessages.quote(id) + ",\"seq\":" + at + ",\"snapshot\":" + isSnapshot
                + ",\"sentUs\":" + nowMicros + (body.isEmpty() ? "" : ",") + body + "}";
        return new Encoded(at, isSnapshot, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    // ------------------------------------------------------------------ full state

    /** a channel whose every message is the whole state, rebuilt when its version changes (compared with equals) */
    static final class State extends StreamChannel {
        private final Supplier<Object> version;
        private final Function<Object, String> body;
        private Object last;

        State(String id, String type, Supplier<Object> version, Function<Object, String> body) {
            super(id, type);
            this.version = version;
            this.body = body;
        }

        @Override
        boolean deltas() {
            return false;
        }

        @Override
        boolean refresh(long nowMicros) {
            Object v = version.get();
            if (v == null || v == last || v.equals(last)) {
                return false;
            }
            last = v;
            publish(true, body.apply(v), nowMicros);
            return true;
        }
    }

    // ------------------------------------------------------------------ l2Book

    /** a venue's or a pair's L2 book: a snapshot, then deltas of the levels that changed within the top nLevels */
    static final class Book extends StreamChannel {
        private final StreamTap tap;
        private final StreamMessages messages;
        private final Instrument instrument;
        private final String pair;
        private final List<Instrument> pairInstruments;
        private final int nLevels;
        private final int sigFigs;
        private Snapshots.L2[] version;
        private List<StreamMessages.Level> bids = List.of();
        private List<StreamMessages.Level> asks = List.of();
        private String state;
        private long tsMillis;

        Book(String id, StreamTap tap, StreamMessages messages, Instrument instrument, String pair, List<Instrument> pairInstruments,
             int nLevels, int sigFigs) {
            super(id, "l2Book");
            this.tap = tap;
            this.messages = messages;
            this.instrument = instrument;
            this.pair = pair;
            this.pairInstruments = pairInstruments;
            this.nLevels = nLevels;
            this.sigFigs = sigFigs;
        }

        @Override
        boolean deltas() {
            return true;
        }

        @Override
        boolean refresh(long nowMicros) {
            Snapshots.L2[] refs;
            if (pair != null) {
                refs = new Snapshots.L2[pairInstruments.size()];
                for (int i = 0; i < refs.length; i++) {
                    refs[i] = tap.l2(pairInstruments.get(i).id());
                }
            } else {
                Snapshots.L2 s = tap.l2(instrument.id());
                if (s == null) {
                    return false;
                }
                refs = new Snapshots.L2[]{s};
            }
            if (version != null && sameRefs(version, refs)) {
                return false;
            }
            version = refs;
            List<StreamMessages.Level> newBids;
            List<StreamMessages.Level> newAsks;
            String newState;
            long ts;
            if (pair != null) {
                StreamMessages.Merged m = messages.consolidated(pairInstruments, refs, nLevels, sigFigs);
                newBids = m.bids;
                newAsks = m.asks;
                newState = m.state;
                ts = m.timestampNanos / 1_000_000;
            } else {
                newBids = messages.venueLevels(instrument, refs[0], true, nLevels, sigFigs);
                newAsks = messages.venueLevels(instrument, refs[0], false, nLevels, sigFigs);
                newState = refs[0].state.name();
                ts = refs[0].timestampNanos / 1_000_000;
            }
            if (seq == 0) {
                bids = newBids;
                asks = newAsks;
                state = newState;
                tsMillis = ts;
                publish(true, snapshotBody(), nowMicros);
                return true;
            }
            List<StreamMessages.Level> bidChanges = diff(bids, newBids);
            List<StreamMessages.Level> askChanges = diff(asks, newAsks);
            boolean stateChanged = !newState.equals(state);
            bids = newBids;
            asks = newAsks;
            state = newState;
            tsMillis = ts;
            if (bidChanges.isEmpty() && askChanges.isEmpty() && !stateChanged) {
                return false;
            }
            publish(false, body(bidChanges, askChanges), nowMicros);
            return true;
        }

        @Override
        String snapshotBody() {
            return body(bids, asks);
        }

        private String body(List<StreamMessages.Level> b, List<StreamMessages.Level> a) {
            StringBuilder out = new StringBuilder(256);
            if (pair != null) {
                out.append("\"venue\":null,\"symbol\":null,\"pair\":").append(StreamMessages.quote(pair));
            } else {
                out.append("\"venue\":").append(StreamMessages.quote(instrument.venue().configName()))
                        .append(",\"symbol\":").append(StreamMessages.quote(instrument.venueSymbol()))
                        .append(",\"pair\":").append(StreamMessages.quote(instrument.pair()));
            }
            out.append(",\"state\":\"").append(state).append('"');
            StreamMessages.appendLevels(out, "bids", b);
            StreamMessages.appendLevels(out, "asks", a);
            return out.append(",\"ts\":").append(tsMillis).toString();
        }

        /** the levels of {@code now} that are new or changed size, then those gone from the top (size "0"), by price text */
        static List<StreamMessages.Level> diff(List<StreamMessages.Level> before, List<StreamMessages.Level> now) {
            Map<String, String> old = new HashMap<>(before.size() * 2);
            for (StreamMessages.Level l : before) {
                old.put(l.price(), l.size());
            }
            List<StreamMessages.Level> out = new ArrayList<>();
            for (StreamMessages.Level l : now) {
                String was = old.remove(l.price());
                if (!l.size().equals(was)) {
                    out.add(l);
                }
            }
            for (StreamMessages.Level l : before) {
                if (old.containsKey(l.price())) {
                    out.add(new StreamMessages.Level(l.price(), "0"));
                }
            }
            return out;
        }

        private static boolean sameRefs(Object[] a, Object[] b) {
            if (a.length != b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ trades

    /**
     * Public trades of one instrument, of one venue, or of all: each message carries every trade of
     * the covered instruments since the one before (oldest first), each with its venue, symbol and
     * id (the instrument's trade number since start, as a string). The snapshot is the last
     * {@value #RECENT} trades. Trades that left the tap's buffer before this channel read them are
     * counted ({@link StreamCounters#tradesLost}) and named in the message's {@code lost}.
     */
    static final class Trades extends StreamChannel {
        static final int RECENT = 10;
        private final StreamTap tap;
        private final StreamMessages messages;
        private final List<Instrument> covered;
        private final Instrument single;
        private final StreamCounters counters;
        private final long[] seen;
        private final ArrayDeque<String> recent = new ArrayDeque<>(RECENT);

        Trades(String id, StreamTap tap, StreamMessages messages, Instrument single, Venue venue, StreamCounters counters) {
            super(id, "trades");
            this.tap = tap;
            this.messages = messages;
            this.single = single;
            this.counters = counters;
            List<Instrument> c = new ArrayList<>();
            for (Instrument ins : messages.instruments().all()) {
                if ((single == null || single.id() == ins.id()) && (venue == null || ins.venue() == venue)) {
                    c.add(ins);
                }
            }
            this.covered = List.copyOf(c);
            this.seen = new long[covered.size()];
            Arrays.fill(seen, -1);
        }

        @Override
        boolean deltas() {
            return true;
        }

        /** after a time without subscribers: the next read starts from the last trades again, nothing counted lost */
        void restart() {
            Arrays.fill(seen, -1);
            pendingOrder.clear();
            pendingTexts.clear();
            pendingLost = 0;
        }

        /** trades read since the last message: (event time, index into pendingTexts), and what was lost */
        private final List<long[]> pendingOrder = new ArrayList<>();
        private final List<String> pendingTexts = new ArrayList<>();
        private long pendingLost;

        /**
         * Reads the trades the tap published since the last read (dispatcher thread, every tick:
         * the tap's buffer then wraps only if it takes more than its size between two ticks).
         */
        void collect() {
            for (int i = 0; i < covered.size(); i++) {
                Instrument ins = covered.get(i);
                Snapshots.Trades t = tap.trades(ins.id());
                if (t == null || t.total == seen[i]) {
                    continue;
                }
                long from = seen[i] < 0 ? Math.max(0, t.total - RECENT) : seen[i];
                long firstKept = t.total - t.prices.length;
                if (from < firstKept) {
                    pendingLost += firstKept - from;
                    from = firstKept;
                }
                seen[i] = t.total;
                for (long n = from; n < t.total; n++) {
                    int index = (int) (n - firstKept);
                    pendingOrder.add(new long[]{t.timestampsNanos[index], pendingTexts.size()});
                    pendingTexts.add(messages.trade(ins, t, index, n));
                }
            }
        }

        @Override
        boolean refresh(long nowMicros) {
            collect();
            if (pendingTexts.isEmpty() && pendingLost == 0) {
                return false;
            }
            long lost = pendingLost;
            if (lost > 0) {
                counters.tradesLost.add(lost);
            }
            StringBuilder out = header();
            out.append(",\"trades\":[");
            pendingOrder.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int k = 0; k < pendingOrder.size(); k++) {
                String trade = pendingTexts.get((int) pendingOrder.get(k)[1]);
                out.append(k == 0 ? "" : ",").append(trade);
                if (recent.size() == RECENT) {
                    recent.removeFirst();
                }
                recent.addLast(trade);
            }
            out.append("],\"lost\":").append(lost);
            pendingOrder.clear();
            pendingTexts.clear();
            pendingLost = 0;
            publish(false, out.toString(), nowMicros);
            return true;
        }

        private StringBuilder header() {
            StringBuilder out = new StringBuilder(512);
            if (single != null) {
                out.append("\"venue\":").append(StreamMessages.quote(single.venue().configName()))
                        .append(",\"symbol\":").append(StreamMessages.quote(single.venueSymbol()));
            } else {
                out.append("\"venue\":null,\"symbol\":null");
            }
            return out;
        }

        @Override
        String snapshotBody() {
            StringBuilder out = header().append(",\"trades\":[");
            boolean first = true;
            for (String t : recent) {
                out.append(first ? "" : ",").append(t);
                first = false;
            }
            return out.append("],\"lost\":0").toString();
        }
    }

    @Override
    public String toString() {
        return id + "@" + seq + " (" + Objects.toString(subscribers) + " subscribers)";
    }
}
