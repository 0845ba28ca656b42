package io.mme.connectors.kraken;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.replay.MessageMutator;
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
        private final MessageMutator mutator;
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
            this.mutator = new MessageMutator(random);
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
                    assertThat(sink.books[id].difference(own)).as("instrument %d: the sink's book against the decoder's", id).isNull();
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
            String broken = books[id].inconsistency();
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

}
