package io.mme.connectors.binance;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.venue.GatewayRejectCode;
import io.mme.core.venue.Reconciliation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The private stream's faults and reconciliation: drops, duplicates, reordering, orders the engine does not hold. */
class BinanceGatewayReconciliationTest {
    private BinanceGatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private void placeAndAwaitAccepted(long id, String qty) {
        h.gateway.submit(h.newOrder(id, Side.BUY, "67000.00", qty, true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(id, ExecType.ACCEPTED).isEmpty());
    }

    @Test
    void fillsWhileTheStreamIsDownAreReportedOnceAfterTheReconnect() throws Exception {
        h = new BinanceGatewayHarness().started();
        placeAndAwaitAccepted(1, "0.01000");
        placeAndAwaitAccepted(2, "0.00500");
        h.fake.fill(h.text(1), "0.002");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 200);

        h.fake.suspendStream();
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.gateway.status().streamConnected());
        h.fake.fill(h.text(1), "0.003");
        h.fake.fill(h.text(2), "0.005");
        h.fake.resumeStream();
        await().atMost(Duration.ofSeconds(10)).until(() -> h.recorder.reconciliations.size() >= 2);

        assertThat(h.recorder.rechecks.get()).isGreaterThanOrEqualTo(2);
        ExecutionReport reconciled = h.recorder.of(1, ExecType.ORDER_STATUS).getFirst();
        assertThat(reconciled.reasonCode()).isEqualTo(GatewayRejectCode.RECONCILED.code());
        assertThat(reconciled.lastQuantityLots()).isEqualTo(500);
        assertThat(reconciled.leavesQuantityLots()).isEqualTo(500);
        Reconciliation second = h.recorder.reconciliations.get(1);
        assertThat(second.trigger()).isEqualTo("reconnect");
        assertThat(second.differences()).anySatisfy(d -> assertThat(d).contains(h.text(1)).contains("500").contains("200"));
        // order 1's fills (0.002 streamed, 0.003 learnt now) are counted; order 2's come with its status query
        assertThat(second.differences()).anySatisfy(d -> assertThat(d).startsWith("BTC balance changed by 0.01 ").endsWith("net fills reported 0.005"));

