package io.mme.app.venues;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.connectors.binance.FakeBinanceVenue;
import io.mme.core.instrument.Venue;
import io.mme.core.venue.GatewayStatus;
import io.mme.execution.ExecutionCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole engine trading a venue through its live gateway, against the loopback fake Binance
 * (which checks every signature): the strategy's quotes become signed orders, fills come back over
 * the private stream into risk's position, fills made while the stream was down are recovered by
 * reconciliation, repeated reports count once, and no order is ever sent twice.
 */
class LiveGatewayEndToEndTest {
    @TempDir
    Path dir;

    private EngineAssemblyAccess start(FakeBinanceVenue venue, TinyBinancePublicFeed market) throws Exception {
        Path config = dir.resolve("testnet.yaml");
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
        return EngineAssemblyAccess.startLive(settings, dir.resolve("run"),
                Map.of("MME_BINANCE_API_KEY", "test-key", "MME_BINANCE_API_SECRET", "test-hmac-secret"));
    }

    @Test
    void positionsMatchTheVenuesFillsThroughStreamDropsAndRepeats() throws Exception {
        try (FakeBinanceVenue venue = new FakeBinanceVenue("test-key", "test-hmac-secret");
             TinyBinancePublicFeed market = new TinyBinancePublicFeed("NKNUSDT", "0.3000", "0.3010")) {
            EngineAssemblyAccess engine = start(venue, market);
            try {
                // a bid and an ask of 50 NKN each, resting on the venue
                await().atMost(Duration.ofSeconds(30)).until(() -> venue.openOrders().size() == 2
                        && engine.executionTotal(ExecutionCounter.ACKS) >= 2);
                List<FakeBinanceVenue.Order> quotes = venue.openOrders();
                FakeBinanceVenue.Order bid = quotes.stream().filter(o -> o.side.equals("BUY")).findFirst().orElseThrow();
                FakeBinanceVenue.Order ask = quotes.stream().filter(o -> o.side.equals("SELL")).findFirst().orElseThrow();
                assertThat(bid.type).isEqualTo("LIMIT_MAKER");
                assertThat(bid.clientOrderId).matches("[a-z0-9]{4}-[a-z0-9]+");

                // a fill over the stream, then the same report again: booked once
                String event = venue.fill(bid.clientOrderId, "30");
                venue.push(event);
                await().atMost(Duration.ofSeconds(20)).until(() -> engine.positionLots(0) == 30);

                // the stream drops; the venue fills while it is down; reconnect + reconciliation book it
                venue.suspendStream();
                venue.dropStream();
                venue.fillQuietly(ask.clientOrderId, "20");
                venue.resumeStream();
                await().atMost(Duration.ofSeconds(30)).until(() -> engine.positionLots(0) == 10);
                assertThat(engine.executionTotal(ExecutionCounter.RECONCILED_LOTS)).isEqualTo(20);

                // the venue's fills exactly: +30 bought, -20 sold, nothing counted twice
                Thread.sleep(500);
                assertThat(engine.positionLots(0)).isEqualTo(10);
                assertThat(engine.riskFills(0)).isEqualTo(2);
                // no order was ever sent twice for one client order id
                Set<String> seen = new HashSet<>();
                for (FakeBinanceVenue.Received r : venue.received("POST", "/api/v3/order")) {
                    assertThat(seen.add(r.clientOrderId())).as("NEW sent twice for " + r.clientOrderId()).isTrue();
                }
                assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
            } finally {
                engine.stop();
            }
        }
    }

    @Test
    void aVenuesBackOffStopsTheGatewayAndRiskUntilItEnds() throws Exception {
        try (FakeBinanceVenue venue = new FakeBinanceVenue("test-key", "test-hmac-secret");
             TinyBinancePublicFeed market = new TinyBinancePublicFeed("NKNUSDT", "0.3000", "0.3010")) {
            EngineAssemblyAccess engine = start(venue, market);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> venue.openOrders().size() == 2);
                FakeBinanceVenue.Order bid = venue.openOrders().stream().filter(o -> o.side.equals("BUY")).findFirst().orElseThrow();
                // the next request is answered 429 with Retry-After 3 s; filling the bid makes the strategy quote a new one
                venue.throttleNext(429, 3);
                venue.fill(bid.clientOrderId, "50");
                // the moment the gateway had the back-off, on the clock it signs requests with (the venue's, as it measured it)
                long[] backOffKnownAt = {0};
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(() -> {
                    GatewayStatus status = engine.gatewayStatus(Venue.BINANCE);
                    backOffKnownAt[0] = System.currentTimeMillis() + status.clockOffsetMs();
                    return status.backingOffUntilMs() > 0;
                });
                // the venue's back-off reaches risk, which refuses the venue's new orders in the meantime
                await().atMost(Duration.ofSeconds(20)).until(() -> engine.riskRejectedBy(io.mme.risk.RiskCheck.VENUE_BACKOFF) > 0);
                // once it ended the strategy's bid is back on the venue
                await().atMost(Duration.ofSeconds(30)).until(() -> venue.openOrders().size() == 2);
                assertThat(venue.throttled()).isEqualTo(1);
                // nothing was started during the back-off. Requests already on their way when the 429 was
                // answered (the gateway sends some together: the start reconciliation's account and open
                // orders, a status query per open order) reach the venue in its ban and are answered 418;
                // they were signed before the gateway knew and are no fault of its
                assertThat(venue.bannedRequestsSignedAfter(backOffKnownAt[0]))
                        .as("requests signed after the gateway knew of the back-off (known at %d; all that arrived in the ban: %s)",
                                backOffKnownAt[0], venue.bannedRequests())
                        .isEmpty();
            } finally {
                engine.stop();
            }
        }
    }
}
