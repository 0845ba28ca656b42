package io.mme.connectors.coinbase;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.SymbolIndex;
import io.mme.marketdata.replay.MessageMutator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Coinbase Exchange decoder's fast path ({@code l2update}s in the venue's own layout, read by a
 * {@code LayoutReader}) against its general token loop: two decoders, one with the fast path and
 * one without, are fed the same connections of the recorded {@code level2} feed, with messages
 * whose values were changed in place (the layout holds), earlier messages again (out of order) and
 * messages damaged by {@link MessageMutator}; after every message the sink calls, the counters, the last error, the
 * resubscribe request and every book's validity must be the same.
 */
class CoinbaseExchangeDecoderFastPathTest {
    private static final int ITERATIONS = Integer.getInteger("mme.fuzz.iterations", 20_000);
    private static final String DIGITS_AND_MORE = "0123456789012345678901234567890123456789.-e\"\\ :TZ";

    @Test
    void theFastPathGivesTheGeneralPathsEventsAndErrorsForRecordedChangedAndDamagedMessages() {
        List<List<String>> connections = CoinbaseRecordings.exchangeConnections();
        InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(connections));
        long seed = Long.getLong("mme.fuzz.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        MessageMutator mutator = new MessageMutator(random);
        Pair pair = new Pair(registry);
        int fed = 0;
        int changed = 0;
        int damaged = 0;
        int connectionsFed = 0;
        while (fed < ITERATIONS) {
            for (List<String> connection : connections) {
                pair.newConnection();
                // every other connection only gets earlier messages again (books live until one comes out of order), the others everything
                boolean onlyOutOfOrder = connectionsFed++ % 2 == 0;
                for (int at = 0; at < connection.size(); at++) {
                    String message = connection.get(at);
                    if (fed == ITERATIONS) {
                        break;
                    }
                    fed++;
                    String text = message;
                    String how = "as recorded";
                    switch (onlyOutOfOrder ? 3 + Integer.signum(random.nextInt(32)) : random.nextInt(16)) {
                        case 0, 1 -> {
                            text = changeInPlace(text, random);
                            how = "changed in place";
                            changed++;
                        }
                        case 2 -> {
                            text = mutator.mutate(text, connection.get(random.nextInt(connection.size())));
                            how = mutator.last();
                            damaged++;
                        }
                        case 3 -> {
                            text = connection.get(random.nextInt(at + 1));
                            how = "an earlier message again";
                        }
                        default -> {
                        }
                    }
                    pair.onMessage(text, "seed " + seed + ", message " + fed + " (" + how + "): " + text);
                }
            }
        }
        System.out.printf("Coinbase Exchange fast path, seed %d: %d messages (%d changed in place, %d damaged, the rest as recorded or an earlier one again); %d read by the fast path, %d malformed%n",
                seed, fed, changed, damaged, pair.fast.fastPathMessages(), pair.fast.malformed());
        assertThat(pair.fast.fastPathMessages()).as("messages the fast path read").isGreaterThan(ITERATIONS / 2);
        assertThat(pair.fast.malformed()).as("malformed messages").isPositive();
        assertThat(pair.fast.outOfOrder()).as("out-of-order l2updates").isPositive();
    }

    @Test
    void anL2updateInTheVenuesLayoutIsReadByTheFastPathAndOthersByTheGeneralOne() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.00000001", null, null, null, null)).build();
        Pair pair = new Pair(registry);
        String[] messages = {
                "{\"type\":\"snapshot\",\"product_id\":\"BTC-USD\",\"bids\":[[\"10.00\",\"1\"]],\"asks\":[[\"11.00\",\"2\"]]}",
                "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"changes\":[[\"buy\",\"10.50\",\"0.5\"],[\"sell\",\"11.00\",\"0.0\"]],\"time\":\"2021-04-17T16:43:37.075351Z\"}",
                "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"changes\":[],\"time\":\"2021-04-17T16:43:37.075352Z\"}",
                // the general path: white space, another field order, a time in another form; then an earlier time (the fast path), a size finer than the lot
                "{\"type\":\"l2update\", \"product_id\":\"BTC-USD\",\"changes\":[],\"time\":\"2021-04-17T16:43:37.075353Z\"}",
                "{\"product_id\":\"BTC-USD\",\"type\":\"l2update\",\"changes\":[],\"time\":\"2021-04-17T16:43:37.075354Z\"}",
                "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"changes\":[],\"time\":\"2021-04-17T16:43:39Z\"}",
                "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"changes\":[],\"time\":\"2021-04-17T16:43:38.000000Z\"}",
                "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\",\"changes\":[[\"buy\",\"10.50\",\"0.000000001\"]],\"time\":\"2021-04-17T16:43:40.000Z\"}"};
        for (String message : messages) {
            pair.onMessage(message, message);
        }

        assertThat(pair.fast.fastPathMessages()).isEqualTo(3);
        assertThat(pair.fast.malformed()).isEqualTo(1);
        assertThat(pair.fast.outOfOrder()).isEqualTo(1);
        assertThat(pair.fastSink.all).contains("level 0 BUY 1050 50000000 2", "level 0 SELL 1100 0 2");
    }

    /** a digit of the text replaced, inserted or removed: the layout mostly holds, the values change */
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

    /** the same messages into a decoder with the fast path and one without, compared after each */
    private static final class Pair {
        final InstrumentRegistry registry;
        final LoggingSink fastSink = new LoggingSink();
        final LoggingSink generalSink = new LoggingSink();
        final CoinbaseExchangeDecoder fast;
        final CoinbaseExchangeDecoder general;

        Pair(InstrumentRegistry registry) {
            this.registry = registry;
            SymbolIndex symbols = SymbolIndex.of(registry, Venue.COINBASE);
            this.fast = new CoinbaseExchangeDecoder(registry, symbols, fastSink, 50_000, true);
            this.general = new CoinbaseExchangeDecoder(registry, symbols, generalSink, 50_000, false);
        }

        void newConnection() {
            fast.newConnection();
            general.newConnection();
            compare("new connection");
        }

        void onMessage(String text, String what) {
            fast.onMessage(text);
            general.onMessage(text);
            compare(what);
        }

        private void compare(String what) {
            assertThat(fastSink.log.toString()).as(what).isEqualTo(generalSink.log.toString());
            assertThat(counters(fast)).as(what).isEqualTo(counters(general));
            assertThat(fast.lastError()).as(what).isEqualTo(general.lastError());
            for (int id = 0; id < registry.size(); id++) {
                assertThat(fast.valid(id) + " " + fast.lost(id)).as(what).isEqualTo(general.valid(id) + " " + general.lost(id));
            }
            fastSink.all.append(fastSink.log);
            fastSink.log.setLength(0);
            generalSink.log.setLength(0);
        }

        private static String counters(CoinbaseExchangeDecoder d) {
            return d.messages() + " " + d.malformed() + " " + d.outOfOrder() + " " + d.late() + " " + d.tradeIdGaps() + " " + d.snapshots()
                    + " " + d.updates() + " " + d.droppedWhileInvalid() + " " + d.trades() + " " + d.history() + " " + d.tickers() + " "
                    + d.tickersWithoutQuote() + " " + d.heartbeats() + " " + d.subscriptions() + " " + d.other() + " " + d.venueErrors()
                    + " " + d.needsResubscribe() + " " + d.connectionLost() + " " + d.resubscribeRequests();
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
