package io.mme.connectors.binance;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.venue.OrderRequest;
import io.mme.core.venue.GatewayRejectCode;
import io.mme.core.venue.VenueFees;
import io.mme.core.venue.VenueMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Order entry against the fake venue: place, fills from the stream, cancel, replace, queries, Ed25519 keys. */
class BinanceGatewayOrderEntryTest {
    private BinanceGatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void settingsForModeGiveTheDocumentedEndpointsAndRefusePaper() {
        BinanceGateway.Settings live = BinanceGateway.Settings.forMode(VenueMode.LIVE);
        assertThat(live.restBase()).isEqualTo(URI.create("https://api.binance.com"));
        assertThat(live.userStream()).isEqualTo(URI.create("wss://ws-api.binance.com:443/ws-api/v3"));
        assertThat(live.requestWeightPerMinute()).isEqualTo(6000);
        assertThat(live.ordersPer10Seconds()).isEqualTo(100);
        assertThat(live.ordersPerDay()).isEqualTo(200_000);
        BinanceGateway.Settings testnet = BinanceGateway.Settings.forMode(VenueMode.TESTNET);
        assertThat(testnet.restBase()).isEqualTo(URI.create("https://testnet.binance.vision"));
        assertThat(testnet.userStream()).isEqualTo(URI.create("wss://ws-api.testnet.binance.vision/ws-api/v3"));
        assertThatThrownBy(() -> BinanceGateway.Settings.forMode(VenueMode.PAPER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("paper");
    }

    @Test
    void placedOrderIsAcceptedFilledFromTheStreamAndCancelled() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.ACCEPTED).isEmpty());
        ExecutionReport accepted = h.recorder.of(1, ExecType.ACCEPTED).getFirst();
        FakeBinanceVenue.Order onVenue = h.fake.order(h.text(1));
        assertThat(accepted.venueOrderId()).isEqualTo(onVenue.orderId);
        assertThat(accepted.leavesQuantityLots()).isEqualTo(1000);
        assertThat(accepted.priceTicks()).isEqualTo(6_700_000);
        assertThat(onVenue.type).isEqualTo("LIMIT_MAKER");
        assertThat(onVenue.price).isEqualByComparingTo("67000.00");

