package io.mme.app.feedcheck;

import io.mme.connectors.kraken.KrakenV1BookDecoder;
import io.mme.connectors.kraken.KrakenV2BookDecoder;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mme feed check --faults}: the recording replayed once clean and once per fault, each
 * fault injected once on the first connection at a book update a third of the way into the
 * stream; per fault, which integrity signal noticed it first and whether every book ended VALID
 * and equal to the clean run's. A fault the venue's protocol can see (Binance update ids, Kraken
 * checksums, Coinbase Advanced Trade {@code sequence_num}; a malformed line, a closed socket and
 * silence on every venue) fails the matrix when it goes unnoticed or a book does not recover;
 * one it cannot see (a changed size on Binance or Coinbase, anything but the socket on Coinbase
 * Exchange {@code level2}) is listed as undetectable.
 *
 * <p>Kraken's checksum covers the top ten levels only: there the fault is put on the first
 * candidate that a bare decoder, fed the faulted stream offline, finds with a failed checksum or
 * a refused message, so that the row tests the feed's reaction, not the luck of the level's depth.
 *
 * <p>Thread: the caller's; each run is a {@link FeedCheck} run.
 */
public final class FaultMatrix {
    /** the faults, in the table's order */
    public enum Fault {
        DROP("drop"),
        SIZE("changed size"),
        PRICE("changed price"),
        SWAP("swap"),
        TRUNCATE("truncate"),
        GARBAGE("garbage line"),
        DISCONNECT("disconnect"),
        SILENCE("silence past the stale limit");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    /**
     * @param at         the index of the received message the fault was put on (-1: no place found)
     * @param detectable whether the venue's protocol can notice this fault
     * @param detectedBy the first signal that noticed it (sequence, checksum, malformed, crossed,
     *                   disconnect, stale), or null
     * @param recovered  every book VALID at the end and equal to the clean run's
     */
    public record Row(Fault fault, int at, boolean detectable, String detectedBy, boolean recovered) {
        /** a detectable fault that went unnoticed, or one noticed whose book did not recover */
        public boolean failed() {
            return detectable && (at < 0 || detectedBy == null || !recovered);
        }
    }

    /** the matrix's outcome */
    public record Result(String venue, String protocol, boolean cleanComplete, List<Row> rows) {
        public boolean failed() {
            return !cleanComplete || rows.stream().anyMatch(Row::failed);
        }

