package io.mme.app.venues;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
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
 * paper venue, and those fill when the venue's public trades go through their prices.
 */
class LivePaperRunTest {
    @TempDir
    Path dir;

    @Test
    void ordersQuotedOnALiveBookFillWhenTheVenuesTradesGoThroughThem() throws Exception {
        PacedCoinbaseFeed feed = new PacedCoinbaseFeed(Path.of(System.getProperty("mme.shared.dir", "../../shared"), "data", "venues", "coinbase-advanced-trade.jsonl"), 3);
        String url = feed.url();
        Path config = dir.resolve("live-paper.yaml");
        Files.writeString(config, """
                engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                marketData: { staleAfterMillis: 60000 }
                instruments:
                  - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, minNotional: 1 }
                venues:
                  coinbase: { mode: paper, feed: true, feedUrl: "%s" }
                paper: { publishLevels: false, publishOrders: false }
                strategy:
                  type: inventory-skew
                  pair: BTC/USD
                  maxLevels: 1
                  minQuoteLifeMillis: 100
                  parameters: { spread.ticks: 200, size.nanos: 1000000, levels: 1 }
                """.formatted(url));
        MmeSettings settings = new ConfigLoader().load(config, Map.of());
        EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, dir.resolve("run"));
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
}
