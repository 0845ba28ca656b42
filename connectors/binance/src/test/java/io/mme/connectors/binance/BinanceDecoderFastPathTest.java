package io.mme.connectors.binance;

import io.mme.connectors.binance.BinanceRecordingReplayTest.Input;
import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.MalformedMessageException;
import io.mme.marketdata.replay.MessageMutator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

import static io.mme.connectors.binance.BinanceRecordingReplayTest.DATA;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder's fast path (depth diffs and book tickers in Binance's own layout, read by a
 * {@code LayoutReader}) against its general token loop: two decoders, one with the fast path and
 * one without, are fed the same inputs (the recorded combined stream and REST snapshots, messages
 * whose values were changed in place so that the layout still holds, messages out of order, and
 * messages damaged by {@link MessageMutator}), and after every input the sink calls, the counters, the last error and
 * every book's synchronisation state must be the same.
 */
class BinanceDecoderFastPathTest {
    private static final int ITERATIONS = Integer.getInteger("mme.fuzz.iterations", 20_000);
    private static final String DIGITS_AND_MORE = "0123456789012345678901234567890123456789.-e\"\\ ";

    @Test
    void theFastPathGivesTheGeneralPathsEventsAndErrorsForRecordedChangedAndDamagedMessages() throws IOException {
        List<Input> inputs = BinanceRecordingReplayTest.recording(DATA.resolve("binance-spot.ws.rec"), DATA.resolve("binance-spot.http.rec"));
        InstrumentRegistry registry = BinanceRecordingReplayTest.registryFor(inputs);
        long seed = Long.getLong("mme.fuzz.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        MessageMutator mutator = new MessageMutator(random);
        Pair pair = new Pair(registry);
        int changed = 0;
        int damaged = 0;
        long readFast = 0;
        long malformed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Input input = inputs.get(i % inputs.size());
            if (i % inputs.size() == 0 && random.nextInt(4) == 0) {
                readFast += pair.fast.fastPathMessages();
                malformed += pair.fast.malformed();
                pair = new Pair(registry);
            }
            String text = input.text();
            String how = "as recorded";
            switch (random.nextInt(8)) {
                case 0 -> {
                    text = changeInPlace(text, random);
                    how = "changed in place";
                    changed++;
                }
                case 1 -> {
                    text = mutator.mutate(text, inputs.get(random.nextInt(inputs.size())).text());
                    how = mutator.last();
                    damaged++;
                }
                case 2 -> {
                    Input old = inputs.get(random.nextInt(inputs.size()));
                    if (old.symbol() == null) {
                        text = old.text();
                        how = "another message (out of order)";
                    }
                }
                default -> {
                }
            }
            String what = "seed " + seed + ", input " + i + " (" + how + "): " + text;
            if (input.symbol() == null) {
                pair.onMessage(text, what);
            } else {
                pair.onSnapshot(registry.find(Venue.BINANCE, input.symbol()).id(), text, what);
            }
        }
        readFast += pair.fast.fastPathMessages();
        malformed += pair.fast.malformed();
        System.out.printf("Binance fast path, seed %d: %d inputs (%d changed in place, %d damaged); %d read by the fast path, %d malformed%n",
                seed, ITERATIONS, changed, damaged, readFast, malformed);
        assertThat(readFast).as("messages the fast path read").isGreaterThan(ITERATIONS / 4);
        assertThat(malformed).as("malformed messages").isPositive();
    }

