package io.mme.connectors.binance;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.venue.GatewayRejectCode;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.mme.connectors.binance.FakeBinanceVenue.WS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Order entry over the WS API ({@code order.place}, {@code order.cancel}, {@code order.cancelReplace}, {@code order.status}) against the fake venue. */
class BinanceGatewayWebSocketOrderEntryTest {
    private static final String ORDER = "/api/v3/order";
    private BinanceGatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static BinanceGatewayHarness webSocketHarness(FakeBinanceVenue fake, String secret) {
        return new BinanceGatewayHarness(fake, secret, s -> s.withOrderEntry(BinanceGateway.OrderEntry.WEBSOCKET));
    }

    private void startOverWebSocket() throws Exception {
        h = webSocketHarness(new FakeBinanceVenue(BinanceGatewayHarness.KEY, BinanceGatewayHarness.SECRET), BinanceGatewayHarness.SECRET).started();
        await().atMost(Duration.ofSeconds(5)).until(h.gateway::orderEntryConnected);
    }

    private void placeAndAwaitAccepted(long id) {
        h.gateway.submit(h.newOrder(id, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(id, ExecType.ACCEPTED).isEmpty());
    }

    @Test
    void ordersGoOverRestUnlessTheWebSocketApiIsChosen() {
        BinanceGateway.Settings live = BinanceGateway.Settings.forMode(VenueMode.LIVE);
        assertThat(live.orderEntry()).isEqualTo(BinanceGateway.OrderEntry.REST);
        assertThat(live.withOrderEntry(BinanceGateway.OrderEntry.WEBSOCKET).orderEntry()).isEqualTo(BinanceGateway.OrderEntry.WEBSOCKET);
        assertThat(live.withOrderEntry(BinanceGateway.OrderEntry.WEBSOCKET).withUnknownOrders(UnknownOrderPolicy.LEAVE).orderEntry())
                .isEqualTo(BinanceGateway.OrderEntry.WEBSOCKET);
        BinanceGateway.Settings legacy = new BinanceGateway.Settings(live.mode(), live.restBase(), live.userStream(), live.connectTimeout(),
                live.requestTimeout(), live.recvWindowMillis(), live.requestWeightPerMinute(), live.ordersPer10Seconds(), live.ordersPerDay(),
                live.budgetSafety(), live.reconnectMin(), live.reconnectMax(), live.retryDelay(), live.retries(), live.unknownOrders());
        assertThat(legacy).isEqualTo(live);
    }

    @Test
    void orderPlacedOverTheWebSocketApiIsAcceptedAsLimitMakerFilledFromTheStreamAndCancelledOverTheWebSocketApi() throws Exception {
        startOverWebSocket();
        placeAndAwaitAccepted(1);
        ExecutionReport accepted = h.recorder.of(1, ExecType.ACCEPTED).getFirst();
        FakeBinanceVenue.Order onVenue = h.fake.order(h.text(1));
        assertThat(accepted.venueOrderId()).isEqualTo(onVenue.orderId);
        assertThat(accepted.leavesQuantityLots()).isEqualTo(1000);
        assertThat(onVenue.type).isEqualTo("LIMIT_MAKER");
        assertThat(h.fake.received(WS, "order.place")).singleElement().satisfies(r -> {
            Map<String, String> p = r.params();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.clientOrderId()).isEqualTo(h.text(1));
            assertThat(p).containsEntry("type", "LIMIT_MAKER").containsEntry("side", "BUY").containsEntry("symbol", "BTCUSDT")
                    .containsEntry("price", "67000.00").containsEntry("quantity", "0.01000").containsEntry("newOrderRespType", "ACK")
                    .containsEntry("newClientOrderId", h.text(1)).containsEntry("apiKey", BinanceGatewayHarness.KEY)
                    .containsEntry("recvWindow", "5000").containsKeys("timestamp", "signature").doesNotContainKey("timeInForce");
        });
        assertThat(h.fake.received("POST", ORDER)).as("no NEW over REST").isEmpty();

        h.fake.fill(h.text(1), "0.004");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 400);
        assertThat(h.recorder.of(1, ExecType.PARTIALLY_FILLED).getFirst().leavesQuantityLots()).isEqualTo(600);

        h.gateway.submit(h.cancel(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.of(1, ExecType.CANCELLED).size() == 1);
        assertThat(h.recorder.of(1, ExecType.CANCELLED).getFirst().lastQuantityLots()).isEqualTo(600);
        assertThat(h.fake.order(h.text(1)).status()).isEqualTo("CANCELED");
        assertThat(h.fake.received(WS, "order.cancel")).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(h.fake.received("DELETE", ORDER)).as("no cancel over REST").isEmpty();
    }

