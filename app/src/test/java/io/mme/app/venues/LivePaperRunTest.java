package io.mme.app.venues;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.ring.Side;
import io.mme.execution.ExecutionCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live paper end to end: the engine builds its book from a venue's public feed (the real Coinbase
 * recording, replayed over loopback at a live pace), quotes around it, sends its orders to the
 * paper venue, and those fill when the venue's public trades go through their prices: behind the
 * venue's displayed queue at their price (the default queue model), or at once ({@code none}).
 */
class LivePaperRunTest {
    @TempDir
    Path dir;

    private static PacedCoinbaseFeed recordedFeed() throws Exception {
        return new PacedCoinbaseFeed(Path.of(System.getProperty("mme.shared.dir", "../../shared"), "data", "venues", "coinbase-advanced-trade.jsonl"), 3);
    }

    /** the engine on live paper against {@code feed}, with the given {@code paper.queueModel} */
    private EngineAssemblyAccess start(PacedCoinbaseFeed feed, String queueModel, String run) throws Exception {
        String url = feed.url();
        Path config = dir.resolve(run + ".yaml");
        Files.writeString(config, """
                engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                marketData: { staleAfterMillis: 60000 }
                instruments:
                  - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, minNotional: 1 }
                venues:
                  coinbase: { mode: paper, feed: true, feedUrl: "%s" }
                paper: { publishLevels: false, publishOrders: false, queueModel: %s }
                strategy:
                  type: inventory-skew
                  pair: BTC/USD
                  maxLevels: 1
                  minQuoteLifeMillis: 100
                  parameters: { spread.ticks: 200, size.nanos: 1000000, levels: 1, skew.milliticks.per.unit: 0 }
                """.formatted(url, queueModel));
        MmeSettings settings = new ConfigLoader().load(config, Map.of());
        return EngineAssemblyAccess.startLive(settings, dir.resolve(run));
    }

    @Test
    void ordersQuotedOnALiveBookFillWhenTheVenuesTradesGoThroughThem() throws Exception {
        PacedCoinbaseFeed feed = recordedFeed();
        EngineAssemblyAccess engine = start(feed, "risk-averse", "run");
        try {
            // quotes on both sides of the live book, resting in the paper venue
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.executionTotal(ExecutionCounter.OPEN_ORDERS) >= 2
                    && engine.executionTotal(ExecutionCounter.ACKS) >= 2);
            await().atMost(Duration.ofSeconds(60)).until(feed::replayed);
            assertThat(engine.executionTotal(ExecutionCounter.FILLS)).isZero();

            // a seller takes everything down to 1.00: our bid fills, we are long
            feed.trade("BTC-USD", "1.00", "100", "BUY", 900_000_001L);
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.positionLots(0) > 0);
            long bought = engine.positionLots(0);
            assertThat(bought).isEqualTo(100_000L);

            // a buyer takes everything up to 10,000,000.00: our ask fills, the position comes back
            feed.trade("BTC-USD", "10000000.00", "100", "SELL", 900_000_002L);
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.positionLots(0) < bought);
            assertThat(engine.executionTotal(ExecutionCounter.FILLS)).isGreaterThanOrEqualTo(2);
            assertThat(engine.riskFills(0)).isEqualTo(engine.executionTotal(ExecutionCounter.FILLS));
        } finally {
            engine.stop();
            feed.stop(1000);
        }
    }

    /**
     * The same quotes, the same public trades, once with the risk-averse queue model and once with
     * none: a trade at our bid's price smaller than the venue's displayed quantity there fills the bid
     * only without a queue; with the queue the bid fills once trades at its price have taken the
     * quantity ahead of it. A trade far through our ask fills it in both.
     */
    @Test
    void theQueueModelFillsFewerQuotesThanTheOptimisticRuleAndFillsThemOnceTheQueueAheadHasTraded() throws Exception {
        Fills none = runTheQueueScenario("none", "run-none");
        Fills queued = runTheQueueScenario("risk-averse", "run-queue");

        assertThat(none.bidsAfterASmallTrade).isEqualTo(1);
        assertThat(queued.bidsAfterASmallTrade).isZero();
        assertThat(queued.asks).isEqualTo(none.asks).isEqualTo(1);
        assertThat(queued.total).isLessThan(none.total);
        // with the queue, the bid fills once trades at its price exceed the 5 BTC ahead of it
        assertThat(queued.bidsOnceTheQueueTraded).isEqualTo(1);
    }

    /** ticks of 0.01 as the venue writes a price */
    private static String dollars(long ticks) {
        return java.math.BigDecimal.valueOf(ticks, 2).toPlainString();
    }

    private record Fills(int bidsAfterASmallTrade, int asks, long total, int bidsOnceTheQueueTraded) {
    }

    private Fills runTheQueueScenario(String queueModel, String run) throws Exception {
        PacedCoinbaseFeed feed = recordedFeed();
        EngineAssemblyAccess engine = start(feed, queueModel, run);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.executionTotal(ExecutionCounter.ACKS) >= 2);
            await().atMost(Duration.ofSeconds(60)).until(feed::replayed);
            // a new book around the whole dollar nearest the recorded mid (so our quotes move less than the
            // half spread and never cross each other on the way): 5 BTC displayed a dollar either side of
            // the mid, where the 200-tick spread quotes
            long mid = Math.round((engine.books().bidTicks(0) + engine.books().askTicks(0)) / 200.0) * 100;
            long bid = mid - 100;
            long ask = mid + 100;
            feed.book("BTC-USD", new String[][]{{dollars(bid), "5"}, {dollars(bid - 100), "1"}},
                    new String[][]{{dollars(ask), "5"}, {dollars(ask + 100), "1"}});
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.restingAt(0, Side.BUY, bid) && engine.restingAt(0, Side.SELL, ask));

            // a seller takes 1 BTC at our bid's price; then a buyer takes everything up to 10,000,000.00, through our ask
            feed.trade("BTC-USD", dollars(bid), "1", "BUY", 900_000_101L);
            feed.trade("BTC-USD", "10000000.00", "100", "SELL", 900_000_102L);
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.fillsOn(0, Side.SELL) >= 1);
            int bids = engine.fillsOn(0, Side.BUY);
            int asks = engine.fillsOn(0, Side.SELL);
            long total = engine.executionTotal(ExecutionCounter.FILLS);
            if (!queueModel.equals("risk-averse")) {
                return new Fills(bids, asks, total, -1);
            }
            // the other 4 BTC ahead of our bid trade, then 0.5 BTC more: our bid fills
            feed.trade("BTC-USD", dollars(bid), "4", "BUY", 900_000_103L);
            feed.trade("BTC-USD", dollars(bid), "0.5", "BUY", 900_000_104L);
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.fillsOn(0, Side.BUY) >= 1);
            return new Fills(bids, asks, total, engine.fillsOn(0, Side.BUY));
        } finally {
            engine.stop();
            feed.stop(1000);
        }
    }
}
