package io.mme.app.venues;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.connectors.binance.FakeBinanceVenue;
import io.mme.connectors.coinbase.FakeCoinbaseVenue;
import io.mme.connectors.kraken.FakeKrakenVenue;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.TradingState;
import io.mme.execution.ExecutionCounter;
import io.mme.risk.RiskCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Halts, kill switches and cancel-all reach the real venues through each live gateway, against the
 * loopback fakes (which check every signature): after the control event the scope's orders of ours
 * are cancelled on the venue itself, nothing is sent into the scope afterwards (so nothing sent
 * after it can fill), and the other scopes keep their orders. On Binance the strategy quotes for
 * real, so REDUCING is seen to cancel the bid of a long position and keep its ask.
 */
class HaltThroughGatewaysTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void onBinanceReducingCancelsTheIncreasingSideAndAHaltCancelsTheRestAndSendsNothingMore() throws Exception {
        try (FakeBinanceVenue venue = new FakeBinanceVenue("test-key", "test-hmac-secret");
             TinyBinancePublicFeed market = new TinyBinancePublicFeed("NKNUSDT", "0.3000", "0.3010")) {
            Path config = dir.resolve("binance.yaml");
            Files.writeString(config, """
                    engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                    marketData: { staleAfterMillis: 60000 }
                    instruments:
                      - { venue: binance, symbol: NKNUSDT, base: NKN, quote: USDT, tickSize: 0.0001, lotSize: 1, minNotional: 10 }
                    venues:
                      binance: { mode: testnet, feed: true, feedUrl: "%s", feedRestUrl: "%s", restUrl: "%s", streamUrl: "%s" }
                    execution: { ackTimeoutMillis: 3000 }
                    strategy:
                      type: inventory-skew
                      pair: NKN/USDT
                      maxLevels: 1
                      minQuoteLifeMillis: 100
                      parameters: { spread.ticks: 4, size.nanos: 50000000000, levels: 1, skew.milliticks.per.unit: 0 }
                    risk:
                      limits:
                        - { limit: maxOrderQuantity, venue: binance, symbol: NKNUSDT, value: 1000 }
                        - { limit: maxPosition, venue: binance, symbol: NKNUSDT, value: 10000 }
                        - { limit: maxAssetPosition, venue: binance, symbol: NKNUSDT, value: 10000000000000 }
                    """.formatted(market.webSocketBase(), market.restBase(), venue.restBase(), venue.userStream()));
            MmeSettings settings = new ConfigLoader().load(config, Map.of());
            EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, dir.resolve("run"),
                    Map.of("MME_BINANCE_API_KEY", "test-key", "MME_BINANCE_API_SECRET", "test-hmac-secret"));
            try {
                await().atMost(WAIT).until(() -> venue.openOrders().size() == 2);
                FakeBinanceVenue.Order bid = venue.openOrders().stream().filter(o -> o.side.equals("BUY")).findFirst().orElseThrow();
                // we buy 30: long
                venue.push(venue.fill(bid.clientOrderId, "30"));
                await().atMost(WAIT).until(() -> engine.positionLots(0) == 30);
                await().atMost(WAIT).until(() -> sides(venue).containsAll(List.of("BUY", "SELL")));

                // REDUCING on the instrument: the bid (it would add to the long) goes, the ask stays
                engine.control(ControlCommands.SET_TRADING_STATE, "rita", "reduce only", -1, 0, TradingState.REDUCING.ordinal());
                await().atMost(WAIT).until(() -> !sides(venue).contains("BUY"));
                assertThat(sides(venue)).contains("SELL");
                long reducingRefused = engine.riskRejectedBy(RiskCheck.REDUCING_ONLY);
                await().atMost(WAIT).until(() -> engine.riskRejectedBy(RiskCheck.REDUCING_ONLY) >= reducingRefused + 2);
                assertThat(sides(venue)).doesNotContain("BUY").contains("SELL");

                // HALTED on the venue: the ask goes too; nothing more reaches the venue
                engine.control(ControlCommands.SET_TRADING_STATE, "rita", "venue incident", Venue.BINANCE.id(), -1,
                        TradingState.HALTED.ordinal());
                await().atMost(WAIT).until(() -> venue.openOrders().isEmpty());
                int sent = venue.received("POST", "/api/v3/order").size();
                long fills = engine.riskFills(0);
                long refused = engine.riskRejectedBy(RiskCheck.TRADING_HALTED);
                await().atMost(WAIT).until(() -> engine.riskRejectedBy(RiskCheck.TRADING_HALTED) >= refused + 3);
                assertThat(venue.received("POST", "/api/v3/order")).as("orders sent after the halt").hasSize(sent);
                assertThat(venue.openOrders()).isEmpty();
                assertThat(engine.riskFills(0)).isEqualTo(fills);
                assertThat(engine.risk().venueState(Venue.BINANCE.id())).isEqualTo(TradingState.HALTED);
            } finally {
                engine.stop();
            }
        }
    }

    private static List<String> sides(FakeBinanceVenue venue) {
        return venue.openOrders().stream().map(o -> o.side).toList();
    }

    @Test
    void cancelAllAKillSwitchAndAHaltEachCancelTheirVenuesOrdersThroughItsGatewayAndNoOther() throws Exception {
        KeyPair coinbaseKeys = FakeCoinbaseVenue.newKeyPair();
        try (FakeBinanceVenue binance = new FakeBinanceVenue("b-key", "b-secret");
             FakeCoinbaseVenue coinbase = new FakeCoinbaseVenue(coinbaseKeys.getPublic());
             FakeKrakenVenue kraken = new FakeKrakenVenue(Map.of("XBTUSD", "BTC/USD"))) {
            // two orders of ours (our tag) resting on each venue; the engine adopts them at reconciliation
            binance.placeDirect("BTCUSDT", "e2e1-zz", "BUY", "60000.00", "0.001");
            binance.placeDirect("BTCUSDT", "e2e1-zy", "SELL", "70000.00", "0.001");
            coinbase.holdOrder("e2e1-zx", "BTC-USD", "BUY", "0.001", "60000.00");
            coinbase.holdOrder("e2e1-zw", "BTC-USD", "SELL", "0.001", "70000.00");
            kraken.placeDirectly("e2e1-zv", "XBTUSD", "buy", "60000.0", "0.001");
            kraken.placeDirectly("e2e1-zu", "XBTUSD", "sell", "70000.0", "0.001");

            Path config = dir.resolve("venues.yaml");
            Files.writeString(config, """
                    engine: { timerPeriodMillis: 50, snapshotMillis: 0 }
                    instruments:
                      - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001, minNotional: 5 }
                      - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, minNotional: 1 }
                      - { venue: kraken, symbol: BTC/USD, base: XBT, quote: USD, tickSize: 0.1, lotSize: 0.00000001 }
                    venues:
                      binance: { mode: testnet, restUrl: "%s", streamUrl: "%s" }
                      coinbase: { mode: live, restUrl: "%s", streamUrl: "%s" }
                      kraken: { mode: live, restUrl: "%s", streamUrl: "%s", restPairs: { "BTC/USD": XBTUSD } }
                    execution: { unknownOrders: adopt, clientIdTag: e2e1 }
                    """.formatted(binance.restBase(), binance.userStream(), coinbase.restBase(), coinbase.userStream(),
                    kraken.restBase(), kraken.streamUri()));
            MmeSettings settings = new ConfigLoader().load(config, Map.of());
            EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, dir.resolve("run"), Map.of(
                    "MME_BINANCE_API_KEY", "b-key", "MME_BINANCE_API_SECRET", "b-secret",
                    "MME_COINBASE_API_KEY", FakeCoinbaseVenue.KEY_NAME,
                    "MME_COINBASE_API_SECRET", FakeCoinbaseVenue.sec1Pem(coinbaseKeys.getPrivate()),
                    "MME_KRAKEN_API_KEY", FakeKrakenVenue.KEY, "MME_KRAKEN_API_SECRET", FakeKrakenVenue.SECRET));
            try {
                await().atMost(WAIT).until(() -> engine.executionTotal(ExecutionCounter.ADOPTED_ORDERS) == 6
                        && engine.executionTotal(ExecutionCounter.OPEN_ORDERS) == 6);
                int binanceCreates = binance.received("POST", "/api/v3/order").size();
                long coinbaseCreates = coinbase.count("POST", "/orders");
                int krakenCreates = kraken.received("AddOrder").size();

                // cancel-all on Binance: both of its orders cancelled on the venue, trading state unchanged
                engine.control(ControlCommands.CANCEL_ALL, "tom", "clean binance", Venue.BINANCE.id(), -1, 0);
                await().atMost(WAIT).until(() -> binance.openOrders().isEmpty());
                assertThat(binance.order("e2e1-zz").status()).isEqualTo("CANCELED");
                assertThat(binance.order("e2e1-zy").status()).isEqualTo("CANCELED");
                assertThat(engine.risk().venueState(Venue.BINANCE.id())).isEqualTo(TradingState.ACTIVE);
                assertThat(coinbase.order("e2e1-zx").status()).isEqualTo("OPEN");
                assertThat(kraken.order("e2e1-zv").status).isEqualTo("open");

                // the kill switch of Coinbase alone: Coinbase halted, its orders cancelled on the venue
                engine.control(ControlCommands.KILL_SWITCH, "rita", "coinbase misbehaves", Venue.COINBASE.id(), -1, 0);
                await().atMost(WAIT).until(() -> coinbase.order("e2e1-zx").status().equals("CANCELLED")
                        && coinbase.order("e2e1-zw").status().equals("CANCELLED"));
                assertThat(engine.risk().venueState(Venue.COINBASE.id())).isEqualTo(TradingState.HALTED);
                assertThat(engine.risk().globalState()).isEqualTo(TradingState.ACTIVE);
                assertThat(kraken.order("e2e1-zu").status).isEqualTo("open");

                // Kraken's instrument HALTED: its orders cancelled on the venue
                engine.control(ControlCommands.SET_TRADING_STATE, "rita", "odd prints", -1, 2, TradingState.HALTED.ordinal());
                await().atMost(WAIT).until(() -> kraken.order("e2e1-zv").status.equals("canceled")
                        && kraken.order("e2e1-zu").status.equals("canceled"));

                // the engine's own count agrees, and nothing new was sent to any venue
                await().atMost(WAIT).until(() -> engine.executionTotal(ExecutionCounter.OPEN_ORDERS) == 0);
                assertThat(engine.executionTotal(ExecutionCounter.CANCELS)).isEqualTo(6);
                assertThat(binance.received("POST", "/api/v3/order")).hasSize(binanceCreates);
                assertThat(coinbase.count("POST", "/orders")).isEqualTo(coinbaseCreates);
                assertThat(kraken.received("AddOrder")).hasSize(krakenCreates);
            } finally {
                engine.stop();
            }
        }
    }
}
