package io.mme.app.venues;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.connectors.hyperliquid.HyperliquidCapture;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.Venue;
import io.mme.execution.ExecutionCounter;
import io.mme.core.ring.BookState;
import io.mme.marketdata.MarketDataView;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15's done-when for Hyperliquid: the real capture replayed over loopback into a running
 * engine whose configuration quotes BTC on Binance (a loopback Binance public market, wide: 104,000
 * / 106,000) and takes Hyperliquid's book into the consolidated fair value. Hyperliquid's last
 * snapshot (105,050.0 / 105,051.0) is inside Binance's touch even with each venue's taker fee
 * netted off, so the fair value is Hyperliquid's, not Binance's mid of 105,000; Binance is quoted
 * around it and nothing is quoted on Hyperliquid (market data only).
 */
class HyperliquidFairValueTest {
    @TempDir
    Path dir;

    @Test
    void theHyperliquidBookMovesTheFairValueBinanceIsQuotedAround() throws Exception {
        ReplayWebSocketServer hyperliquid = new ReplayWebSocketServer(Recording.read(HyperliquidCapture.file()),
                ReplayWebSocketServer.Gate.NONE, ReplayWebSocketServer.Faults.NONE, true);
        String hyperliquidUrl = hyperliquid.startAndGetUrl();
        try (TinyBinancePublicFeed binance = new TinyBinancePublicFeed("BTCUSDT", "104000.00", "106000.00")) {
            Path config = dir.resolve("hyperliquid.yaml");
            Files.writeString(config, """
                    engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                    marketData: { staleAfterMillis: 600000 }
                    assetAliases: { USDT: USD }
                    instruments:
                      - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001, minNotional: 5 }
                      - { venue: hyperliquid, symbol: BTC, base: BTC, quote: USD, tickSize: 0.1, lotSize: 0.00001, minNotional: 10 }
                    venues:
                      binance: { mode: paper, feed: true, feedUrl: "%s", feedRestUrl: "%s" }
                      hyperliquid: { mode: paper, feed: true, feedUrl: "%s" }
                    paper: { publishLevels: false, publishOrders: false }
                    strategy:
                      type: inventory-skew
                      pair: BTC/USD
                      venues: [binance]
                      maxLevels: 1
                      minQuoteLifeMillis: 100
                      parameters: { spread.ticks: 2000, size.nanos: 1000000, levels: 1 }
                    """.formatted(binance.webSocketBase(), binance.restBase(), hyperliquidUrl));
            MmeSettings settings = new ConfigLoader().load(config, Map.of());
            Instrument hl = settings.instruments().find(Venue.HYPERLIQUID, "BTC");
            Instrument bn = settings.instruments().find(Venue.BINANCE, "BTCUSDT");
            EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, dir.resolve("run"));
            try {
                MarketDataView books = engine.books();
                // the whole capture delivered: Hyperliquid's book is its last snapshot, VALID
                await().atMost(Duration.ofSeconds(60)).until(() -> hyperliquid.completed(1)
                        && books.state(hl.id()) == BookState.VALID && books.bidTicks(hl.id()) == hl.priceTicks("105050.0")
                        && books.askTicks(hl.id()) == hl.priceTicks("105051.0")
                        && books.state(bn.id()) == BookState.VALID);
                long binanceMid = 105_000L * 1_000_000_000L;
                await().atMost(Duration.ofSeconds(30)).until(() -> books.fairValueNanos(0) != MarketDataView.NONE
                        && books.fairValueNanos(0) != binanceMid);
                long fair = books.fairValueNanos(0);
                // within Hyperliquid's touch widened by its 5 bps taker fee, far from Binance's mid
                assertThat(fair).isBetween(105_050L * 1_000_000_000L - 60L * 1_000_000_000L, 105_051L * 1_000_000_000L + 60L * 1_000_000_000L);
                assertThat(Math.abs(fair - 105_050_500_000_000L)).isLessThan(Math.abs(fair - binanceMid));

                // Binance is quoted (a bid and an ask resting in the paper venue), Hyperliquid never
                await().atMost(Duration.ofSeconds(60)).until(() -> engine.execution(Venue.BINANCE, ExecutionCounter.OPEN_ORDERS) >= 2);
                assertThat(engine.execution(Venue.HYPERLIQUID, ExecutionCounter.ACKS)).isZero();
                assertThat(engine.execution(Venue.HYPERLIQUID, ExecutionCounter.OPEN_ORDERS)).isZero();
            } finally {
                engine.stop();
            }
        } finally {
            hyperliquid.stop(1000);
        }
    }
}
