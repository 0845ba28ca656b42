package io.mme.connectors.binance;

import io.mme.connectors.binance.BinanceRecordingReplayTest.Input;
import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.replay.MessageMutator;
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
        private final MessageMutator mutator;
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
            this.mutator = new MessageMutator(random);
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
            String broken = books[id].inconsistency();
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

}