    @Test
    void aDiffAndABookTickerInTheVenuesLayoutAreReadByTheFastPathAndOthersByTheGeneralOne() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null)).build();
        Pair pair = new Pair(registry);
        String[] messages = {
                "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"U\":10,\"u\":10,\"b\":[],\"a\":[]}}",
                "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"U\":11,\"u\":12,\"b\":[[\"1.01\",\"2.5\"]],\"a\":[[\"2.00\",\"0.00000\"],[\"2.50\",\"1\"]]}}",
                "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":13,\"s\":\"BTCUSDT\",\"b\":\"1.01\",\"B\":\"2.5\",\"a\":\"2.50\",\"A\":\"1\"}}",
                // the general path: white space, another field order, a price finer than the tick, a bad update id
                "{\"stream\":\"btcusdt@depth\", \"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"U\":13,\"u\":13,\"b\":[],\"a\":[]}}",
                "{\"stream\":\"btcusdt@depth\",\"data\":{\"s\":\"BTCUSDT\",\"e\":\"depthUpdate\",\"E\":1,\"U\":14,\"u\":14,\"b\":[],\"a\":[]}}",
                "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"U\":15,\"u\":15,\"b\":[[\"1.011\",\"1\"]],\"a\":[]}}",
                "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"U\":17,\"u\":16,\"b\":[],\"a\":[]}}"};
        pair.onMessage(messages[0], messages[0]);
        pair.onSnapshot(0, "{\"lastUpdateId\":10,\"bids\":[[\"1.00\",\"1\"]],\"asks\":[[\"2.00\",\"1\"]]}", "snapshot");
        for (String message : messages) {
            pair.onMessage(message, message);
        }

        assertThat(pair.fast.fastPathMessages()).isEqualTo(4);
        assertThat(pair.fast.malformed()).isEqualTo(2);
        assertThat(pair.fastSink.all).contains("level 0 BUY 101 250000 12", "level 0 SELL 200 0 12", "bbo 0 101 250000 250 100000 13");
    }

    /** a digit of the text replaced, inserted or removed, or a price's point moved: the layout holds, the values change */
    private static String changeInPlace(String text, SplittableRandom random) {
        StringBuilder s = new StringBuilder(text);
        for (int tries = 0; tries < 50; tries++) {
            int at = random.nextInt(s.length());
            char c = s.charAt(at);
            if (c < '0' || c > '9') {
                continue;
            }
            char replacement = DIGITS_AND_MORE.charAt(random.nextInt(DIGITS_AND_MORE.length()));
            switch (random.nextInt(3)) {
                case 0 -> s.setCharAt(at, replacement);
                case 1 -> s.insert(at, replacement);
                default -> s.deleteCharAt(at);
            }
            return s.toString();
        }
        return text;
    }

    /** the same inputs into a decoder with the fast path and one without, compared after each */
    private static final class Pair {
        final InstrumentRegistry registry;
        final LoggingSink fastSink = new LoggingSink();
        final LoggingSink generalSink = new LoggingSink();
        final BinanceMarketDataDecoder fast;
        final BinanceMarketDataDecoder general;

        Pair(InstrumentRegistry registry) {
            this.registry = registry;
            this.fast = new BinanceMarketDataDecoder(registry, fastSink, true);
            this.general = new BinanceMarketDataDecoder(registry, generalSink, false);
        }

        void onMessage(String text, String what) {
            fast.onMessage(text);
            general.onMessage(text);
            compare(what);
        }

        void onSnapshot(int id, String body, String what) {
            assertThat(snapshot(fast, id, body)).as(what).isEqualTo(snapshot(general, id, body));
            compare(what);
        }

        private static String snapshot(BinanceMarketDataDecoder decoder, int id, String body) {
            try {
                return String.valueOf(decoder.onSnapshot(id, body));
            } catch (MalformedMessageException | FixedPointException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }

        private void compare(String what) {
            assertThat(fastSink.log.toString()).as(what).isEqualTo(generalSink.log.toString());
            assertThat(fast.messages()).as(what).isEqualTo(general.messages());
            assertThat(fast.malformed()).as(what).isEqualTo(general.malformed());
            assertThat(fast.ignored()).as(what).isEqualTo(general.ignored());
            assertThat(fast.lastError()).as(what).isEqualTo(general.lastError());
            assertThat(fast.lastDepthInstrument()).as(what).isEqualTo(general.lastDepthInstrument());
            for (int id = 0; id < registry.size(); id++) {
                BinanceDepthSync a = fast.sync(id);
                BinanceDepthSync b = general.sync(id);
                assertThat(a.synced() + " " + a.needsSnapshot() + " " + a.bookId() + " " + a.gaps())
                        .as(what).isEqualTo(b.synced() + " " + b.needsSnapshot() + " " + b.bookId() + " " + b.gaps());
            }
            fastSink.all.append(fastSink.log);
            fastSink.log.setLength(0);
            generalSink.log.setLength(0);
        }
    }

    /** every call as a line of text */
    private static final class LoggingSink implements FeedSink {
        /** since the last comparison */
        final StringBuilder log = new StringBuilder();
        /** everything before the last comparison */
        final StringBuilder all = new StringBuilder();

        @Override
        public void clear(int id, long seq) {
            log.append("clear ").append(id).append(' ').append(seq).append('\n');
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
            log.append("level ").append(id).append(' ').append(side).append(' ').append(price).append(' ').append(qty).append(' ').append(seq).append('\n');
        }

        @Override
        public void endOfMessage(int id, long seq) {
            log.append("end ").append(id).append(' ').append(seq).append('\n');
        }

        @Override
        public void invalid(int id, String reason) {
            log.append("invalid ").append(id).append(' ').append(reason).append('\n');
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            log.append("bbo ").append(id).append(' ').append(bid).append(' ').append(bidQty).append(' ').append(ask).append(' ').append(askQty)
                    .append(' ').append(seq).append('\n');
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
            log.append("trade ").append(id).append(' ').append(aggressor).append(' ').append(price).append(' ').append(qty).append(' ')
                    .append(tradeId).append(' ').append(ts).append('\n');
        }
    }
}
