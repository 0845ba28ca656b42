package io.mme.app.venues;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.connectors.binance.FakeBinanceVenue;
import io.mme.connectors.coinbase.FakeCoinbaseVenue;
import io.mme.connectors.kraken.FakeKrakenVenue;
import io.mme.core.instrument.Venue;
import io.mme.core.venue.Reconciliation;
import io.mme.execution.ExecutionCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Switching venues from paper to testnet / live is a configuration change plus keys: the engine
 * builds each venue's gateway from the venues section, reads the keys from the environment, and on
 * start each gateway reconciles with its venue (here the loopback fakes, which check every
 * signature): an order of ours the engine does not hold is cancelled by the engine, a foreign one
 * by the gateway, and the outcome is journaled.
 */
class GatewaysFromConfigTest {
    @TempDir
    Path dir;

    @Test
    void eachVenueInTestnetOrLiveModeGetsItsGatewayWhichReconcilesOnStart() throws Exception {
        KeyPair coinbaseKeys = FakeCoinbaseVenue.newKeyPair();
        try (FakeBinanceVenue binance = new FakeBinanceVenue("b-key", "b-secret");
             FakeCoinbaseVenue coinbase = new FakeCoinbaseVenue(coinbaseKeys.getPublic());
             FakeKrakenVenue kraken = new FakeKrakenVenue(Map.of("XBTUSD", "BTC/USD"))) {
            // one order of ours (our tag, an id the engine never issued) and one foreign order on each venue
            binance.placeDirect("BTCUSDT", "e2e1-zz", "BUY", "60000.00", "0.001");
            binance.placeDirect("BTCUSDT", "web-manual-1", "SELL", "70000.00", "0.001");
            coinbase.holdOrder("e2e1-zy", "BTC-USD", "BUY", "0.001", "60000.00");
            coinbase.holdOrder("web-manual-2", "BTC-USD", "SELL", "0.001", "70000.00");
            kraken.placeDirectly("e2e1-zx", "XBTUSD", "buy", "60000.0", "0.001");
            kraken.placeDirectly("web-manual-3", "XBTUSD", "sell", "70000.0", "0.001");

            Path config = dir.resolve("venues.yaml");
            Files.writeString(config, """
                    engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                    instruments:
                      - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001, minNotional: 5 }
                      - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, minNotional: 1 }
                      - { venue: kraken, symbol: BTC/USD, base: XBT, quote: USD, tickSize: 0.1, lotSize: 0.00000001 }
                    venues:
                      binance: { mode: testnet, restUrl: "%s", streamUrl: "%s", orderEntry: websocket }
                      coinbase: { mode: live, restUrl: "%s", streamUrl: "%s" }
                      kraken: { mode: live, restUrl: "%s", streamUrl: "%s", restPairs: { "BTC/USD": XBTUSD } }
                    execution: { unknownOrders: cancel, clientIdTag: e2e1 }
                    """.formatted(binance.restBase(), binance.userStream(), coinbase.restBase(), coinbase.userStream(),
                    kraken.restBase(), kraken.streamUri()));
            MmeSettings settings = new ConfigLoader().load(config, Map.of());
            EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, dir.resolve("run"), Map.of(
                    "MME_BINANCE_API_KEY", "b-key", "MME_BINANCE_API_SECRET", "b-secret",
                    "MME_COINBASE_API_KEY", FakeCoinbaseVenue.KEY_NAME,
                    "MME_COINBASE_API_SECRET", FakeCoinbaseVenue.sec1Pem(coinbaseKeys.getPrivate()),
                    "MME_KRAKEN_API_KEY", FakeKrakenVenue.KEY, "MME_KRAKEN_API_SECRET", FakeKrakenVenue.SECRET));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> engine.reconciliations().stream()
                        .map(Reconciliation::venue).distinct().count() == 3);
                for (Reconciliation r : engine.reconciliations()) {
                    assertThat(r.foreignCancelled()).as(r.summary()).hasSize(1);
                    assertThat(r.ourOrders()).as(r.summary()).isEqualTo(1);
                }
                // the engine cancels each of our orders it does not hold (execution.unknownOrders: cancel)
                await().atMost(Duration.ofSeconds(30)).until(() -> engine.executionTotal(ExecutionCounter.UNKNOWN_VENUE_ORDERS) == 3);
                await().atMost(Duration.ofSeconds(30)).until(() -> binance.order("e2e1-zz").status().equals("CANCELED"));
                assertThat(binance.order("web-manual-1").status()).isEqualTo("CANCELED");
                // Binance's order entry was configured onto the WebSocket API: the engine's cancel went that way
                assertThat(binance.received(FakeBinanceVenue.WS, "order.cancel")).isNotEmpty();
                assertThat(engine.reconciliations()).extracting(Reconciliation::venue)
                        .contains(Venue.BINANCE, Venue.COINBASE, Venue.KRAKEN);
            } finally {
                engine.stop();
            }
        }
    }
}
