package io.mme.connectors.kraken;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds both Kraken book decoders their messages with seeded random damage: the v1 decoder the
 * whole recorded {@code book-1000} feed, the v2 decoder the documented v2 messages the other tests
 * use (book snapshots and updates with their checksums, trades, acknowledgements, control
 * messages, the shared example file). Characters are flipped, inserted and deleted, messages
 * truncated, duplicated and spliced, digits replaced, quotes and brackets swapped, numbers given
 * signs, exponents and huge values, strings emptied. Damaged messages are interleaved with
 * undamaged ones (and with repeated, dropped and out-of-order ones), so books get built and then
 * damaged, by a decoder that is sometimes fresh and sometimes continues.
 *
 * <p>After every message: no exception left {@code onMessage}; the counters add up; every book
 * the sink keeps is strictly ordered with positive prices and quantities; levels reach a book only
 * while it is valid or its snapshot is being loaded, and every message's levels end with
 * endOfMessage; the sink's book is valid exactly while the decoder says so, and then holds exactly
 * the decoder's own book (at most the deepest subscription a side).
 *
 * <p>Crossing: a book is asserted uncrossed at the end of every message whose books all passed a
 * checksum. Not at other ends, because the decoder cannot vouch for them: a v1 snapshot carries no
 * checksum, and an update whose checksum field was damaged away is applied unchecked, so damaged
 * prices there can cross a book the decoder calls valid until the next checksum fails; crossing is
 * also the market data engine's check at each endOfMessage. The run counts those crossed ends.
 *
 * <p>{@code mme.fuzz.iterations} (default 20,000) damaged messages per decoder; {@code mme.fuzz.seed}
 * repeats a run. A failure names the seed, the message and the damaged text (written to
 * {@code target/fuzz-failures/} when it is long).
 */
class KrakenDecoderFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("mme.fuzz.iterations", 20_000);

    @Test
    void damagedV1BookMessagesNeverEscapeTheDecoderNorBreakABook() {
        List<String> messages = KrakenRecordings.messages();
        InstrumentRegistry registry = KrakenRecordings.registry(messages);
        Run run = new Run("Kraken v1", seed(), registry, messages, V1::new);

        run.run(ITERATIONS);

        run.print();
        run.assertCoverage();
    }

    @Test
    void damagedV2MessagesNeverEscapeTheDecoderNorBreakABook() throws IOException {
        List<String> messages = List.of(
                "{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":25,\"snapshot\":true,\"symbol\":\"BTC/USD\"},"
                        + "\"success\":true,\"time_in\":\"2023-10-06T17:35:55.219022Z\",\"time_out\":\"2023-10-06T17:35:55.219067Z\"}",
                KrakenV2Examples.GUIDE_SNAPSHOT,
                KrakenV2Examples.BOOK_PAGE_SNAPSHOT,
                KrakenV2Examples.BOOK_PAGE_UPDATE,
                KrakenV2Examples.VENUES_SNAPSHOT,
                KrakenV2Examples.VENUES_UPDATE,
                "{\"channel\":\"trade\",\"type\":\"update\",\"data\":["
                        + "{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":67012.5,\"qty\":0.01500000,\"ord_type\":\"market\",\"trade_id\":83112345,"
                        + "\"timestamp\":\"2026-07-25T09:40:01.130002Z\"},"
                        + "{\"symbol\":\"BTC/USD\",\"side\":\"sell\",\"price\":67012.4,\"qty\":2,\"ord_type\":\"limit\",\"trade_id\":83112346,"
                        + "\"timestamp\":\"2026-07-25T09:40:01.2Z\"}]}",
                "{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":67012.5,"
                        + "\"qty\":0.015,\"ord_type\":\"market\",\"trade_id\":83112345,\"timestamp\":\"2026-07-25T09:40:01.130002Z\"}]}",
                "{\"channel\":\"heartbeat\"}",
                "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"api_version\":\"v2\",\"connection_id\":12393906104898154338,"
                        + "\"system\":\"online\",\"version\":\"2.0.0\"}]}",
                "{\"method\":\"pong\",\"req_id\":101,\"time_in\":\"2023-09-24T14:10:23.799685Z\",\"time_out\":\"2023-09-24T14:10:23.799703Z\"}",
                "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bid\":67012.4,\"bid_qty\":2.0,"
                        + "\"ask\":67012.5,\"ask_qty\":0.5,\"last\":67012.5}]}",
                Files.readString(KrakenRecordings.file("kraken-v2-book-snapshot.example.json")));
        InstrumentRegistry registry = KrakenV2Examples.registry(8);
        Run run = new Run("Kraken v2", seed(), registry, messages, V2::new);

        run.run(ITERATIONS);

        run.print();
        run.assertCoverage();
        assertThat(run.trades).as("trades passed on").isPositive();
    }

    private static long seed() {
        return Long.getLong("mme.fuzz.seed", new SplittableRandom().nextLong());
    }

    /** what a run needs of either decoder */
    private interface FuzzedDecoder {
        void onMessage(CharSequence message);

        long messages();

        long malformed();

        long checksumsPassed();

        long checksumsFailed();

        boolean valid(int instrumentId);

        L2Book book(int instrumentId);
    }

    private static final class V1 implements FuzzedDecoder {
        private final KrakenV1BookDecoder decoder;

        V1(InstrumentRegistry registry, FeedSink sink) {
            decoder = new KrakenV1BookDecoder(registry, sink);
        }

        @Override
        public void onMessage(CharSequence message) {
            decoder.onMessage(message);
        }

        @Override
        public long messages() {
            return decoder.messages();
        }

        @Override
        public long malformed() {
            return decoder.malformed();
        }

        @Override
        public long checksumsPassed() {
            return decoder.checksumsPassed();
        }

        @Override
        public long checksumsFailed() {
            return decoder.checksumsFailed();
        }

        @Override
        public boolean valid(int instrumentId) {
            return decoder.valid(instrumentId);
        }

        @Override
        public L2Book book(int instrumentId) {
            return decoder.book(instrumentId);
        }
    }

    private static final class V2 implements FuzzedDecoder {
        private final KrakenV2BookDecoder decoder;

        V2(InstrumentRegistry registry, FeedSink sink) {
            decoder = new KrakenV2BookDecoder(registry, sink);
        }

        @Override
        public void onMessage(CharSequence message) {
            decoder.onMessage(message);
        }

        @Override
        public long messages() {
            return decoder.messages();
        }

        @Override
        public long malformed() {
            return decoder.malformed();
        }

        @Override
        public long checksumsPassed() {
            return decoder.checksumsPassed();
        }

        @Override
        public long checksumsFailed() {
            return decoder.checksumsFailed();
        }

        @Override
        public boolean valid(int instrumentId) {
            return decoder.valid(instrumentId);
        }

        @Override
        public L2Book book(int instrumentId) {
            return decoder.book(instrumentId);
        }
    }

    /** one seeded run over a list of messages, with the decoder and sink of the moment */
    private static final class Run {
        /** per pass over the messages, one in this many is damaged: heavy damage, or books that live a while */
        private static final int[] DAMAGE = {2, 16, 512};

        private final String name;
        private final long seed;
        private final SplittableRandom random;
        private final Mutator mutator;
        private final InstrumentRegistry registry;
        private final List<String> recorded;
        private final BiFunction<InstrumentRegistry, FeedSink, FuzzedDecoder> decoders;
        private FuzzedDecoder decoder;
        private InvariantSink sink;
        /** messages given to the current decoder */
        private long fed;

        long inputs;
        long mutations;
        long malformed;
        long checksumsPassed;
        long checksumsFailed;
        long validEnds;
        long crossedValidEnds;
        long checkedEnds;
        long trades;

        Run(String name, long seed, InstrumentRegistry registry, List<String> recorded,
            BiFunction<InstrumentRegistry, FeedSink, FuzzedDecoder> decoders) {
            this.name = name;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.mutator = new Mutator(random);
            this.registry = registry;
            this.recorded = recorded;
            this.decoders = decoders;
        }

        void run(int iterations) {
            fresh();
            int cursor = 0;
            int damage = 2;
            while (mutations < iterations) {
                if (cursor == recorded.size() || random.nextInt(2_000) == 0) {
                    cursor = 0;
                    damage = DAMAGE[random.nextInt(DAMAGE.length)];
                    if (random.nextBoolean()) {
                        fresh();
                    }
                }
                String message = recorded.get(cursor++);
                if (random.nextInt(damage) == 0) {
                    String damaged = mutator.mutate(message, recorded.get(random.nextInt(recorded.size())));
                    mutations++;
                    feed(damaged, mutator.last());
                    continue;
                }
                switch (random.nextInt(256)) {
                    case 0 -> {
                        feed(message, "as recorded");
                        feed(message, "repeated");
                    }
                    case 1 -> {
                        // dropped
                    }
                    case 2 -> feed(recorded.get(random.nextInt(recorded.size())), "replayed out of order");
                    default -> feed(message, "as recorded");
                }
            }
            collect();
        }

        private void fresh() {
            if (decoder != null) {
                collect();
            }
            sink = new InvariantSink(registry.size());
            decoder = decoders.apply(registry, sink);
            fed = 0;
        }

        /** adds the counts of the decoder and sink about to be replaced (or of the last ones) to the run's */
        private void collect() {
            malformed += decoder.malformed();
            checksumsPassed += decoder.checksumsPassed();
            checksumsFailed += decoder.checksumsFailed();
            validEnds += sink.validEnds;
            crossedValidEnds += sink.crossedValidEnds;
            trades += sink.trades;
        }

        private void feed(String text, String how) {
            inputs++;
            fed++;
            long passed = decoder.checksumsPassed();
            sink.endsInMessage = 0;
            sink.crossedInMessage = 0;
            try {
                decoder.onMessage(text);
                check(decoder.checksumsPassed() - passed);
            } catch (Throwable t) {
                throw new AssertionError(Failure.report(name.replace(' ', '-'), seed, inputs, how, text), t);
            }
        }

        private void check(long passedInMessage) {
            assertThat(sink.violation).as("what the sink saw").isNull();
            assertThat(decoder.messages()).as("messages counted").isEqualTo(fed);
            assertThat(decoder.malformed()).as("malformed counted").isBetween(0L, decoder.messages());
            for (int id = 0; id < registry.size(); id++) {
                assertThat(sink.open[id]).as("instrument %d: levels without endOfMessage or invalid", id).isFalse();
                assertThat(sink.valid[id]).as("instrument %d: valid at the sink while the decoder says valid", id).isEqualTo(decoder.valid(id));
                L2Book own = decoder.book(id);
                assertThat(own.levels(Side.BUY)).as("instrument %d: bids after the depth cut", id).isLessThanOrEqualTo(KrakenBooks.MAX_DEPTH);
                assertThat(own.levels(Side.SELL)).as("instrument %d: asks after the depth cut", id).isLessThanOrEqualTo(KrakenBooks.MAX_DEPTH);
                if (decoder.valid(id)) {
                    assertThat(Failure.difference(sink.books[id], own)).as("instrument %d: the sink's book against the decoder's", id).isNull();
                }
            }
            if (sink.endsInMessage > 0 && passedInMessage == sink.endsInMessage) {
                checkedEnds += sink.endsInMessage;
                assertThat(sink.crossedInMessage).as("books crossed at the end of a message whose every book passed its checksum").isZero();
            }
        }

        void print() {
            System.out.printf("%s fuzz, seed %d: %d damaged of %d messages; %d malformed; checksums %d passed, %d failed; "
                            + "%d valid book ends (%d crossed; %d checksum-verified ones, none crossed)%n", name, seed, mutations, inputs, malformed,
                    checksumsPassed, checksumsFailed, validEnds, crossedValidEnds, checkedEnds);
        }

        void assertCoverage() {
            assertThat(mutations).isGreaterThanOrEqualTo(ITERATIONS);
            assertThat(malformed).as("damaged messages the decoder refused").isPositive();
            assertThat(checksumsFailed).as("damage a checksum caught").isPositive();
            assertThat(checkedEnds).as("checksum-verified message ends").isPositive();
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
        String violation;
        long validEnds;
        long crossedValidEnds;
        long endsInMessage;
        long crossedInMessage;
        long trades;

        InvariantSink(int instruments) {
            books = new L2Book[instruments];
            valid = new boolean[instruments];
            snapshotOpen = new boolean[instruments];
            open = new boolean[instruments];
            for (int i = 0; i < instruments; i++) {
                books[i] = new L2Book(KrakenBooks.MAX_DEPTH + KrakenBooks.MAX_LEVELS_PER_MESSAGE);
            }
        }

        private void violated(String what) {
            if (violation == null) {
                violation = what;
            }
        }

        @Override
        public void clear(int id, long seq) {
            books[id].clear();
            valid[id] = false;
            snapshotOpen[id] = true;
            open[id] = true;
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
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
            if (snapshotOpen[id]) {
                snapshotOpen[id] = false;
                valid[id] = true;
            } else if (!valid[id]) {
                violated("endOfMessage for instrument " + id + " whose book is invalid");
            }
            open[id] = false;
            String broken = Failure.inconsistency(books[id]);
            if (broken != null) {
                violated("instrument " + id + ": " + broken);
            }
            endsInMessage++;
            validEnds++;
            if (books[id].crossed()) {
                crossedValidEnds++;
                crossedInMessage++;
            }
        }

        @Override
        public void invalid(int id, String reason) {
            valid[id] = false;
            snapshotOpen[id] = false;
            open[id] = false;
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            violated("Kraken's book decoders send no best bid/offer");
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
            trades++;
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

        /** the first level where two books differ, or null when they hold the same levels */
        static String difference(L2Book actual, L2Book expected) {
            for (Side side : Side.values()) {
                if (actual.levels(side) != expected.levels(side)) {
                    return side + ": " + actual.levels(side) + " levels, expected " + expected.levels(side);
                }
                for (int i = 0; i < actual.levels(side); i++) {
                    if (actual.price(side, i) != expected.price(side, i) || actual.quantity(side, i) != expected.quantity(side, i)) {
                        return side + " level " + i + ": " + actual.quantity(side, i) + " @ " + actual.price(side, i) + ", expected "
                                + expected.quantity(side, i) + " @ " + expected.price(side, i);
                    }
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
            return venue + " fuzz failed at input " + input + " of seed " + seed + " (repeat: ./mvnw -B test -pl connectors/kraken -Dtest=KrakenDecoderFuzzTest"
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