        // order 2 filled completely while down: the engine's recheck asks its status
        h.gateway.submit(h.status(2, Side.BUY));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(2, ExecType.ORDER_STATUS).isEmpty());
        ExecutionReport done = h.recorder.of(2, ExecType.ORDER_STATUS).getFirst();
        assertThat(done.leavesQuantityLots()).isZero();
        assertThat(done.lastQuantityLots()).isEqualTo(500);

        h.fake.fill(h.text(1), "0.001");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 300);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.filledLots(1) == 300);
        long venueFilled = h.btc.quantityLots(h.fake.order(h.text(1)).executed().toPlainString());
        assertThat(h.recorder.filledLots(1) + (reconciled.lastQuantityLots() - 200)).isEqualTo(venueFilled);
        assertThat(h.recorder.filledLots(2)).isZero();
    }

    @Test
    void aDroppedStreamReconnectsAndReconcilesAgain() throws Exception {
        h = new BinanceGatewayHarness().started();
        long before = h.fake.subscriptions();
        h.fake.dropStream();
        await().atMost(Duration.ofSeconds(10)).until(() -> h.recorder.reconciliations.size() >= 2 && h.gateway.status().streamConnected());
        assertThat(h.fake.subscriptions()).isGreaterThan(before);
        assertThat(h.recorder.rechecks.get()).isGreaterThanOrEqualTo(2);
        assertThat(h.gateway.status().reconciliations()).isGreaterThanOrEqualTo(2);
        assertThat(h.gateway.status().lastReconcile()).contains("reconnect");
    }

    @Test
    void malformedStreamMessagesAreSkippedAndTheStreamCarriesOn() throws Exception {
        h = new BinanceGatewayHarness().started();
        placeAndAwaitAccepted(1, "0.01000");
        h.fake.pushRaw("{not json");
        h.fake.pushRaw("{\"subscriptionId\":0,\"event\":{\"e\":\"executionReport\",\"s\":\"BTCUSDT\",\"c\":\"" + h.text(1)
                + "\",\"x\":\"TRADE\",\"q\":\"abc\",\"z\":\"0.001\",\"t\":1}}");
        h.fake.pushRaw("{\"unexpected\":true}");
        h.fake.fill(h.text(1), "0.004");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 400);
        assertThat(h.gateway.status().streamConnected()).isTrue();
        assertThat(h.gateway.status().budgetUsed()).isPositive();
    }

    @Test
    void duplicateAndOutOfOrderExecutionReportsAreCountedOnce() throws Exception {
        h = new BinanceGatewayHarness().started();
        placeAndAwaitAccepted(1, "0.01000");
        String first = h.fake.fillQuietly(h.text(1), "0.002");
        String second = h.fake.fillQuietly(h.text(1), "0.003");
        String third = h.fake.fillQuietly(h.text(1), "0.005");
        h.fake.push(second);
        h.fake.push(first);
        h.fake.push(second);
        h.fake.push(third);
        h.fake.push(third);
        h.fake.push(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> h.recorder.filledLots(1) == 1000);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.filledLots(1) == 1000);
        long venueFilled = h.btc.quantityLots(h.fake.order(h.text(1)).executed().toPlainString());
        assertThat(h.recorder.filledLots(1)).isEqualTo(venueFilled);
        assertThat(h.recorder.of(1, ExecType.FILLED)).singleElement().satisfies(r -> assertThat(r.leavesQuantityLots()).isZero());
    }

    @Test
    void ordersTheEngineDoesNotHoldAreReportedAndForeignOnesCancelledUnderTheCancelPolicy() throws Exception {
        h = new BinanceGatewayHarness();
        FakeBinanceVenue.Order ours = h.fake.placeDirect("BTCUSDT", h.text(42), "SELL", "69000.00", "0.00300");
        FakeBinanceVenue.Order foreign = h.fake.placeDirect("BTCUSDT", "web_foreign1", "BUY", "60000.00", "0.00100");
        h.started();
        Reconciliation r = h.recorder.reconciliations.getFirst();
        assertThat(r.trigger()).isEqualTo("start");
        assertThat(r.ourOrders()).isEqualTo(1);
        assertThat(r.foreignCancelled()).containsExactly(Long.toString(foreign.orderId));
        assertThat(r.foreignLeft()).isEmpty();
        assertThat(r.differences()).anySatisfy(d -> assertThat(d).contains("web_foreign1"));
        ExecutionReport status = h.recorder.of(42, ExecType.ORDER_STATUS).getFirst();
        assertThat(status.reasonCode()).isEqualTo(GatewayRejectCode.RECONCILED.code());
        assertThat(status.leavesQuantityLots()).isEqualTo(300);
        assertThat(status.priceTicks()).isEqualTo(6_900_000);
        assertThat(status.side()).isEqualTo(Side.SELL);
        assertThat(status.venueOrderId()).isEqualTo(ours.orderId);
        await().atMost(Duration.ofSeconds(5)).until(() -> foreign.status().equals("CANCELED"));
        assertThat(ours.status()).isEqualTo("NEW");
        assertThat(h.recorder.rechecks.get()).isEqualTo(1);
    }

    @Test
    void foreignOrdersAreLeftUnderTheLeavePolicy() throws Exception {
        FakeBinanceVenue fake = new FakeBinanceVenue(BinanceGatewayHarness.KEY, BinanceGatewayHarness.SECRET);
        FakeBinanceVenue.Order foreign = fake.placeDirect("BTCUSDT", "web_foreign2", "BUY", "60000.00", "0.00100");
        h = new BinanceGatewayHarness(fake, BinanceGatewayHarness.SECRET, BinanceGatewayHarness::leaveForeign).started();
        Reconciliation r = h.recorder.reconciliations.getFirst();
        assertThat(r.foreignLeft()).containsExactly(Long.toString(foreign.orderId));
        assertThat(r.foreignCancelled()).isEmpty();
        assertThat(r.summary()).contains("1 foreign left");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> foreign.status().equals("NEW"));
        assertThat(h.fake.received("DELETE", "/api/v3/order")).isEmpty();
    }
}
