package io.mme.connectors.coinbase;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.InboundEvent;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import io.mme.core.runtime.TimerSource;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.RingFeedSink;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The causes the market data engine finds itself, on the replayed Coinbase Advanced Trade feed end
 * to end (feed, inbound ring, engine, a probe at the strategy stage): a crossed book (a bid
 * rewritten above the asks, which the protocol has no checksum to catch), a book over the engine's
 * capacity (thousands of extra bids) and a silent connection (stale). Each time the engine asks
 * the feed for a rebuild with that reason, the feed resubscribes the product; this replay server
 * does not answer that (the sequence numbers of a recorded snapshot would not fit the stream), so
 * after the feed's resubscribe timeout it reconnects, and the book is VALID again.
 *
 * <p>On the Exchange feed (no sequence numbers) the server answers a product's resubscription as
 * the venue does, with that product's snapshot, and the per-product path is shown whole: a
 * malformed update (the feed heals it alone), a crossed book and a silent connection (the engine
 * asks), each healed by the snapshot on the same connection, nothing reconnected.
 */
class CoinbaseEngineRebuildTest {
    enum Cause {
        CROSSED, CAPACITY, STALE
    }

    enum ExchangeCause {
        MALFORMED, CROSSED, STALE
    }

    /** the engine's levels per side in the CAPACITY case: BTC-USD's snapshot (18,764 bids, 27,236 asks) fits, 15,000 extra bids do not */
    private static final int SMALL_CAPACITY = 28_000;

    /**
     * long enough that a rebuild of BTC-USD's 46,000-level book on a loaded machine is not cut
     * short by the engine's next ask (each ask reconnects)
     */
    private static final long STALE_AFTER_NANOS = 2_000_000_000L;

    private ReplayWebSocketServer server;
    private CoinbaseFeed feed;
    private Pipeline pipeline;
    private TimerSource timer;

    /** the book states a strategy sees for one instrument */
    static final class StateProbe implements Engine<InboundEvent> {
        private final int instrumentId;
        final List<BookState> states = new CopyOnWriteArrayList<>();

        StateProbe(int instrumentId) {
            this.instrumentId = instrumentId;
        }

        @Override
        public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
            BookView view = event.book();
            for (int i = 0; i < view.changes(); i++) {
                if (view.changedInstrument(i) == instrumentId) {
                    states.add(view.changedState(i));
                }
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (timer != null) {
            timer.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.stop(1000);
        }
        if (pipeline != null) {
            pipeline.shutdown();
        }
    }

    /** 15,000 BTC-USD bids from 0.01 to 150.00, before the message's own levels */
    private static String manyBids(String message) {
        StringBuilder b = new StringBuilder("\"updates\":[");
        for (int k = 1; k <= 15_000; k++) {
            b.append(String.format("{\"side\":\"bid\",\"event_time\":\"2026-08-09T21:05:50Z\",\"price_level\":\"%d.%02d\",\"new_quantity\":\"1\"},",
                    k / 100, k % 100));
        }
        return message.replaceFirst("\"updates\":\\[", Matcher.quoteReplacement(b.toString()));
    }

    /** the message's first bid moved far above the asks, with a size */
    private static String crossingBid(String message) {
        return message.replaceFirst("(?<head>\"side\":\"bid\",\"event_time\":\"[^\"]*\",\"price_level\":\")(?<price>[0-9.]+)\",\"new_quantity\":\"[0-9.]+\"",
                "${head}9${price}\",\"new_quantity\":\"1\"");
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void theEngineAsksTheFeedToRebuildAndTheBookIsValidAgain(Cause cause) throws Exception {
        Recording recording = Recording.read(CoinbaseRecordings.file("coinbase-advanced-trade.jsonl"));
        List<String> received = recording.received();
        InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(CoinbaseRecordings.advancedTradeConnections()));
        int btc = registry.find(Venue.COINBASE, "BTC-USD").id();
        int target = -1;
        for (int i = 200; i < received.size() && target < 0; i++) {
            String m = received.get(i);
            if (m.contains("\"channel\":\"l2_data\"") && m.contains("\"type\":\"update\"") && m.contains("\"product_id\":\"BTC-USD\"")
                    && !crossingBid(m).equals(m)) {
                target = i;
            }
        }
        assertThat(target).isPositive();
        ReplayWebSocketServer.Faults faults = switch (cause) {
            case CROSSED -> new ReplayWebSocketServer.Faults(-1, -1, target, CoinbaseEngineRebuildTest::crossingBid, -1, -1);
            case CAPACITY -> new ReplayWebSocketServer.Faults(-1, -1, target, CoinbaseEngineRebuildTest::manyBids, -1, -1);
            case STALE -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, -1, target);
        };