    @Test
    void aPlainLimitGoesOutAsGtcAndAPostOnlyThatWouldTakeIsRejectedPostOnlyWouldTake() throws Exception {
        startOverWebSocket();
        h.gateway.submit(h.newOrder(2, Side.SELL, "68000.00", "0.01000", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(2, ExecType.ACCEPTED).isEmpty());
        assertThat(h.fake.received(WS, "order.place").getFirst().params()).containsEntry("type", "LIMIT").containsEntry("timeInForce", "GTC");
        h.fake.touch("BTCUSDT", "66999.00", "67001.00");
        h.gateway.submit(h.newOrder(3, Side.BUY, "67001.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(3, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(3, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.POST_ONLY_WOULD_TAKE.code());
        assertThat(h.recorder.of(3, ExecType.ACCEPTED)).isEmpty();
    }

    @Test
    void cancelReplaceOverTheWebSocketApiReportsReplacedWithTheNewPriceAndTheSameClientId() throws Exception {
        startOverWebSocket();
        placeAndAwaitAccepted(1);
        h.fake.fill(h.text(1), "0.002");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 200);
        h.gateway.submit(h.replace(1, Side.BUY, "66990.00", "0.00800", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REPLACED).isEmpty());
        ExecutionReport replaced = h.recorder.of(1, ExecType.REPLACED).getFirst();
        FakeBinanceVenue.Order now = h.fake.order(h.text(1));
        assertThat(replaced.priceTicks()).isEqualTo(6_699_000);
        assertThat(replaced.leavesQuantityLots()).isEqualTo(800);
        assertThat(replaced.venueOrderId()).isEqualTo(now.orderId);
        assertThat(now.price).isEqualByComparingTo("66990.00");
        assertThat(h.fake.received(WS, "order.cancelReplace")).singleElement().satisfies(r -> assertThat(r.params())
                .containsEntry("cancelReplaceMode", "STOP_ON_FAILURE").containsEntry("newClientOrderId", h.text(1)));
        assertThat(h.fake.received("POST", "/api/v3/order/cancelReplace")).isEmpty();

        h.fake.fill(h.text(1), "0.003");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 500);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.filledLots(1) == 500);
        assertThat(h.recorder.of(1, ExecType.CANCELLED)).isEmpty();
    }

    @Test
    void cancelReplaceWhoseNewOrderWouldTakeReportsTheOrderCancelledWithPostOnlyWouldTake() throws Exception {
        startOverWebSocket();
        placeAndAwaitAccepted(1);
        h.fake.touch("BTCUSDT", "67000.00", "67010.00");
        h.gateway.submit(h.replace(1, Side.BUY, "67010.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.of(1, ExecType.CANCELLED).size() == 1);
        assertThat(h.recorder.of(1, ExecType.CANCELLED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.POST_ONLY_WOULD_TAKE.code());
        assertThat(h.recorder.of(1, ExecType.REPLACED)).isEmpty();
        assertThat(h.fake.openOrders()).isEmpty();
    }

    @Test
    void anUnansweredOrderPlaceIsNeverSentAgainAndAStatusQueryOverTheWebSocketApiResolvesIt() throws Exception {
        startOverWebSocket();
        h.fake.dropNextAnswers("order.place", 1);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.fake.order(h.text(1)) != null);
        h.fake.fillQuietly(h.text(1), "0.00200");
        h.gateway.submit(h.status(1, Side.BUY));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.ORDER_STATUS).isEmpty());
        ExecutionReport status = h.recorder.of(1, ExecType.ORDER_STATUS).getFirst();
        assertThat(status.leavesQuantityLots()).isEqualTo(800);
        assertThat(status.lastQuantityLots()).isEqualTo(200);
        assertThat(h.fake.received(WS, "order.status")).singleElement().satisfies(r -> assertThat(r.params())
                .containsEntry("origClientOrderId", h.text(1)));
        await().during(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(3)).until(() -> h.fake.count(WS, "order.place", h.text(1)) == 1);
        assertThat(h.fake.count("POST", ORDER, h.text(1))).isZero();
        assertThat(h.recorder.of(1, ExecType.REJECTED)).isEmpty();
    }

