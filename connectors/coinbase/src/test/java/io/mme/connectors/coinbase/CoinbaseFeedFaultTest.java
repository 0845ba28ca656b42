package io.mme.connectors.coinbase;

import io.mme.strategy.ChainSink;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The faults of the market data issue on the replayed Coinbase Advanced Trade feed, through the
 * real feed: each is detected (a sequence gap, a malformed level2 message, a closed socket, or the
 * engine's stale-feed resync request), the books go invalid, the feed resubscribes, and the new
 * connection follows the recording to its end without a gap. Behind the feed the real market data
 * and strategy engines run on what it says ({@link ChainSink}): through the fault and the healing
 * no intent is written inside a venue message or from a book that is crossed, INVALID or priced
 * through; the share of the run's slots in which each book was VALID is printed.
 */
class CoinbaseFeedFaultTest {
    enum Fault {
        DROP, REORDER, CORRUPT, CLOSE, SILENT
    }

    private ReplayWebSocketServer server;
    private CoinbaseFeed feed;

    @AfterEach
    void stop() throws InterruptedException {
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.stop(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultIsDetectedAndTheFeedResubscribesAndHeals(Fault fault) throws Exception {
        Recording recording = Recording.read(CoinbaseRecordings.file("coinbase-advanced-trade.jsonl"));
        List<String> received = recording.received();
        int target = -1;
        for (int i = 200; i < received.size() && target < 0; i++) {
            if (received.get(i).contains("\"channel\":\"l2_data\"") && received.get(i).contains("\"type\":\"update\"")) {
                target = i;
            }
        }
        long lastRecorded = received.stream().map(m -> Pattern.compile("\"sequence_num\":([0-9]+)").matcher(m))
                .filter(Matcher::find).mapToLong(m -> Long.parseLong(m.group(1))).max().orElseThrow();
        ReplayWebSocketServer.Faults faults = switch (fault) {
            case DROP -> new ReplayWebSocketServer.Faults(target, -1, -1, s -> s, -1, -1);
            case REORDER -> new ReplayWebSocketServer.Faults(-1, target, -1, s -> s, -1, -1);
            case CORRUPT -> new ReplayWebSocketServer.Faults(-1, -1, target,
                    s -> s.replaceFirst("\"price_level\":\"", "\"price_level\":\"x"), -1, -1);
            case CLOSE -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, target, -1);
            case SILENT -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, -1, target);
        };
        InstrumentRegistry registry = CoinbaseRecordings.registry(CoinbaseRecordings.all(CoinbaseRecordings.advancedTradeConnections()));
        CoinbaseFeedSessionTest.CountingSink sink = new CoinbaseFeedSessionTest.CountingSink();
        ChainSink chain = new ChainSink(registry, RecordingSink.CAPACITY_PER_SIDE, sink);
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, faults, true);
        String url = server.startAndGetUrl();
        feed = new CoinbaseFeed(new CoinbaseFeed.Settings(URI.create(url), CoinbaseFeed.Protocol.ADVANCED_TRADE,
                Duration.ofMillis(50), Duration.ofMillis(200)), registry, chain).start();

        if (fault == Fault.SILENT) {
            // the market data engine finds the feed stale and asks for a resync (of a book that had its snapshot: the feed
            // resubscribes the product, which this replay server does not answer, so the feed reconnects after its timeout)
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.valid(0) && server.awaitFinished(10, TimeUnit.MILLISECONDS));
            feed.request(0, "stale feed");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.connections() >= 2);
        assertThat(server.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.lastSequence() == lastRecorded);
        feed.close();
        switch (fault) {
            case DROP, REORDER -> assertThat(sink.invalidations).anySatisfy(r -> assertThat(r).containsIgnoringCase("gap"));
            case CORRUPT -> assertThat(feed.malformed()).isEqualTo(1);
            case CLOSE, SILENT -> assertThat(sink.invalidations).anySatisfy(r -> assertThat(r).startsWith("disconnected"));
        }
        assertThat(feed.session().connects()).isGreaterThanOrEqualTo(2);
        assertThat(chain.violations()).as("intents from a book the engine does not vouch for").isEmpty();
        assertThat(chain.intents()).as("the strategies quoted").isPositive();
        StringBuilder shares = new StringBuilder("coinbase " + fault + ": share of the run's slots in which each book was VALID:");
        for (int id = 0; id < registry.size(); id++) {
            shares.append(String.format(java.util.Locale.ROOT, " %s %.3f", registry.get(id).venueSymbol(), chain.validShare(id)));
        }
        System.out.println(shares);
    }
}