        CoinbaseFeed[] feedRef = new CoinbaseFeed[1];
        List<String> asked = new CopyOnWriteArrayList<>();
        MarketDataEngine marketData = new MarketDataEngine(registry, cause == Cause.CAPACITY ? SMALL_CAPACITY : 100_000,
                STALE_AFTER_NANOS,
                (id, reason) -> {
                    if (id == btc) { // the engine also asks for a book still waiting for its first snapshot (ETH-USD on a slow machine)
                        asked.add(reason);
                    }
                    feedRef[0].request(id, reason);
                });
        StateProbe probe = new StateProbe(btc);
        pipeline = Pipeline.builder(new PipelineConfig(1 << 14, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, marketData).stage(Pipeline.STRATEGY, probe).build().start();
        timer = new TimerSource(pipeline.inbound(), Duration.ofMillis(50)).start();
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, faults, true);
        String url = server.startAndGetUrl();
        feed = new CoinbaseFeed(new CoinbaseFeed.Settings(URI.create(url), CoinbaseFeed.Protocol.ADVANCED_TRADE,
                Duration.ofMillis(50), Duration.ofMillis(200)), registry, new RingFeedSink(pipeline.inbound(), registry, EpochClock.system()));
        feedRef[0] = feed;
        feed.start();

        String reason = switch (cause) {
            case CROSSED -> "crossed book";
            case CAPACITY -> "book capacity exceeded";
            case STALE -> "stale feed";
        };
        // the engine asked, with that reason, and the book it asked for came back VALID on a new connection
        await().atMost(Duration.ofSeconds(90)).until(() -> asked.stream().anyMatch(r -> r.startsWith(reason))
                && server.connections() >= 2 && !probe.states.isEmpty() && probe.states.getLast() == BookState.VALID
                && probe.states.contains(BookState.INVALID));
        assertThat(asked).anySatisfy(r -> assertThat(r).startsWith(reason));
        assertThat(marketData.resyncs(btc)).isPositive();
        assertThat(feed.session().connects()).isGreaterThanOrEqualTo(2);
        assertThat(feed.productResubscribes()).isPositive(); // tried first, unanswered here
    }

    /** the product's level2 snapshot from the recording, the answer to its resubscription */
    private static List<String> exchangeAnswers(String clientMessage, List<String> received) {
        Matcher m = java.util.regex.Pattern.compile("\"type\":\"subscribe\",\"product_ids\":\\[\"([A-Z]+-[A-Z]+)\"\\],\"channels\":\\[\"level2\"\\]")
                .matcher(clientMessage);
        if (!m.find()) {
            return List.of();
        }
        String snapshot = "{\"type\":\"snapshot\",\"product_id\":\"" + m.group(1) + "\"";
        return received.stream().filter(r -> r.startsWith(snapshot)).findFirst().map(List::of).orElse(List.of());
    }