        h.fake.fill(h.text(1), "0.004");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 400);
        ExecutionReport fill = h.recorder.of(1, ExecType.PARTIALLY_FILLED).getFirst();
        assertThat(fill.lastPriceTicks()).isEqualTo(6_700_000);
        assertThat(fill.leavesQuantityLots()).isEqualTo(600);
        assertThat(fill.tradeId()).isPositive();

        h.gateway.submit(h.cancel(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.of(1, ExecType.CANCELLED).size() == 1);
        assertThat(h.recorder.of(1, ExecType.CANCELLED)).singleElement()
                .satisfies(r -> assertThat(r.lastQuantityLots()).isEqualTo(600))
                .satisfies(r -> assertThat(r.leavesQuantityLots()).isZero());
        assertThat(h.recorder.of(1, ExecType.ACCEPTED)).hasSize(1);
        assertThat(h.fake.order(h.text(1)).status()).isEqualTo("CANCELED");
    }

    @Test
    void postOnlyIsSentAsLimitMakerWithoutTimeInForceAndAPlainLimitAsGtc() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        h.gateway.submit(h.newOrder(2, Side.SELL, "68000.00", "0.01000", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.ACCEPTED).isEmpty() && !h.recorder.of(2, ExecType.ACCEPTED).isEmpty());
        Map<String, String> postOnly = h.fake.received("POST", "/api/v3/order").stream().filter(r -> r.clientOrderId().equals(h.text(1)))
                .findFirst().orElseThrow().params();
        assertThat(postOnly).containsEntry("type", "LIMIT_MAKER").containsEntry("side", "BUY").containsEntry("symbol", "BTCUSDT")
                .containsEntry("price", "67000.00").containsEntry("quantity", "0.01000").containsEntry("newOrderRespType", "ACK")
                .containsEntry("recvWindow", "5000").containsKey("timestamp").doesNotContainKey("timeInForce");
        Map<String, String> limit = h.fake.received("POST", "/api/v3/order").stream().filter(r -> r.clientOrderId().equals(h.text(2)))
                .findFirst().orElseThrow().params();
        assertThat(limit).containsEntry("type", "LIMIT").containsEntry("timeInForce", "GTC").containsEntry("side", "SELL");
    }

    @Test
    void iocIsSentAsTimeInForceIocAndItsExpiryIsReportedAsAVenueCancel() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(new OrderRequest(OrderCommandType.NEW, 0, h.btc, 6, 0, Side.SELL, h.btc.priceTicks("66000.00"),
                h.btc.quantityLots("0.01"), TimeInForce.IOC, false, false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(6, ExecType.ACCEPTED).isEmpty());
        assertThat(h.fake.received("POST", "/api/v3/order").getFirst().params()).containsEntry("timeInForce", "IOC");
        h.fake.fill(h.text(6), "0.004");
        h.fake.expire(h.text(6));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(6, ExecType.CANCELLED).isEmpty());
        ExecutionReport expired = h.recorder.of(6, ExecType.CANCELLED).getFirst();
        assertThat(expired.reasonCode()).isEqualTo(GatewayRejectCode.VENUE_CANCELLED.code());
        assertThat(expired.lastQuantityLots()).isEqualTo(600);
        assertThat(h.recorder.filledLots(6)).isEqualTo(400);
    }

    @Test
    void replaceWhoseNewOrderIsRefusedAfterTheCancelReportsTheOrderCancelled() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.ACCEPTED).isEmpty());
        h.fake.touch("BTCUSDT", "67000.00", "67010.00");
        h.gateway.submit(h.replace(1, Side.BUY, "67010.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.of(1, ExecType.CANCELLED).size() == 1);
        assertThat(h.recorder.of(1, ExecType.CANCELLED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.POST_ONLY_WOULD_TAKE.code());
        assertThat(h.recorder.of(1, ExecType.REPLACED)).isEmpty();
        assertThat(h.fake.openOrders()).isEmpty();
    }

    @Test
    void postOnlyThatWouldTakeIsRejectedAsPostOnlyWouldTake() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.fake.touch("BTCUSDT", "66999.00", "67001.00");
        h.gateway.submit(h.newOrder(1, Side.BUY, "67001.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(1, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.POST_ONLY_WOULD_TAKE.code());
        assertThat(h.recorder.of(1, ExecType.ACCEPTED)).isEmpty();
    }

    @Test
    void cancelOfAnOrderTheVenueDoesNotKnowIsCancelRejectedUnknownOrder() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.cancel(77));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(77, ExecType.CANCEL_REJECTED).isEmpty());
        assertThat(h.recorder.of(77, ExecType.CANCEL_REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.UNKNOWN_ORDER.code());
    }

    @Test
    void replaceUsesCancelReplaceWithTheSameClientIdAndFillsOfTheNewOrderCountFromZero() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.ACCEPTED).isEmpty());
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
        assertThat(h.fake.count("POST", "/api/v3/order/cancelReplace", h.text(1))).isEqualTo(1);

        h.fake.fill(h.text(1), "0.003");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 500);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.filledLots(1) == 500);
        assertThat(h.recorder.of(1, ExecType.CANCELLED)).as("the replaced order's cancel is not the engine order's").isEmpty();
        assertThat(h.recorder.filledLots(1)).isEqualTo(500);
    }

    @Test
    void replaceOfAnOrderAlreadyGoneIsCancelRejectedUnknownOrder() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.replace(5, Side.SELL, "68000.00", "0.00100", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(5, ExecType.CANCEL_REJECTED).isEmpty());
        assertThat(h.recorder.of(5, ExecType.CANCEL_REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.UNKNOWN_ORDER.code());
    }

    @Test
    void statusQueryReportsLeavesPriceAndCumulativeQuantity() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.newOrder(3, Side.SELL, "68000.00", "0.01000", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(3, ExecType.ACCEPTED).isEmpty());
        h.fake.fillQuietly(h.text(3), "0.00300");
        h.gateway.submit(h.status(3, Side.SELL));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(3, ExecType.ORDER_STATUS).isEmpty());
        ExecutionReport s = h.recorder.of(3, ExecType.ORDER_STATUS).getFirst();
        assertThat(s.leavesQuantityLots()).isEqualTo(700);
        assertThat(s.lastQuantityLots()).isEqualTo(300);
        assertThat(s.priceTicks()).isEqualTo(6_800_000);
        assertThat(s.venueOrderId()).isEqualTo(h.fake.order(h.text(3)).orderId);
    }

    @Test
    void queriesReturnOpenOrdersBalancesFeesAndCancelAllEmptiesTheBook() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        h.gateway.submit(h.newOrder(2, Side.SELL, "68000.00", "0.02000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.reports.stream().filter(r -> r.execType() == ExecType.ACCEPTED).count() == 2);
        assertThat(h.gateway.openOrders().get()).extracting(o -> o.clientOrderId()).containsExactlyInAnyOrder(h.text(1), h.text(2));
        assertThat(h.gateway.balances().get()).anySatisfy(b -> {
            assertThat(b.asset()).isEqualTo("BTC");
            assertThat(b.free()).isEqualByComparingTo("1");
        });
        VenueFees fees = h.gateway.fees(h.btc).get();
        assertThat(fees.maker()).isEqualByComparingTo(new BigDecimal("0.001"));
        assertThat(fees.taker()).isEqualByComparingTo(new BigDecimal("0.0015"));
        assertThat(h.gateway.cancelAll().get()).isEqualTo(2);
        assertThat(h.fake.openOrders()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty() && !h.recorder.of(2, ExecType.CANCELLED).isEmpty());
    }

    @Test
    void ed25519KeySignsRestAndTheStreamSubscriptionAndTheFakeVerifiesWithThePublicKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        h = new BinanceGatewayHarness(new FakeBinanceVenue(BinanceGatewayHarness.KEY, pair.getPublic()), BinanceSignerTest.pem(pair), s -> s)
                .started();
        h.gateway.submit(h.newOrder(9, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(9, ExecType.ACCEPTED).isEmpty());
        h.fake.fill(h.text(9), "0.01");
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(9, ExecType.FILLED).isEmpty());
        assertThat(h.recorder.of(9, ExecType.FILLED).getFirst().leavesQuantityLots()).isZero();
        assertThat(h.fake.received()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void aWrongSecretIsRejectedAsAuthentication() throws Exception {
        h = new BinanceGatewayHarness(new FakeBinanceVenue(BinanceGatewayHarness.KEY, "another-secret"), BinanceGatewayHarness.SECRET, s -> s);
        h.gateway.start(h.recorder);
        h.gateway.submit(h.newOrder(4, Side.BUY, "67000.00", "0.01000", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(4, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(4, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.AUTHENTICATION.code());
        assertThat(h.gateway.status().streamConnected()).isFalse();
    }
}
