package io.mme.connectors.coinbase;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds both Coinbase decoders their recorded connections (Advanced Trade and the legacy Exchange
 * feed) with seeded random damage: characters flipped, inserted and deleted, messages truncated,
 * duplicated and spliced, digits replaced, quotes and brackets swapped, numbers given signs,
 * exponents and huge values, strings emptied. Damaged messages are interleaved with undamaged ones
 * (and with repeated, dropped and out-of-order ones), so books get built and then damaged, by a
 * decoder that is sometimes fresh, sometimes continues on a new connection and sometimes simply
 * continues.
 *
 * <p>After every message: no exception left {@code onMessage}; the counters add up; every book
 * the sink keeps is strictly ordered with positive prices and quantities (checked at each
 * endOfMessage, for whole-book sizes at every 64th end and after each snapshot); levels reach a
 * book only while it is valid or its snapshot is being loaded, and every message's levels end with
 * endOfMessage; the sink's book is valid exactly while the decoder says so; on the Exchange feed,
 * where a message is one book event, a message counted as malformed reached the books as nothing
 * but {@code invalid}.
 *
 * <p>A crossed book is not asserted against: the decoders hold no levels (crossing and overflow
 * are the market data engine's checks at each endOfMessage, as CoinbaseBooks says), and neither
 * feed carries a checksum, so a damaged price whose message still reads is applied as sent. The
 * run counts crossed valid ends instead.
 *
 * <p>{@code mme.fuzz.iterations} (default 20,000) damaged messages per decoder; {@code mme.fuzz.seed}
 * repeats a run. A failure names the seed, the message and the damaged text (written to
 * {@code target/fuzz-failures/} when it is long).
 */
class CoinbaseDecoderFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("mme.fuzz.iterations", 20_000);

    @Test
    void damagedAdvancedTradeMessagesNeverEscapeTheDecoderNorBreakABook() {
        List<List<String>> connections = CoinbaseRecordings.advancedTradeConnections();
        InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(connections));
        Run run = new Run("Coinbase Advanced Trade", seed(), registry, connections, AdvancedTrade::new, false);

        run.run(ITERATIONS);

        run.print();
        run.assertCoverage();
    }

    @Test
    void damagedExchangeMessagesNeverEscapeTheDecoderNorBreakABook() {
        List<List<String>> connections = CoinbaseRecordings.exchangeConnections();
        InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(connections));
        Run run = new Run("Coinbase Exchange", seed(), registry, connections, Exchange::new, true);

        run.run(ITERATIONS);

        run.print();
        run.assertCoverage();
    }

    private static long seed() {
        return Long.getLong("mme.fuzz.seed", new SplittableRandom().nextLong());
    }

    /** what a run needs of either decoder */
    private interface FuzzedDecoder {
        void onMessage(CharSequence message);

        void newConnection();

        long messages();

        long malformed();

        boolean valid(int instrumentId);
    }

    private static final class AdvancedTrade implements FuzzedDecoder {
        private final CoinbaseAdvancedTradeDecoder decoder;

        AdvancedTrade(InstrumentRegistry registry, FeedSink sink) {
            decoder = new CoinbaseAdvancedTradeDecoder(registry, sink);
        }

        @Override
        public void onMessage(CharSequence message) {
            decoder.onMessage(message);
        }

        @Override
        public void newConnection() {
            decoder.newConnection();
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
        public boolean valid(int instrumentId) {
            return decoder.valid(instrumentId);
        }
    }

    private static final class Exchange implements FuzzedDecoder {
        private final CoinbaseExchangeDecoder decoder;

        Exchange(InstrumentRegistry registry, FeedSink sink) {
            decoder = new CoinbaseExchangeDecoder(registry, sink);
        }

        @Override
        public void onMessage(CharSequence message) {
            decoder.onMessage(message);
        }

        @Override
        public void newConnection() {
            decoder.newConnection();
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
        public boolean valid(int instrumentId) {
            return decoder.valid(instrumentId);
        }
    }

    /** one seeded run over the recorded connections, with the decoder and sink of the moment */
    private static final class Run {
        /** per pass over the recording, one message in this many is damaged: heavy damage, or books that live a while */
        private static final int[] DAMAGE = {2, 16, 512};

        private final String name;
        private final long seed;
        private final SplittableRandom random;
        private final MessageMutator mutator;
        private final InstrumentRegistry registry;
        /** every connection's messages, one after the other */
        private final List<String> recorded = new ArrayList<>();
        /** whether the message at the same index is the first of its connection */
        private final List<Boolean> connects = new ArrayList<>();
        private final BiFunction<InstrumentRegistry, FeedSink, FuzzedDecoder> decoders;
        /** one book event per message: a malformed one must reach the books as nothing but invalid */
        private final boolean oneEventPerMessage;
        private FuzzedDecoder decoder;
        private InvariantSink sink;
        /** messages given to the current decoder */
        private long fed;

        long inputs;
        long mutations;
        long malformed;
        long validEnds;
        long crossedValidEnds;
        long snapshots;

        Run(String name, long seed, InstrumentRegistry registry, List<List<String>> connections,
            BiFunction<InstrumentRegistry, FeedSink, FuzzedDecoder> decoders, boolean oneEventPerMessage) {
            this.name = name;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.mutator = new MessageMutator(random);
            this.registry = registry;
            for (List<String> connection : connections) {
                for (int i = 0; i < connection.size(); i++) {
                    recorded.add(connection.get(i));
                    connects.add(i == 0);
                }
            }
            this.decoders = decoders;
            this.oneEventPerMessage = oneEventPerMessage;
        }

        void run(int iterations) {
            fresh();
            int cursor = 0;
            int damage = 2;
            while (mutations < iterations) {
                if (cursor == recorded.size() || random.nextInt(2_000) == 0) {
                    cursor = 0;
                    damage = DAMAGE[random.nextInt(DAMAGE.length)];
                    if (random.nextInt(3) == 0) {
                        fresh();
                    } else if (random.nextBoolean()) {
                        decoder.newConnection();
                    }
                } else if (connects.get(cursor)) {
                    decoder.newConnection();
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
            validEnds += sink.validEnds;
            crossedValidEnds += sink.crossedValidEnds;
            snapshots += sink.snapshots;
        }

        private void feed(String text, String how) {
            inputs++;
            fed++;
            long bookCalls = sink.bookCalls;
            long malformedBefore = decoder.malformed();
            try {
                decoder.onMessage(text);
                check(decoder.malformed() > malformedBefore, sink.bookCalls - bookCalls);
            } catch (Throwable t) {
                throw new AssertionError(Failure.report(name.replace(' ', '-'), seed, inputs, how, text), t);
            }
        }

        private void check(boolean refused, long bookCallsInMessage) {
            assertThat(sink.violation).as("what the sink saw").isNull();
            assertThat(decoder.messages()).as("messages counted").isEqualTo(fed);
            assertThat(decoder.malformed()).as("malformed counted").isBetween(0L, decoder.messages());
            for (int id = 0; id < registry.size(); id++) {
                assertThat(sink.open[id]).as("instrument %d: levels without endOfMessage or invalid", id).isFalse();
                assertThat(sink.valid[id]).as("instrument %d: valid at the sink while the decoder says valid", id).isEqualTo(decoder.valid(id));
            }
            if (oneEventPerMessage && refused) {
                assertThat(bookCallsInMessage).as("clear, level and endOfMessage calls for a malformed message").isZero();
            }
        }

        void print() {
            System.out.printf("%s fuzz, seed %d: %d damaged of %d messages; %d malformed; %d snapshots; %d valid book ends (%d crossed)%n",
                    name, seed, mutations, inputs, malformed, snapshots, validEnds, crossedValidEnds);
        }

        void assertCoverage() {
            assertThat(mutations).isGreaterThanOrEqualTo(ITERATIONS);
            assertThat(malformed).as("damaged messages the decoder refused").isPositive();
            assertThat(snapshots).as("snapshots that built a book").isPositive();
            assertThat(validEnds).as("messages that ended on a valid book").isPositive();
        }
    }

    /**
     * Keeps a book per instrument from what the decoder says and records the first thing that a
     * correct decoder could not have said. Validity as the market data engine tracks it: invalid
     * from {@code invalid} until a snapshot's {@code endOfMessage}.
     */
    private static final class InvariantSink implements FeedSink {
        /** levels a side: Coinbase snapshots are whole books */
        private static final int CAPACITY_PER_SIDE = 1 << 17;
        /** books larger than this (both sides) are checked whole at every 64th end and after snapshots */
        private static final int CHECKED_WHOLE = 4_096;

        final L2Book[] books;
        final boolean[] valid;
        final boolean[] snapshotOpen;
        /** levels (or a clear) not yet followed by endOfMessage or invalid */
        final boolean[] open;
        private final long[] ends;
        /** the open snapshot's levels as (side, price, quantity), loaded at its endOfMessage */
        private long[] snapshot = new long[3 * 1024];
        private int snapshotLength;
        private int snapshotOf = -1;
        String violation;
        long bookCalls;
        long validEnds;
        long crossedValidEnds;
        long snapshots;

        InvariantSink(int instruments) {
            books = new L2Book[instruments];
            valid = new boolean[instruments];
            snapshotOpen = new boolean[instruments];
            open = new boolean[instruments];
            ends = new long[instruments];
            for (int i = 0; i < instruments; i++) {
                books[i] = new L2Book(CAPACITY_PER_SIDE);
            }
        }

        private void violated(String what) {
            if (violation == null) {
                violation = what;
            }
        }

        @Override
        public void clear(int id, long seq) {
            bookCalls++;
            if (snapshotOf >= 0) {
                violated("a snapshot of instrument " + id + " began inside one of instrument " + snapshotOf);
            }
            books[id].clear();
            valid[id] = false;
            snapshotOpen[id] = true;
            open[id] = true;
            snapshotOf = id;
            snapshotLength = 0;
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
            bookCalls++;
            if (!valid[id] && !snapshotOpen[id]) {
                violated("a level reached instrument " + id + "'s book while it was invalid");
            }
            if (price <= 0 || qty < 0) {
                violated("level " + side + " " + qty + " @ " + price + " for instrument " + id);
            }
            if (snapshotOpen[id]) {
                if (snapshotLength == snapshot.length) {
                    snapshot = Arrays.copyOf(snapshot, 2 * snapshot.length);
                }
                snapshot[snapshotLength++] = side == Side.BUY ? 1 : 0;
                snapshot[snapshotLength++] = price;
                snapshot[snapshotLength++] = qty;
            } else {
                books[id].set(side, price, qty);
            }
            open[id] = true;
        }

        /**
         * Loads the snapshot's levels into the cleared book, last first, each price only at its
         * last occurrence: the same book as loading them in order, but the venues send whole books
         * best level first, and L2Book inserts worst-first levels at the end of its arrays (best
         * first would shift every level held on each insert).
         */
        private void loadSnapshot(L2Book book) {
            Set<Long> seenBids = new HashSet<>();
            Set<Long> seenAsks = new HashSet<>();
            for (int i = snapshotLength - 3; i >= 0; i -= 3) {
                boolean bid = snapshot[i] == 1;
                if ((bid ? seenBids : seenAsks).add(snapshot[i + 1])) {
                    book.set(bid ? Side.BUY : Side.SELL, snapshot[i + 1], snapshot[i + 2]);
                }
            }
            snapshotOf = -1;
        }

        @Override
        public void endOfMessage(int id, long seq) {
            bookCalls++;
            boolean loaded = snapshotOpen[id];
            if (loaded) {
                loadSnapshot(books[id]);
                snapshotOpen[id] = false;
                valid[id] = true;
                snapshots++;
            } else if (!valid[id]) {
                violated("endOfMessage for instrument " + id + " whose book is invalid");
            }
            open[id] = false;
            L2Book book = books[id];
            if (loaded || ++ends[id] % 64 == 0 || book.levels(Side.BUY) + book.levels(Side.SELL) <= CHECKED_WHOLE) {
                String broken = book.inconsistency();
                if (broken != null) {
                    violated("instrument " + id + ": " + broken);
                }
            }
            if (book.overflowed()) {
                violated("instrument " + id + ": more than " + CAPACITY_PER_SIDE + " levels a side");
            }
            validEnds++;
            if (book.crossed()) {
                crossedValidEnds++;
            }
        }

        @Override
        public void invalid(int id, String reason) {
            if (snapshotOf == id) {
                snapshotOf = -1;
            }
            valid[id] = false;
            snapshotOpen[id] = false;
            open[id] = false;
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            if (bid <= 0 || ask <= 0 || bidQty < 0 || askQty < 0) {
                violated("best bid/offer " + bidQty + " @ " + bid + " / " + askQty + " @ " + ask + " for instrument " + id);
            }
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
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
            return venue + " fuzz failed at input " + input + " of seed " + seed + " (repeat: ./mvnw -B test -pl connectors/coinbase -Dtest=CoinbaseDecoderFuzzTest"
                    + " -Dmme.fuzz.seed=" + seed + " -Dmme.fuzz.iterations=" + ITERATIONS + "); the input was " + how + ":\n" + shown;
        }
    }

}