        /** the table, one line per fault */
        public String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("%s %s%n", venue, protocol));
            b.append(String.format("%-30s %-6s %-12s %-10s %s%n", "fault", "at", "detected by", "recovered", "verdict"));
            for (Row r : rows) {
                String verdict = r.failed() ? "FAIL" : r.detectable ? "ok" : r.detectedBy == null ? "undetectable" : "ok (not guaranteed)";
                b.append(String.format("%-30s %-6s %-12s %-10s %s%n", r.fault.label, r.at < 0 ? "-" : String.valueOf(r.at),
                        r.detectedBy == null ? "-" : r.detectedBy, r.recovered ? "yes" : "no", verdict));
            }
            return b.toString();
        }
    }

    /** how one venue protocol's messages look, and what it can detect */
    private record Protocol(String name, Pattern bookUpdate, Pattern key, Pattern level, Set<Fault> detectable) {
        boolean isBookUpdate(String m) {
            return bookUpdate.matcher(m).find() && level.matcher(m).find();
        }

        String keyOf(String m) {
            Matcher k = key.matcher(m);
            return k.find() ? k.group(1) : null;
        }
    }

    private static final Set<Fault> ALWAYS = EnumSet.of(Fault.TRUNCATE, Fault.GARBAGE, Fault.DISCONNECT, Fault.SILENCE);

    private static final Protocol BINANCE = new Protocol("combined-stream", Pattern.compile("\"e\":\"depthUpdate\""),
            Pattern.compile("\"s\":\"([A-Z0-9]+)\""), Pattern.compile("\\[\\[\"([0-9.]+)\",\"([0-9.]+)\""),
            union(ALWAYS, Fault.DROP, Fault.SWAP));
    private static final Protocol KRAKEN_V1 = new Protocol("ws-v1", Pattern.compile("\"book-[0-9]+\""),
            Pattern.compile("\"book-[0-9]+\",\"([^\"]+)\"\\]$"), Pattern.compile("\\[\\[\"([0-9.]+)\",\"([0-9.]+)\""),
            EnumSet.allOf(Fault.class));
    private static final Protocol KRAKEN_V2 = new Protocol("ws-v2", Pattern.compile("\"channel\":\"book\",\"type\":\"update\""),
            Pattern.compile("\"symbol\":\"([^\"]+)\""), Pattern.compile("\\{\"price\":([0-9.]+),\"qty\":([0-9.]+)"),
            EnumSet.allOf(Fault.class));
    private static final Protocol COINBASE_AT = new Protocol("advanced-trade", Pattern.compile("\"channel\":\"l2_data\".*\"type\":\"update\""),
            Pattern.compile("\"product_id\":\"([A-Z0-9-]+)\""), Pattern.compile("\"price_level\":\"([0-9.]+)\",\"new_quantity\":\"([0-9.]+)\""),
            union(ALWAYS, Fault.DROP, Fault.SWAP));
    private static final Protocol COINBASE_EXCHANGE = new Protocol("exchange", Pattern.compile("\"type\":\"l2update\""),
            Pattern.compile("\"product_id\":\"([A-Z0-9-]+)\""), Pattern.compile("\\[\"(?:buy|sell)\",\"([0-9.]+)\",\"([0-9.]+)\""),
            ALWAYS);

    /**
     * Hyperliquid: every l2Book message is the whole book, so a dropped, resized or repriced
     * snapshot is invisible and simply replaced by the next one; a swap delivers an older snapshot
     * after a newer one, which is refused (its time is earlier).
     */
    private static final Protocol HYPERLIQUID = new Protocol("ws", Pattern.compile("\"channel\":\"l2Book\""),
            Pattern.compile("\"coin\":\"([^\"]+)\""), Pattern.compile("\\{\"n\":[0-9]+,\"px\":\"([0-9.]+)\",\"sz\":\"([0-9.]+)\""),
            union(ALWAYS, Fault.SWAP));

    /** a line that is no JSON at all */
    static final String GARBAGE_LINE = "\u0000\u00ffnot json ]}{";

    private FaultMatrix() {
    }

    /** runs the clean replay and one per fault; {@code options.faults()} is ignored */
    public static Result run(Venue venue, Recording recording, FeedCheck.Options options) throws IOException, InterruptedException {
        Protocol protocol = protocol(venue, recording);
        FeedCheck.Options clean = new FeedCheck.Options(options.timeout(), options.staleAfter(), ReplayWebSocketServer.Faults.NONE);
        FeedCheck.Report reference = FeedCheck.run(venue, recording, clean);
        List<String> received = recording.received();
        InstrumentRegistry registry = venue == Venue.KRAKEN
                ? FeedCheck.registry(Venue.KRAKEN, recording, protocol == KRAKEN_V2 ? FeedCheck.KRAKEN_V2_SYMBOL : FeedCheck.KRAKEN_V1_PAIR)
                : null;
        List<Row> rows = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            ReplayWebSocketServer.Faults faults = place(fault, protocol, received, registry);
            if (faults == null) {
                rows.add(new Row(fault, -1, protocol.detectable().contains(fault), null, false));
                continue;
            }
            FeedCheck.Report report = FeedCheck.run(venue, recording, new FeedCheck.Options(options.timeout(), options.staleAfter(), faults));
            String detectedBy = detectedBy(report, reference);
            boolean recovered = report.complete() && report.books().equals(reference.books()) && allValid(report);
            rows.add(new Row(fault, at(faults), protocol.detectable().contains(fault), detectedBy, recovered));
        }
        return new Result(venue.configName(), protocol.name(), reference.complete() && allValid(reference), rows);
    }

    private static boolean allValid(FeedCheck.Report report) {
        boolean[] valid = {true};
        report.json().path("books").forEach(b -> valid[0] &= "VALID".equals(b.path("state").asText()));
        return valid[0];
    }

    /** the first signal in the faulted run that the clean one did not give */
    private static String detectedBy(FeedCheck.Report report, FeedCheck.Report reference) {
        for (String reason : report.reasons()) {
            String r = reason.toLowerCase(java.util.Locale.ROOT);
            if (r.contains("checksum")) {
                return "checksum";
            } else if (r.contains("gap") || r.contains("sequence") || r.contains("does not follow")) {
                return "sequence";
            } else if (r.contains("malformed") || r.contains("unreadable")) {
                return "malformed";
            } else if (r.contains("earlier than") || r.contains("older")) {
                return "time order";
            } else if (r.contains("crossed")) {
                return "crossed";
            } else if (r.contains("stale")) {
                return "stale";
            } else if (r.contains("disconnected")) {
                return "disconnect";
            } else {
                return reason.length() > 30 ? reason.substring(0, 30) : reason;
            }
        }
        if (report.json().path("malformed").asLong() > reference.json().path("malformed").asLong()) {
            return "malformed"; // refused, but no book was touched
        }
        if (report.json().path("refused_older").asLong() > reference.json().path("refused_older").asLong()) {
            return "time order"; // a whole snapshot older than the last, refused
        }
        return null;
    }

    private static int at(ReplayWebSocketServer.Faults f) {
        return Math.max(Math.max(Math.max(f.drop(), f.swap()), Math.max(f.corrupt(), f.closeAfter())),
                Math.max(f.silentAfter(), f.insertBefore()));
    }

    /** where and how to put the fault, or null when the stream has no place for it */
    private static ReplayWebSocketServer.Faults place(Fault fault, Protocol protocol, List<String> received, InstrumentRegistry kraken) {
        for (int i = received.size() / 3; i < received.size() - 1; i++) {
            String m = received.get(i);
            if (!protocol.isBookUpdate(m)) {
                continue;
            }
            ReplayWebSocketServer.Faults f = switch (fault) {
                case DROP -> new ReplayWebSocketServer.Faults(i, -1, -1, UnaryOperator.identity(), -1, -1);
                case SIZE -> corrupt(i, m, s -> bump(s, protocol.level(), 2));
                case PRICE -> corrupt(i, m, s -> bump(s, protocol.level(), 1));
                case TRUNCATE -> corrupt(i, m, s -> s.substring(0, s.length() / 2));
                case SWAP -> swap(i, protocol, received);
                case GARBAGE -> new ReplayWebSocketServer.Faults(-1, -1, -1, -1, UnaryOperator.identity(), -1, -1, i, GARBAGE_LINE);
                case DISCONNECT -> new ReplayWebSocketServer.Faults(-1, -1, -1, UnaryOperator.identity(), i, -1);
                case SILENCE -> new ReplayWebSocketServer.Faults(-1, -1, -1, UnaryOperator.identity(), -1, i);
            };
            if (f == null) {
                continue;
            }
            boolean messageFault = fault != Fault.GARBAGE && fault != Fault.DISCONNECT && fault != Fault.SILENCE;
            if (kraken != null && messageFault && !krakenNotices(protocol, kraken, received, f)) {
                continue;
            }
            return f;
        }
        return null;
    }

    private static ReplayWebSocketServer.Faults corrupt(int i, String m, UnaryOperator<String> rewrite) {
        return rewrite.apply(m).equals(m) ? null : new ReplayWebSocketServer.Faults(-1, -1, i, rewrite, -1, -1);
    }

    /** holds book update {@code i} back until after the next update of the same instrument */
    private static ReplayWebSocketServer.Faults swap(int i, Protocol protocol, List<String> received) {
        String key = protocol.keyOf(received.get(i));
        for (int j = i + 1; j < Math.min(received.size(), i + 2000); j++) {
            if (protocol.isBookUpdate(received.get(j)) && key != null && key.equals(protocol.keyOf(received.get(j)))) {
                return new ReplayWebSocketServer.Faults(-1, i, j, -1, UnaryOperator.identity(), -1, -1, -1, null);
            }
        }
        return null;
    }

    /** changes the last non-zero digit (the last digit when all are zero) of the first level's price (1) or size (2) */
    static String bump(String message, Pattern level, int group) {
        Matcher m = level.matcher(message);
        if (!m.find()) {
            return message;
        }
        char[] digits = m.group(group).toCharArray();
        int at = digits.length - 1;
        for (int i = digits.length - 1; i >= 0; i--) {
            if (digits[i] >= '1' && digits[i] <= '9') {
                at = i;
                break;
            }
        }
        if (digits[at] == '.') {
            return message;
        }
        digits[at] = digits[at] == '9' ? '8' : (char) (digits[at] + 1);
        return message.substring(0, m.start(group)) + new String(digits) + message.substring(m.end(group));
    }

    /** feeds the faulted stream (to 100 messages past the fault) to a bare Kraken decoder: a failed checksum or a refused book message? */
    private static boolean krakenNotices(Protocol protocol, InstrumentRegistry registry, List<String> received, ReplayWebSocketServer.Faults f) {
        FeedSink quiet = new FeedSink() {
            @Override
            public void clear(int instrumentId, long venueSequence) {
            }

            @Override
            public void level(int instrumentId, Side side, long priceTicks, long quantityLots, long venueSequence) {
            }

            @Override
            public void endOfMessage(int instrumentId, long venueSequence) {
            }

            @Override
            public void invalid(int instrumentId, String reason) {
            }

            @Override
            public void bestBidOffer(int instrumentId, long bidTicks, long bidLots, long askTicks, long askLots, long venueSequence) {
            }

            @Override
            public void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots, long tradeId, long venueTimestampNanos) {
            }
        };
        KrakenV1BookDecoder v1 = protocol == KRAKEN_V1 ? new KrakenV1BookDecoder(registry, quiet) : null;
        KrakenV2BookDecoder v2 = protocol == KRAKEN_V1 ? null : new KrakenV2BookDecoder(registry, quiet);
        Consumer<String> decode = v1 != null ? v1::onMessage : v2::onMessage;
        int end = Math.min(received.size(), at(f) + 100);
        String held = null;
        for (int i = 0; i < end; i++) {
            if (i == f.drop()) {
                continue;
            }
            String text = i == f.corrupt() ? f.rewrite().apply(received.get(i)) : received.get(i);
            if (i == f.swap()) {
                held = text;
                continue;
            }
            decode.accept(text);
            if (held != null && i >= f.swapAfter()) {
                decode.accept(held);
                held = null;
            }
        }
        return v1 != null ? v1.checksumsFailed() + v1.booksLostToMalformed() > 0 : v2.checksumsFailed() + v2.booksLostToMalformed() > 0;
    }

    private static Protocol protocol(Venue venue, Recording recording) {
        return switch (venue) {
            case BINANCE -> BINANCE;
            case KRAKEN -> recording.received().stream().anyMatch(m -> m.contains("\"channel\":\"book\"")) ? KRAKEN_V2 : KRAKEN_V1;
            case COINBASE -> recording.received().stream().anyMatch(m -> m.contains("\"channel\":\"l2_data\"")) ? COINBASE_AT : COINBASE_EXCHANGE;
            case HYPERLIQUID -> HYPERLIQUID;
        };
    }

    private static Set<Fault> union(Set<Fault> base, Fault... more) {
        EnumSet<Fault> s = EnumSet.copyOf(base);
        s.addAll(List.of(more));
        return s;
    }
}
