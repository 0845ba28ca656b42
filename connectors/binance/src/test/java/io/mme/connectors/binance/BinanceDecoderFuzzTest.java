package io.mme.connectors.binance;

import io.mme.connectors.binance.BinanceRecordingReplayTest.Input;
import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.MalformedMessageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static io.mme.connectors.binance.BinanceRecordingReplayTest.DATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Feeds the Binance decoder the recorded combined stream and REST snapshot bodies with seeded
 * random damage: characters flipped, inserted and deleted, messages truncated, duplicated and
 * spliced, digits replaced, quotes and brackets swapped, numbers given signs, exponents and huge
 * values, strings emptied. Damaged messages are interleaved with undamaged ones (and with
 * repeated, dropped and out-of-order ones), so books get built and then damaged, by a decoder that
 * is sometimes fresh and sometimes continues, sometimes after a reconnect.
 *
 * <p>After every input: no exception left {@code onMessage}; the snapshot entry point either
 * answered or refused an unreadable body with {@link MalformedMessageException} or
 * {@link FixedPointException} (what {@code BinanceFeed} catches to fetch another), having told the
 * sink nothing and left the synchronisation as it was; the counters add up; every book the sink
 * keeps is strictly ordered with positive prices and quantities; levels reach a book only while it
 * is valid or its snapshot is being loaded, and every message's levels end with endOfMessage (or
 * with the book declared invalid); the sink's book is valid exactly while the decoder's
 * synchronisation says synced, and a valid book's update id only rises.
 *
 * <p>A crossed book is not asserted against: the decoder vouches for sequence continuity only (a
 * damaged price in a diff whose ids follow on is applied as sent), and crossing is the market data
 * engine's check at each endOfMessage. The run counts crossed valid ends instead.
 *
 * <p>{@code mme.fuzz.iterations} (default 20,000) damaged messages per run; {@code mme.fuzz.seed}
 * repeats a run. A failure names the seed, the input and the damaged text (written to
 * {@code target/fuzz-failures/} when it is long). The two other tests pin, on hand-written
 * messages, the decoder faults this fuzz found.
 */
class BinanceDecoderFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("mme.fuzz.iterations", 20_000);

    @Test
    void damagedRecordedMessagesNeverEscapeTheDecoderNorBreakABook() throws IOException {
        List<Input> inputs = BinanceRecordingReplayTest.recording(DATA.resolve("binance-spot.ws.rec"), DATA.resolve("binance-spot.http.rec"));
        InstrumentRegistry registry = BinanceRecordingReplayTest.registryFor(inputs);
        long seed = Long.getLong("mme.fuzz.seed", new SplittableRandom().nextLong());
        Run run = new Run(seed, registry, inputs);

        run.run(ITERATIONS);

        System.out.printf("Binance fuzz, seed %d: %d damaged of %d inputs; %d malformed; snapshots %d applied, %d refused as unreadable; "
                        + "%d valid book ends (%d crossed), %d gaps%n", seed, run.mutations, run.inputs, run.malformed, run.snapshotsApplied,
                run.snapshotsUnreadable, run.validEnds, run.crossedValidEnds, run.gaps);
        assertThat(run.mutations).isGreaterThanOrEqualTo(ITERATIONS);
        assertThat(run.malformed).as("damaged messages the decoder refused").isPositive();
        assertThat(run.snapshotsApplied).as("snapshots that built a book").isPositive();
        assertThat(run.validEnds).as("messages that ended on a valid book").isPositive();
    }

    /** found by this fuzz: a diff that broke after its symbol was read was lost without invalidating the book */
    @Test
    void aDepthEventThatBreaksAfterItsSymbolInvalidatesTheBookAndRestartsItsSynchronisation() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null)).build();
        String[] broken = {
                // a level cut short: the diff is lost
                "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":11,\"u\":11,\"b\":[[\"1.00\"]],\"a\":[]}}",
                // a well-formed diff inside a broken message: applied, but nothing around it can be trusted
                "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":11,\"u\":11,\"b\":[[\"1.01\",\"1\"]],\"a\":[]},"
                        + "\"x\":tru}"};
        for (String message : broken) {
            InvariantSink sink = new InvariantSink(1);
            BinanceMarketDataDecoder decoder = new BinanceMarketDataDecoder(registry, sink);
            decoder.onMessage("{\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":10,\"u\":10,\"b\":[],\"a\":[]}}");
            assertThat(decoder.onSnapshot(0, "{\"lastUpdateId\":10,\"bids\":[[\"1.00\",\"1\"]],\"asks\":[[\"2.00\",\"1\"]]}"))
                    .isEqualTo(BinanceDepthSync.SnapshotResult.APPLIED);

            decoder.onMessage(message);

            assertThat(decoder.malformed()).as(message).isEqualTo(1);
            assertThat(sink.valid[0]).as(message).isFalse();
            assertThat(decoder.sync(0).synced()).as(message).isFalse();
            decoder.onMessage("{\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":12,\"u\":12,\"b\":[],\"a\":[]}}");
            assertThat(decoder.sync(0).needsSnapshot()).as("a new snapshot wanted after " + message).isTrue();
            assertThat(sink.violation).isNull();
        }
    }

    /** found by this fuzz: negative quantities reached the books, negative prices the books, trades and book tickers */
    @Test
    void pricesThatAreNotPositiveAndNegativeQuantitiesAreMalformed() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null)).build();
        InvariantSink sink = new InvariantSink(1);
        BinanceMarketDataDecoder decoder = new BinanceMarketDataDecoder(registry, sink);
        decoder.onMessage("{\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":10,\"u\":10,\"b\":[],\"a\":[]}}");
        decoder.onSnapshot(0, "{\"lastUpdateId\":10,\"bids\":[[\"1.00\",\"1\"]],\"asks\":[[\"2.00\",\"1\"]]}");
        String[] bad = {
                "{\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":11,\"u\":11,\"b\":[[\"1.00\",\"-1\"]],\"a\":[]}}",
                "{\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":11,\"u\":11,\"b\":[[\"-1.00\",\"1\"]],\"a\":[]}}",
                "{\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":11,\"u\":11,\"b\":[],\"a\":[[\"0.00\",\"1\"]]}}",
                "{\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"-1.00\",\"q\":\"1\",\"T\":1,\"m\":true}}",
                "{\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1.00\",\"q\":\"0\",\"T\":1,\"m\":true}}",
                "{\"data\":{\"u\":11,\"s\":\"BTCUSDT\",\"b\":\"-1.00\",\"B\":\"1\",\"a\":\"2.00\",\"A\":\"1\"}}",
                "{\"data\":{\"u\":11,\"s\":\"BTCUSDT\",\"b\":\"1.00\",\"B\":\"1\",\"a\":\"2.00\",\"A\":\"-1\"}}"};
        for (String message : bad) {
            decoder.onMessage(message);
        }

        assertThat(decoder.malformed()).isEqualTo(bad.length);
        assertThat(sink.violation).isNull();
        assertThat(sink.books[0].bestQuantity(Side.BUY)).isEqualTo(registry.get(0).quantityLots("1"));
        assertThatCode(() -> decoder.onSnapshot(0, "{\"lastUpdateId\":20,\"bids\":[[\"1.00\",\"-1\"]],\"asks\":[]}"))
                .isInstanceOf(MalformedMessageException.class);
    }

    /** one seeded run over the recording, with the decoder and sink of the moment */
    private static final class Run {
        /** per pass over the recording, one input in this many is damaged: heavy damage, or books that live a while */
        private static final int[] DAMAGE = {2, 16, 512};
        private final long seed;
        private final SplittableRandom random;
        private final Mutator mutator;
        private final InstrumentRegistry registry;
        private final List<Input> recorded;
        private BinanceMarketDataDecoder decoder;
        private InvariantSink sink;
        /** messages given to the current decoder's onMessage */
        private long fed;

        long inputs;
        long mutations;
        long malformed;
        long snapshotsApplied;
        long snapshotsUnreadable;
        long validEnds;
        long crossedValidEnds;
        long gaps;

        Run(long seed, InstrumentRegistry registry, List<Input> recorded) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.mutator = new Mutator(random);
            this.registry = registry;
            this.recorded = recorded;
        }

        void run(int iterations) {
            fresh();
            int cursor = 0;
            int damage = 2;
            while (mutations < iterations) {
                if (cursor == recorded.size() || random.nextInt(2_000) == 0) {
                    cursor = 0;
                    damage = DAMAGE[random.nextInt(DAMAGE.length)];
                    restart();
                }
                Input input = recorded.get(cursor++);
                if (random.nextInt(damage) == 0) {
                    String damaged = mutator.mutate(input.text(), recorded.get(random.nextInt(recorded.size())).text());
                    mutations++;
                    feed(input, damaged, mutator.last());
                    continue;
                }
                switch (random.nextInt(256)) {
                    case 0 -> {
                        feed(input, input.text(), "as recorded");
                        feed(input, input.text(), "repeated");
                    }
                    case 1 -> {
                        // dropped
                    }
                    case 2 -> {
                        Input old = recorded.get(random.nextInt(recorded.size()));
                        feed(old, old.text(), "replayed out of order");
                    }
                    default -> feed(input, input.text(), "as recorded");
                }
            }
            collect();
        }

        /** a new decoder, a continuing one after a reconnect (as BinanceFeed does), or the same one */
        private void restart() {
            switch (random.nextInt(3)) {
                case 0 -> fresh();
                case 1 -> {
                    for (int id = 0; id < registry.size(); id++) {
                        decoder.sync(id).reset();
                        sink.invalid(id, "new connection");
                    }
                }
                default -> {
                }
            }
        }

        private void fresh() {
            if (decoder != null) {
                collect();
            }
            sink = new InvariantSink(registry.size());
            decoder = new BinanceMarketDataDecoder(registry, sink);
            fed = 0;
        }

        /** adds the counts of the decoder and sink about to be replaced (or of the last ones) to the run's */
        private void collect() {
            malformed += decoder.malformed();
            validEnds += sink.validEnds;
            crossedValidEnds += sink.crossedValidEnds;
            for (int id = 0; id < registry.size(); id++) {
                gaps += decoder.sync(id).gaps();
            }
        }

        private void feed(Input input, String text, String how) {
            inputs++;
            try {
                if (input.symbol() == null) {
                    fed++;
                    decoder.onMessage(text);
                } else {
                    snapshot(registry.find(Venue.BINANCE, input.symbol()).id(), text);
                }
                check();
            } catch (Throwable t) {
                throw new AssertionError(Failure.report("Binance", seed, inputs, how, text), t);
            }
        }

        private void snapshot(int id, String body) {
            BinanceDepthSync sync = decoder.sync(id);
            boolean synced = sync.synced();
            long bookId = sync.bookId();
            long calls = sink.calls;
            try {
                if (decoder.onSnapshot(id, body) == BinanceDepthSync.SnapshotResult.APPLIED) {
                    snapshotsApplied++;
                }
            } catch (MalformedMessageException | FixedPointException unreadable) {
                snapshotsUnreadable++;
                assertThat(sink.calls).as("sink calls for an unreadable snapshot body").isEqualTo(calls);
                assertThat(sync.synced()).as("synced after an unreadable snapshot body").isEqualTo(synced);
                assertThat(sync.bookId()).as("book id after an unreadable snapshot body").isEqualTo(bookId);
            }
        }

        private void check() {
            assertThat(sink.violation).as("what the sink saw").isNull();
            assertThat(decoder.messages()).as("messages counted").isEqualTo(fed);
            assertThat(decoder.malformed()).as("malformed counted").isBetween(0L, decoder.messages());
            for (int id = 0; id < registry.size(); id++) {
                assertThat(sink.open[id]).as("instrument %d: levels without endOfMessage or invalid", id).isFalse();
                assertThat(sink.valid[id]).as("instrument %d: valid at the sink while the decoder says synced", id)
                        .isEqualTo(decoder.sync(id).synced());
            }
        }
    }

    /**
     * Keeps a book per instrument from what the decoder says and records the first thing that a
     * correct decoder could not have said. Validity as the market data engine tracks it: invalid
     * from {@code invalid} until a snapshot's {@code endOfMessage}.
     */
    private static final class InvariantSink implements FeedSink {
        final L2Book[] books;
        final boolean[] valid;
        final boolean[] snapshotOpen;
        /** levels (or a clear) not yet followed by endOfMessage or invalid */
        final boolean[] open;
        final long[] lastEnd;
        String violation;
        long calls;
        long validEnds;
        long crossedValidEnds;

        InvariantSink(int instruments) {
            books = new L2Book[instruments];
            valid = new boolean[instruments];
            snapshotOpen = new boolean[instruments];
            open = new boolean[instruments];
            lastEnd = new long[instruments];
            for (int i = 0; i < instruments; i++) {
                books[i] = new L2Book(20_000);
            }
        }

        private void violated(String what) {
            if (violation == null) {
                violation = what;
            }
        }

        @Override
        public void clear(int id, long seq) {
            calls++;
            books[id].clear();
            valid[id] = false;
            snapshotOpen[id] = true;
            open[id] = true;
            lastEnd[id] = Long.MIN_VALUE;
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
            calls++;
            if (!valid[id] && !snapshotOpen[id]) {
                violated("a level reached instrument " + id + "'s book while it was invalid");
            }
            if (price <= 0 || qty < 0) {
                violated("level " + side + " " + qty + " @ " + price + " for instrument " + id);
            }
            books[id].set(side, price, qty);
            open[id] = true;
        }

        @Override
        public void endOfMessage(int id, long seq) {
            calls++;
            if (snapshotOpen[id]) {
                snapshotOpen[id] = false;
                valid[id] = true;
            } else if (!valid[id]) {
                violated("endOfMessage for instrument " + id + " whose book is invalid");
            } else if (seq <= lastEnd[id]) {
                violated("instrument " + id + ": update id " + seq + " after " + lastEnd[id]);
            }
            lastEnd[id] = seq;
            open[id] = false;
            String broken = Failure.inconsistency(books[id]);
            if (broken != null) {
                violated("instrument " + id + ": " + broken);
            }
            if (valid[id]) {
                validEnds++;
                if (books[id].crossed()) {
                    crossedValidEnds++;
                }
            }
        }

        @Override
        public void invalid(int id, String reason) {
            calls++;
            valid[id] = false;
            snapshotOpen[id] = false;
            open[id] = false;
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            calls++;
            if (bid <= 0 || ask <= 0 || bidQty < 0 || askQty < 0) {
                violated("best bid/offer " + bidQty + " @ " + bid + " / " + askQty + " @ " + ask + " for instrument " + id);
            }
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
            calls++;
            if (price <= 0 || qty <= 0) {
                violated("trade " + qty + " @ " + price + " for instrument " + id);
            }
        }
    }

    /** the book check and the failure report */
    private static final class Failure {
        private static final int PRINTED = 2_000;

        private Failure() {
        }

        /** what is wrong with the book, or null: each side strictly ordered from the best, prices and quantities positive */
        static String inconsistency(L2Book book) {
            for (Side side : Side.values()) {
                long previous = 0;
                for (int i = 0; i < book.levels(side); i++) {
                    long price = book.price(side, i);
                    long qty = book.quantity(side, i);
                    if (price <= 0 || qty <= 0) {
                        return side + " level " + i + " is " + qty + " @ " + price;
                    }
                    if (i > 0 && (side == Side.BUY ? price >= previous : price <= previous)) {
                        return side + " levels " + (i - 1) + " and " + i + " are out of order: " + previous + ", " + price;
                    }
                    previous = price;
                }
            }
            return null;
        }

        /** the seed, the input and the damaged text; long texts go to a file under target/fuzz-failures */
        static String report(String venue, long seed, long input, String how, String text) {
            String shown = text;
            if (text.length() > PRINTED) {
                Path file = Path.of("target", "fuzz-failures", venue + "-" + seed + "-" + input + ".txt");
                try {
                    Files.createDirectories(file.getParent());
                    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                shown = text.substring(0, PRINTED / 2) + " … " + text.substring(text.length() - PRINTED / 2) + "\n(the whole text, "
                        + text.length() + " characters, is in " + file.toAbsolutePath() + ")";
            }
            return venue + " fuzz failed at input " + input + " of seed " + seed + " (repeat: ./mvnw -B test -pl connectors/binance -Dtest=BinanceDecoderFuzzTest"
                    + " -Dmme.fuzz.seed=" + seed + " -Dmme.fuzz.iterations=" + ITERATIONS + "); the input was " + how + ":\n" + shown;
        }
    }

    /**
     * Seeded damage to one message's text, of the kinds a broken connection, a venue bug or a
     * hostile peer could produce; {@link #last()} says what the last call did.
     */
    private static final class Mutator {
        private static final String NOISE = "{}[]\":,.-+eE0123456789 \t\n\\/abefnrstuABUZ\u00e9\u20ac\u0000\uffff";
        private static final String STRUCTURE = "{}[]\":,";
        private static final String[] NUMBERS = {"0", "-0", "00", "0.0", ".5", "5.", "-1", "1e3", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "18446744073709551616", "99999999999999999999999999999999",
                "1" + "0".repeat(400), "0." + "0".repeat(30) + "1", "1E-400", "1e308", "NaN", "Infinity", ""};
        private static final String[] WHOLE = {"", " ", "null", "true", "0", "\"\"", "{}", "[]", "{", "[", "}", "]", "\"", "{\"\":\"\"}",
                "[[[[[[[[", "{\"a\":{\"b\":{\"c\":[]}}}"};
        private static final int KINDS = 17;

        private final SplittableRandom random;
        private String last;

        Mutator(SplittableRandom random) {
            this.random = random;
        }

        /** what the last {@link #mutate} did */
        String last() {
            return last;
        }

        /** {@code text} damaged in one way; {@code other} is another message, for splices */
        String mutate(String text, String other) {
            StringBuilder s = new StringBuilder(text);
            int kind = s.isEmpty() ? 1 : random.nextInt(KINDS);
            switch (kind) {
                case 0 -> {
                    int at = random.nextInt(s.length());
                    char c = noise();
                    last = "character " + at + " flipped to U+" + Integer.toHexString(c);
                    s.setCharAt(at, c);
                }
                case 1 -> {
                    int at = random.nextInt(s.length() + 1);
                    int n = 1 + random.nextInt(4);
                    StringBuilder inserted = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        inserted.append(noise());
                    }
                    last = n + " characters inserted at " + at;
                    s.insert(at, inserted);
                }
                case 2 -> {
                    int at = random.nextInt(s.length());
                    int end = Math.min(s.length(), at + 1 + random.nextInt(16));
                    last = "characters " + at + ".." + end + " deleted";
                    s.delete(at, end);
                }
                case 3 -> {
                    int at = random.nextInt(s.length());
                    last = "truncated to " + at + " characters";
                    s.setLength(at);
                }
                case 4 -> {
                    if (random.nextInt(4) == 0) {
                        last = "the whole text twice";
                        s.append(text);
                    } else {
                        int at = random.nextInt(s.length());
                        int end = Math.min(s.length(), at + 1 + random.nextInt(200));
                        last = "characters " + at + ".." + end + " duplicated";
                        s.insert(end, text, at, end);
                    }
                }
                case 5 -> {
                    int at = random.nextInt(s.length() + 1);
                    int from = other.isEmpty() ? 0 : random.nextInt(other.length());
                    last = "spliced: the first " + at + " characters, then another message from its character " + from;
                    s.setLength(at);
                    s.append(other, from, other.length());
                }
                case 6 -> {
                    int[] number = run(s, true);
                    if (number == null) {
                        return mutate(text, other);
                    }
                    for (int i = number[0]; i < number[1]; i++) {
                        if (Character.isDigit(s.charAt(i))) {
                            s.setCharAt(i, (char) ('0' + random.nextInt(10)));
                        }
                    }
                    last = "digits " + number[0] + ".." + number[1] + " replaced";
                }
                case 7 -> {
                    int a = structure(s);
                    if (a < 0) {
                        return mutate(text, other);
                    }
                    if (random.nextBoolean()) {
                        char c = STRUCTURE.charAt(random.nextInt(STRUCTURE.length()));
                        last = "'" + s.charAt(a) + "' at " + a + " replaced by '" + c + "'";
                        s.setCharAt(a, c);
                    } else {
                        int b = structure(s);
                        char ca = s.charAt(a);
                        last = "'" + ca + "' at " + a + " swapped with '" + s.charAt(b) + "' at " + b;
                        s.setCharAt(a, s.charAt(b));
                        s.setCharAt(b, ca);
                    }
                }
                case 8 -> {
                    int[] number = run(s, true);
                    if (number == null) {
                        return mutate(text, other);
                    }
                    if (number[0] > 0 && s.charAt(number[0] - 1) == '-') {
                        last = "the minus before the number at " + number[0] + " removed";
                        s.deleteCharAt(number[0] - 1);
                    } else {
                        last = "the number at " + number[0] + " made negative";
                        s.insert(number[0], '-');
                    }
                }
                case 9 -> {
                    int[] number = run(s, true);
                    if (number == null) {
                        return mutate(text, other);
                    }
                    String[] exponents = {"e5", "E-7", "e+400", "e", "E0", "e-2147483648"};
                    String e = exponents[random.nextInt(exponents.length)];
                    last = "exponent " + e + " after the number at " + number[0];
                    s.insert(number[1], e);
                }
                case 10 -> {
                    int[] number = run(s, true);
                    if (number == null) {
                        return mutate(text, other);
                    }
                    String n = NUMBERS[random.nextInt(NUMBERS.length)];
                    last = "the number at " + number[0] + " replaced by " + (n.length() > 40 ? n.length() + " characters" : "'" + n + "'");
                    s.replace(number[0], number[1], n);
                }
                case 11 -> {
                    int[] string = run(s, false);
                    if (string == null) {
                        return mutate(text, other);
                    }
                    last = "the string at " + string[0] + " emptied";
                    s.delete(string[0], string[1]);
                }
                case 12 -> {
                    int[] from = run(s, true);
                    int[] to = run(s, true);
                    if (from == null) {
                        return mutate(text, other);
                    }
                    String n = s.substring(from[0], from[1]);
                    last = "the number at " + to[0] + " replaced by the one at " + from[0] + " (" + n + ")";
                    s.replace(to[0], to[1], n);
                }
                case 13 -> {
                    int at = s.indexOf("\":", random.nextInt(s.length()));
                    if (at < 0) {
                        return mutate(text, other);
                    }
                    int start = s.lastIndexOf("\"", at - 1);
                    int end = at + 2;
                    while (end < s.length() && s.charAt(end) != ',' && s.charAt(end) != '}') {
                        end++;
                    }
                    start = Math.max(0, start);
                    last = "the field at " + start + ".." + end + " removed";
                    s.delete(start, end);
                }
                case 14 -> {
                    String[] escapes = {"\\", "\\u00", "\\\"", "\\n", "\\uD800", " \n\t"};
                    String e = escapes[random.nextInt(escapes.length)];
                    int at = random.nextInt(s.length() + 1);
                    last = "'" + e.replace("\n", "\\n").replace("\t", "\\t") + "' inserted at " + at;
                    s.insert(at, e);
                }
                case 15 -> {
                    String w = WHOLE[random.nextInt(WHOLE.length)];
                    last = "the whole text replaced by '" + w + "'";
                    return w;
                }
                default -> {
                    int at = random.nextInt(s.length() + 1);
                    int depth = 1 + random.nextInt(random.nextBoolean() ? 8 : 2_000);
                    last = depth + " nested brackets inserted at " + at;
                    s.insert(at, "[".repeat(depth) + "]".repeat(random.nextInt(depth + 1)));
                }
            }
            return s.toString();
        }

        private char noise() {
            return random.nextInt(8) == 0 ? (char) random.nextInt(0x10000) : NOISE.charAt(random.nextInt(NOISE.length()));
        }

        /** a random structural character's position, or -1 */
        private int structure(StringBuilder s) {
            int from = random.nextInt(s.length());
            for (int i = 0; i < s.length(); i++) {
                int at = (from + i) % s.length();
                if (STRUCTURE.indexOf(s.charAt(at)) >= 0) {
                    return at;
                }
            }
            return -1;
        }

        /**
         * From a random position on: the next run of digits (and points), or the next string's
         * content ({@code number} false); null when there is none.
         */
        private int[] run(StringBuilder s, boolean number) {
            int from = random.nextInt(s.length());
            for (int i = 0; i < s.length(); i++) {
                int at = (from + i) % s.length();
                char c = s.charAt(at);
                if (number && Character.isDigit(c)) {
                    int start = at;
                    while (start > 0 && (Character.isDigit(s.charAt(start - 1)) || s.charAt(start - 1) == '.')) {
                        start--;
                    }
                    int end = at;
                    while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
                        end++;
                    }
                    return new int[]{start, end};
                }
                if (!number && c == '"') {
                    int end = s.indexOf("\"", at + 1);
                    if (end > at) {
                        return new int[]{at + 1, end};
                    }
                }
            }
            return null;
        }
    }
}