    @ParameterizedTest
    @EnumSource(ExchangeCause.class)
    void onTheExchangeFeedOnlyTheBrokenProductIsResubscribedAndItsSnapshotHealsIt(ExchangeCause cause) throws Exception {
        Recording recording = Recording.read(CoinbaseRecordings.file("coinbase-exchange-level2.ws.rec"));
        List<String> received = recording.received();
        InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(CoinbaseRecordings.exchangeConnections()));
        int skl = registry.find(Venue.COINBASE, "SKL-USD").id();
        // the first SKL-USD update with a buy after its snapshot: the answered snapshot (the recording's) is then close to the live book
        int snapshotAt = -1;
        int target = -1;
        for (int i = 0; i < received.size() && target < 0; i++) {
            String m = received.get(i);
            if (m.startsWith("{\"type\":\"snapshot\",\"product_id\":\"SKL-USD\"")) {
                snapshotAt = i;
            } else if (snapshotAt >= 0 && m.startsWith("{\"type\":\"l2update\",\"product_id\":\"SKL-USD\"") && m.contains("[\"buy\",\"")) {
                target = i;
            }
        }
        assertThat(target).isPositive();
        java.util.function.UnaryOperator<String> malformedPrice = s -> s.replaceFirst("\\[\"buy\",\"", "[\"buy\",\"x");
        java.util.function.UnaryOperator<String> crossingBid = s -> s.replaceFirst("\\[\"buy\",\"([0-9.]+)\",\"[0-9.]+\"\\]", "[\"buy\",\"9$1\",\"1\"]");
        ReplayWebSocketServer.Faults faults = switch (cause) {
            // MALFORMED, CROSSED: the stream stops after the faulty update: later updates on top of the answered (recorded,
            // older) snapshot could cross the book again (MALFORMED must show the feed needs no ask at all)
            case MALFORMED -> new ReplayWebSocketServer.Faults(-1, -1, target, malformedPrice, -1, target + 1);
            case CROSSED -> new ReplayWebSocketServer.Faults(-1, -1, target, crossingBid, -1, target + 1);
            case STALE -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, -1, target);
        };

        CoinbaseFeed[] feedRef = new CoinbaseFeed[1];
        List<String> asked = new CopyOnWriteArrayList<>();
        // MALFORMED: the engine's stale limit (and so its re-ask) is far beyond the test: only the feed can heal the book
        long staleAfter = cause == ExchangeCause.MALFORMED ? Duration.ofMinutes(10).toNanos() : Duration.ofMillis(1500).toNanos();
        MarketDataEngine marketData = new MarketDataEngine(registry, 100_000, staleAfter, (id, reason) -> {
            if (id == skl) {
                asked.add(reason);
            }
            feedRef[0].request(id, reason);
        });
        StateProbe probe = new StateProbe(skl);
        pipeline = Pipeline.builder(new PipelineConfig(1 << 14, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, marketData).stage(Pipeline.STRATEGY, probe).build().start();
        timer = new TimerSource(pipeline.inbound(), Duration.ofMillis(50)).start();
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, faults, true)
                .answering(message -> exchangeAnswers(message, received));
        String url = server.startAndGetUrl();
        feed = new CoinbaseFeed(new CoinbaseFeed.Settings(URI.create(url), CoinbaseFeed.Protocol.EXCHANGE,
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(60)), registry,
                new RingFeedSink(pipeline.inbound(), registry, EpochClock.system()));
        feedRef[0] = feed;
        feed.start();

        // VALID, INVALID, then VALID again from the answered snapshot
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<BookState> s = probe.states;
            int firstValid = s.indexOf(BookState.VALID);
            int invalidAfter = firstValid < 0 ? -1 : s.subList(firstValid, s.size()).indexOf(BookState.INVALID);
            return invalidAfter >= 0 && s.getLast() == BookState.VALID && server.answered() >= 1;
        });
        assertThat(marketData.invalidations(skl)).isPositive();
        assertThat(feed.productResubscribes()).isPositive();
        assertThat(server.connections()).isEqualTo(1);
        assertThat(feed.session().connects()).isEqualTo(1);
        assertThat(feed.resyncReconnects()).isZero();
        assertThat(feed.gapResyncs()).isZero();
        switch (cause) {
            case MALFORMED -> {
                assertThat(asked).isEmpty(); // the feed healed it alone
                assertThat(feed.malformed()).isEqualTo(1);
                assertThat(feed.productResubscribes()).isEqualTo(1);
            }
            case CROSSED -> assertThat(asked).anySatisfy(r -> assertThat(r).startsWith("crossed book"));
            case STALE -> assertThat(asked).anySatisfy(r -> assertThat(r).startsWith("stale feed"));
        }
    }
}