    @Test
    void anOrderPlaceWhoseConnectionDropsBeforeTheAnswerIsNeverSentAgain() throws Exception {
        startOverWebSocket();
        h.fake.dropNextAnswers("order.place", 1);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.fake.order(h.text(1)) != null);
        h.fake.dropStream();
        await().atMost(Duration.ofSeconds(5)).until(() -> h.fake.subscriptions() >= 2 && h.gateway.orderEntryConnected());
        h.gateway.submit(h.status(1, Side.BUY));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.of(1, ExecType.ORDER_STATUS).stream()
                .anyMatch(r -> r.reasonCode() == 0));
        assertThat(h.recorder.of(1, ExecType.ORDER_STATUS)).allSatisfy(r -> assertThat(r.leavesQuantityLots()).isEqualTo(1000));
        await().during(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(3)).until(() -> h.fake.count(WS, "order.place", h.text(1)) == 1);
        assertThat(h.fake.count("POST", ORDER, h.text(1))).isZero();
        assertThat(h.recorder.of(1, ExecType.REJECTED)).isEmpty();
    }

    @Test
    void aWrongSecretIsRefusedByTheWebSocketApiAsAuthentication() throws Exception {
        h = webSocketHarness(new FakeBinanceVenue(BinanceGatewayHarness.KEY, "another-secret"), BinanceGatewayHarness.SECRET);
        h.gateway.start(h.recorder);
        await().atMost(Duration.ofSeconds(5)).until(h.gateway::orderEntryConnected);
        h.gateway.submit(h.newOrder(4, Side.BUY, "67000.00", "0.01000", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(4, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(4, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.AUTHENTICATION.code());
        assertThat(h.fake.received(WS, "order.place")).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(h.fake.order(h.text(4))).isNull();
    }

    @Test
    void aTimestampOutsideRecvWindowIsRejectedClockSkewAndNotResent() throws Exception {
        startOverWebSocket();
        h.fake.clockOffsetMillis(20_000);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(1, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.CLOCK_SKEW.code());
        await().atMost(Duration.ofSeconds(5)).until(() -> Math.abs(h.gateway.status().clockOffsetMs() - 20_000) < 1_000);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> h.fake.count(WS, "order.place", h.text(1)) == 1);
        h.gateway.submit(h.newOrder(2, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(2, ExecType.ACCEPTED).isEmpty());
    }

    @Test
    void after429WithRetryAfterNothingIsSentBeforeItNewsAreRejectedAndCancelsWait() throws Exception {
        startOverWebSocket();
        placeAndAwaitAccepted(10);
        h.fake.throttleNext(429, 1);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(1, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.RATE_LIMITED.code());
        FakeBinanceVenue.Received throttled = h.fake.received().stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertThat(throttled.method()).isEqualTo(WS);
        long throttledAt = throttled.atMillis();
        assertThat(h.gateway.status().backingOffUntilMs()).isEqualTo(h.fake.bannedUntil());
        for (long id = 2; id <= 5; id++) {
            h.gateway.submit(h.newOrder(id, Side.BUY, "67000.00", "0.01000", true));
        }
        h.gateway.submit(h.cancel(10));
        for (long id = 2; id <= 5; id++) {
            long finalId = id;
            await().atMost(Duration.ofSeconds(2)).until(() -> !h.recorder.of(finalId, ExecType.REJECTED).isEmpty());
            assertThat(h.recorder.of(id, ExecType.REJECTED).getFirst().reasonCode())
                    .isIn(GatewayRejectCode.RATE_LIMITED.code(), GatewayRejectCode.THROTTLED.code());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(10, ExecType.CANCELLED).isEmpty());
        assertThat(h.fake.requestsDuringBackOff()).isZero();
        assertThat(h.fake.received()).filteredOn(r -> r.atMillis() > throttledAt && !r.path().equals("/api/v3/time"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.atMillis()).isGreaterThanOrEqualTo(throttledAt + 1_000));
        for (long id = 2; id <= 5; id++) {
            assertThat(h.fake.count(WS, "order.place", h.text(id))).isZero();
        }
    }

    @Test
    void theOrderCountInTheAnswersRateLimitsIsSpentFromTheBudget() throws Exception {
        h = new BinanceGatewayHarness(new FakeBinanceVenue(BinanceGatewayHarness.KEY, BinanceGatewayHarness.SECRET), BinanceGatewayHarness.SECRET,
                s -> s.withOrderEntry(BinanceGateway.OrderEntry.WEBSOCKET).withLimits(6000, 10, 200_000, 0.8)).started();
        await().atMost(Duration.ofSeconds(5)).until(h.gateway::orderEntryConnected);
        h.fake.ordersElsewhere(7);
        placeAndAwaitAccepted(1);
        h.gateway.submit(h.newOrder(2, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(2)).until(() -> !h.recorder.of(2, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(2, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.THROTTLED.code());
        assertThat(h.fake.count(WS, "order.place", h.text(2))).isZero();
    }

    @Test
    void whileTheConnectionIsDownNewsAreRejectedNotConnectedAndACancelCompletesOverRest() throws Exception {
        startOverWebSocket();
        placeAndAwaitAccepted(1);
        h.fake.suspendStream();
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.gateway.orderEntryConnected());
        h.gateway.submit(h.newOrder(2, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(2)).until(() -> !h.recorder.of(2, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(2, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.NOT_CONNECTED.code());
        assertThat(h.fake.order(h.text(2))).isNull();

        h.gateway.submit(h.cancel(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty());
        assertThat(h.fake.order(h.text(1)).status()).isEqualTo("CANCELED");
        assertThat(h.fake.count("DELETE", ORDER, "")).as("the cancel went over REST by venue order id").isEqualTo(1);
        assertThat(h.fake.received(WS, "order.cancel")).isEmpty();

        h.fake.resumeStream();
        await().atMost(Duration.ofSeconds(5)).until(h.gateway::orderEntryConnected);
        placeAndAwaitAccepted(3);
        assertThat(h.fake.count(WS, "order.place", h.text(3))).isEqualTo(1);
    }
}
