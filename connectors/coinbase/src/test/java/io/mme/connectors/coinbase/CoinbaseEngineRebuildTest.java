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
 * the feed for a rebuild with that reason, the feed resubscribes (a new connection), and the book
 * is VALID again.
 */
class CoinbaseEngineRebuildTest {
    enum Cause {
        CROSSED, CAPACITY, STALE
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
                    asked.add(reason);
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
        assertThat(asked.getFirst()).startsWith(reason);
        assertThat(marketData.resyncs(btc)).isPositive();
        assertThat(feed.session().connects()).isGreaterThanOrEqualTo(2);
    }
}
