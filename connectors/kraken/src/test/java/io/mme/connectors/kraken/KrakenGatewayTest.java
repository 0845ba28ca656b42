package io.mme.connectors.kraken;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.venue.ClientIdCodec;
import io.mme.core.venue.Credentials;
import io.mme.core.venue.GatewayRejectCode;
import io.mme.core.venue.OrderRequest;
import io.mme.core.venue.Reconciliation;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueBalance;
import io.mme.core.venue.VenueFees;
import io.mme.core.venue.VenueMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class KrakenGatewayTest {
    private static final InstrumentRegistry REGISTRY = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.KRAKEN, "BTC/USD", "BTC", "USD", "0.1", "0.00000001", null, null, 1, 8))
            .build();
    private static final Instrument BTC = REGISTRY.find(Venue.KRAKEN, "BTC/USD");

    private final ClientIdCodec ids = new ClientIdCodec("t1");
    private final RecordingReports reports = new RecordingReports();
    private FakeKrakenVenue fake;
    private KrakenGateway gateway;

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeKrakenVenue(Map.of("XBTUSD", "BTC/USD"));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        fake.close();
    }

    /** the env-free way to point a gateway at the fake */
    private KrakenGateway.Settings settings() {
        return KrakenGateway.Settings.forMode(VenueMode.LIVE)
                .withEndpoints(fake.restBase(), fake.streamUri())
                .withRestPairs(Map.of("BTC/USD", "XBTUSD"))
                .withTimings(Duration.ofMillis(400), Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1))
                .withLimits(1000, 100, 60, 1);
    }

    private void start(KrakenGateway.Settings settings) {
        gateway = new KrakenGateway(settings, REGISTRY, new Credentials(FakeKrakenVenue.KEY, FakeKrakenVenue.SECRET), ids);
        gateway.start(reports);
        await().atMost(Duration.ofSeconds(10)).until(() -> reports.reconciliations().size() == 1 && gateway.status().streamConnected());
    }

    private static OrderRequest newOrder(long id, Side side, String price, String quantity, boolean postOnly, TimeInForce tif) {
        return new OrderRequest(OrderCommandType.NEW, 0, BTC, id, 0, side, BTC.priceTicks(price), BTC.quantityLots(quantity), tif, postOnly, false);
    }

    private static OrderRequest buy(long id, String quantity) {
        return newOrder(id, Side.BUY, "37500.0", quantity, true, TimeInForce.GTC);
    }

    private static OrderRequest command(OrderCommandType type, long id) {
        return new OrderRequest(type, 0, BTC, id, id, Side.BUY, 0, 0, TimeInForce.GTC, false, false);
    }

    private ExecutionReport awaitReport(long id, ExecType type) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !reports.of(id, type).isEmpty());
        return reports.of(id, type).getFirst();
    }

    private void placeAndAwaitAccepted(long id, String quantity) {
        gateway.submit(buy(id, quantity));
        awaitReport(id, ExecType.ACCEPTED);
    }

    @Test
    void placeFillCancelWithPostOnlySentAsOflagsPost() {
        start(settings());

        gateway.submit(buy(1, "1.25"));
        ExecutionReport accepted = awaitReport(1, ExecType.ACCEPTED);
        String txid = fake.order(ids.encode(1)).txid;
        assertThat(accepted.venueOrderId()).isEqualTo(ClientIdCodec.venueOrderKey(txid));
        assertThat(accepted.leavesQuantityLots()).isEqualTo(BTC.quantityLots("1.25"));
        assertThat(accepted.priceTicks()).isEqualTo(BTC.priceTicks("37500.0"));
        assertThat(accepted.venueId()).isEqualTo(Venue.KRAKEN.id());
        Map<String, String> form = fake.received("AddOrder").getFirst().form();
        assertThat(form).containsEntry("oflags", "post").containsEntry("pair", "XBTUSD").containsEntry("type", "buy")
                .containsEntry("ordertype", "limit").containsEntry("price", "37500.0").containsEntry("volume", "1.25000000")
                .containsEntry("cl_ord_id", ids.encode(1)).doesNotContainKey("timeinforce");

        fake.fill(ids.encode(1), "0.5", true);
        ExecutionReport fill = awaitReport(1, ExecType.PARTIALLY_FILLED);
        assertThat(fill.lastQuantityLots()).isEqualTo(BTC.quantityLots("0.5"));
        assertThat(fill.lastPriceTicks()).isEqualTo(BTC.priceTicks("37500.0"));
        assertThat(fill.leavesQuantityLots()).isEqualTo(BTC.quantityLots("0.75"));
        assertThat(fill.maker()).isTrue();

        gateway.submit(command(OrderCommandType.CANCEL, 1));
        ExecutionReport cancelled = awaitReport(1, ExecType.CANCELLED);
        assertThat(cancelled.lastQuantityLots()).isEqualTo(BTC.quantityLots("0.75"));
        assertThat(cancelled.leavesQuantityLots()).isZero();
        assertThat(fake.order(ids.encode(1)).status).isEqualTo("canceled");
        // the stream's canceled event repeats what the REST answer said: one report only
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> reports.of(1, ExecType.CANCELLED).size() == 1);
    }

    @Test
    void cancelAllOfAnInstrumentCancelsEachOfOurOpenOrdersAndAMalformedExecutionIsSkipped() {
        start(settings());
        placeAndAwaitAccepted(20, "1");
        placeAndAwaitAccepted(21, "2");
        fake.push("{\"channel\":\"executions\",\"type\":\"update\",\"data\":[{\"exec_type\":\"trade\",\"cl_ord_id\":\""
                + ids.encode(20) + "\",\"symbol\":\"BTC/USD\",\"cum_qty\":\"not a number\"}]}");
        fake.push("not json at all");

        gateway.submit(new OrderRequest(OrderCommandType.CANCEL_ALL, 0, BTC, 0, 0, Side.BUY, 0, 0, TimeInForce.GTC, false, false));

        assertThat(awaitReport(20, ExecType.CANCELLED).lastQuantityLots()).isEqualTo(BTC.quantityLots("1"));
        assertThat(awaitReport(21, ExecType.CANCELLED).lastQuantityLots()).isEqualTo(BTC.quantityLots("2"));
        assertThat(fake.received("CancelAll")).isEmpty();
        assertThat(reports.of(20, ExecType.PARTIALLY_FILLED)).isEmpty();
        assertThat(gateway.status().streamConnected()).isTrue();
    }

    @Test
    void immediateOrCancelIsSentAsTimeInForceIocWithoutPostFlag() {
        start(settings());

        gateway.submit(newOrder(2, Side.SELL, "37600.0", "0.1", false, TimeInForce.IOC));
        awaitReport(2, ExecType.ACCEPTED);

        assertThat(fake.received("AddOrder").getFirst().form()).containsEntry("timeinforce", "IOC").containsEntry("type", "sell")
                .doesNotContainKey("oflags");
    }

    @Test
    void venueRefusalIsRejectedWithTheMappedCode() {
        start(settings());
        fake.refuseNextAdd("EOrder:Insufficient funds");

        gateway.submit(buy(3, "1"));

        ExecutionReport rejected = awaitReport(3, ExecType.REJECTED);
        assertThat(rejected.reasonCode()).isEqualTo(GatewayRejectCode.INSUFFICIENT_FUNDS.code());
        assertThat(rejected.leavesQuantityLots()).isZero();
    }

    @Test
    void timeoutOnNewIsNeverResentAndAStatusQueryResolvesIt() {
        start(settings());
        fake.delayNextTrading(1, 1500);

        gateway.submit(buy(4, "1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.addOrders(ids.encode(4)) == 1);
        fake.fill(ids.encode(4), "0.25", false);
        gateway.submit(command(OrderCommandType.STATUS, 4));

        ExecutionReport status = awaitReport(4, ExecType.ORDER_STATUS);
        assertThat(status.leavesQuantityLots()).isEqualTo(BTC.quantityLots("0.75"));
        assertThat(status.lastQuantityLots()).isEqualTo(BTC.quantityLots("0.25"));
        assertThat(status.venueOrderId()).isEqualTo(ClientIdCodec.venueOrderKey(fake.order(ids.encode(4)).txid));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> fake.addOrders(ids.encode(4)) == 1);
        assertThat(reports.of(4, ExecType.REJECTED)).isEmpty();
    }

    @Test
    void fiveHundredOnNewIsNeverResentAndStatusSaysTheVenueDoesNotKnowIt() {
        start(settings());
        fake.fail5xxNextTrading(1);

        gateway.submit(buy(5, "1"));
        gateway.submit(command(OrderCommandType.STATUS, 5));

        ExecutionReport status = awaitReport(5, ExecType.ORDER_STATUS);
        assertThat(status.leavesQuantityLots()).isZero();
        assertThat(status.lastQuantityLots()).isZero();
        assertThat(fake.received("OpenOrders")).anySatisfy(r -> assertThat(r.form()).containsEntry("cl_ord_id", ids.encode(5)));
        assertThat(fake.received("ClosedOrders")).anySatisfy(r -> assertThat(r.form()).containsEntry("cl_ord_id", ids.encode(5)));
        assertThat(fake.addOrders(ids.encode(5))).isEqualTo(1);
        assertThat(reports.of(5, ExecType.ACCEPTED)).isEmpty();
        assertThat(reports.of(5, ExecType.REJECTED)).isEmpty();
    }

    @Test
    void fiveHundredOnCancelIsRetriedUntilTheOrderIsCancelled() {
        start(settings());
        placeAndAwaitAccepted(6, "1");
        fake.fail5xxNextTrading(1);

        gateway.submit(command(OrderCommandType.CANCEL, 6));

        ExecutionReport cancelled = awaitReport(6, ExecType.CANCELLED);
        assertThat(cancelled.lastQuantityLots()).isEqualTo(BTC.quantityLots("1"));
        assertThat(fake.order(ids.encode(6)).status).isEqualTo("canceled");
        assertThat(fake.received("CancelOrder")).hasSize(2);
    }

    @Test
    void cancelWhoseAnswerTimedOutIsResolvedOnceWhileTheStreamIsDown() {
        start(settings());
        placeAndAwaitAccepted(7, "1");
        fake.refuseStream(true);
        fake.dropStream();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.status().streamConnected());
        fake.delayNextTrading(1, 1500);

        gateway.submit(command(OrderCommandType.CANCEL, 7));

        ExecutionReport cancelled = awaitReport(7, ExecType.CANCELLED);
        assertThat(cancelled.lastQuantityLots()).isEqualTo(BTC.quantityLots("1"));
        assertThat(fake.order(ids.encode(7)).status).isEqualTo("canceled");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> reports.of(7, ExecType.CANCELLED).size() == 1
                && reports.of(7, ExecType.CANCEL_REJECTED).isEmpty());
    }

    @Test
    void rateLimitErrorStopsAllSendingForTheBackOffAndRejectsNewsMeanwhile() {
        start(settings());
        fake.rateLimitErrorNextTrading(1);

        gateway.submit(buy(8, "1"));
        assertThat(awaitReport(8, ExecType.REJECTED).reasonCode()).isEqualTo(GatewayRejectCode.RATE_LIMITED.code());
        long limitedAt = fake.received("AddOrder").getLast().receivedMillis();
        gateway.submit(buy(9, "1"));
        gateway.submit(buy(10, "1"));
        assertThat(awaitReport(9, ExecType.REJECTED).reasonCode()).isEqualTo(GatewayRejectCode.THROTTLED.code());
        assertThat(awaitReport(10, ExecType.REJECTED).reasonCode()).isEqualTo(GatewayRejectCode.THROTTLED.code());
        assertThat(gateway.status().backingOffUntilMs()).isGreaterThanOrEqualTo(limitedAt + 1000);

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.status().backingOffUntilMs() == 0);
        gateway.submit(buy(11, "1"));
        awaitReport(11, ExecType.ACCEPTED);

        assertThat(fake.received()).filteredOn(r -> r.receivedMillis() > limitedAt)
                .allSatisfy(r -> assertThat(r.receivedMillis()).isGreaterThanOrEqualTo(limitedAt + 1000));
        assertThat(fake.addOrders(ids.encode(9)) + fake.addOrders(ids.encode(10))).isZero();
    }

    @Test
    void http429WithRetryAfterIsHonouredBeforeAnythingElseIsSent() {
        start(settings());
        placeAndAwaitAccepted(14, "1");
        fake.http429Next(1, 2);

        gateway.submit(buy(12, "1"));
        assertThat(awaitReport(12, ExecType.REJECTED).reasonCode()).isEqualTo(GatewayRejectCode.RATE_LIMITED.code());
        long limitedAt = fake.received("AddOrder").getLast().receivedMillis();
        gateway.submit(buy(13, "1"));
        assertThat(awaitReport(13, ExecType.REJECTED).reasonCode()).isEqualTo(GatewayRejectCode.THROTTLED.code());
        // a cancel and a query asked for during the back-off wait for its end rather than failing
        gateway.submit(command(OrderCommandType.CANCEL, 14));
        List<VenueBalance> balances = gateway.balances().join();
        awaitReport(14, ExecType.CANCELLED);

        assertThat(balances).extracting(VenueBalance::asset).contains("XXBT", "ZUSD");
        assertThat(fake.received()).filteredOn(r -> r.receivedMillis() > limitedAt)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.receivedMillis()).isGreaterThanOrEqualTo(limitedAt + 2000));
    }

    @Test
    void retryStormNeverExceedsTheVenuesTradingLimitNorDrawsARateLimitError() {
        start(settings());

        for (long id = 100; id < 600; id++) {
            gateway.submit(buy(id, "0.01"));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> reports.count(ExecType.ACCEPTED) + reports.count(ExecType.REJECTED) == 500);
        long accepted = reports.count(ExecType.ACCEPTED);
        assertThat(accepted).isPositive().isLessThanOrEqualTo(60);
        assertThat(reports.all()).filteredOn(r -> r.execType() == ExecType.REJECTED)
                .allSatisfy(r -> assertThat(r.reasonCode()).isEqualTo(GatewayRejectCode.THROTTLED.code()));
        assertThat(fake.received("AddOrder")).hasSize((int) accepted);
        assertThat(fake.rateLimitErrorsSent()).isZero();
    }

    @Test
    void aStormAfterARateLimitErrorDrawsNoSecondOne() {
        start(settings());
        fake.rateLimitErrorNextTrading(1);
        gateway.submit(buy(1000, "0.01"));
        awaitReport(1000, ExecType.REJECTED);

        for (long id = 1001; id < 1500; id++) {
            gateway.submit(buy(id, "0.01"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> reports.count(ExecType.REJECTED) == 500);
        assertThat(fake.received("AddOrder")).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.status().backingOffUntilMs() == 0);
        for (long id = 1500; id < 2000; id++) {
            gateway.submit(buy(id, "0.01"));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> reports.count(ExecType.ACCEPTED) + reports.count(ExecType.REJECTED) == 1000);
        assertThat(reports.count(ExecType.ACCEPTED)).isPositive().isLessThanOrEqualTo(60);
        assertThat(fake.rateLimitErrorsSent()).isEqualTo(1);
    }

    @Test
    void fillsWhileTheStreamIsDownAreReportedOnceAfterReconnect() {
        start(settings());
        placeAndAwaitAccepted(30, "1");
        placeAndAwaitAccepted(31, "0.5");
        fake.refuseStream(true);
        fake.dropStream();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.status().streamConnected());
        fake.fill(ids.encode(30), "0.4", true);
        fake.fill(ids.encode(31), "0.5", true);

        fake.refuseStream(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> reports.reconciliations().size() == 2 && reports.rechecks() == 2);
        // the engine, asked to recheck, queries every order it holds open
        gateway.submit(command(OrderCommandType.STATUS, 30));
        gateway.submit(command(OrderCommandType.STATUS, 31));
        await().atMost(Duration.ofSeconds(5)).until(() -> reports.of(30, ExecType.ORDER_STATUS).size() >= 2
                && !reports.of(31, ExecType.ORDER_STATUS).isEmpty());

        assertThat(reports.of(30, ExecType.ORDER_STATUS).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.RECONCILED.code());
        assertThat(reports.of(31, ExecType.ORDER_STATUS).getFirst().leavesQuantityLots()).isZero();
        assertThat(reports.bookedLots(30)).isEqualTo(BTC.quantityLots("0.4"));
        assertThat(reports.bookedLots(31)).isEqualTo(BTC.quantityLots("0.5"));
        assertThat(reports.reconciliations().getLast().trigger()).isEqualTo("reconnect");
        assertThat(reports.reconciliations().getLast().differences()).anyMatch(line -> line.contains(ids.encode(30)));

        fake.fill(ids.encode(30), "0.1", true);
        ExecutionReport later = awaitReport(30, ExecType.PARTIALLY_FILLED);
        assertThat(later.lastQuantityLots()).isEqualTo(BTC.quantityLots("0.1"));
        assertThat(reports.bookedLots(30)).isEqualTo(BTC.quantityLots("0.5"));
        assertThat(reports.of(31, ExecType.FILLED)).isEmpty();
    }

    @Test
    void duplicateAndReorderedExecutionsCountEachFillOnce() {
        start(settings());
        placeAndAwaitAccepted(40, "1");
        String client = ids.encode(40);
        List<String> first = fake.fill(client, "0.2", false);
        List<String> second = fake.fill(client, "0.3", false);
        List<String> third = fake.fill(client, "0.5", false);

        fake.push(second.getFirst());
        fake.push(first.getFirst());
        fake.push(second.getFirst());
        third.forEach(fake::push);
        fake.push(first.getFirst());
        third.forEach(fake::push);

        awaitReport(40, ExecType.FILLED);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> reports.bookedLots(40) == BTC.quantityLots("1") && reports.of(40, ExecType.FILLED).size() == 1);
        long reportedFills = reports.of(40, ExecType.PARTIALLY_FILLED).stream().mapToLong(ExecutionReport::lastQuantityLots).sum()
                + reports.of(40, ExecType.FILLED).stream().mapToLong(ExecutionReport::lastQuantityLots).sum();
        assertThat(reportedFills).isEqualTo(BTC.quantityLots(fake.order(client).executed.toPlainString()));
    }

    @Test
    void ordersTheEngineDoesNotHoldAreReportedAndForeignOnesCancelledUnderCancelPolicy() {
        String ours = fake.placeDirectly(ids.encode(777), "XBTUSD", "sell", "40000.0", "0.1");
        String foreign = fake.placeDirectly("other-bot-1", "XBTUSD", "buy", "30000.0", "0.2");
        String untagged = fake.placeDirectly(null, "XBTUSD", "buy", "30001.0", "0.3");

        start(settings().withUnknownOrders(UnknownOrderPolicy.CANCEL));

        ExecutionReport status = awaitReport(777, ExecType.ORDER_STATUS);
        assertThat(status.reasonCode()).isEqualTo(GatewayRejectCode.RECONCILED.code());
        assertThat(status.leavesQuantityLots()).isEqualTo(BTC.quantityLots("0.1"));
        assertThat(status.priceTicks()).isEqualTo(BTC.priceTicks("40000.0"));
        assertThat(status.side()).isEqualTo(Side.SELL);
        Reconciliation result = reports.reconciliations().getFirst();
        assertThat(result.ourOrders()).isEqualTo(1);
        assertThat(result.foreignCancelled()).containsExactlyInAnyOrder(foreign, untagged);
        assertThat(result.differences()).anyMatch(line -> line.contains(foreign)).anyMatch(line -> line.contains(untagged));
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.orderByTxid(foreign).status.equals("canceled")
                && fake.orderByTxid(untagged).status.equals("canceled"));
        assertThat(fake.orderByTxid(ours).status).isEqualTo("open");
        assertThat(reports.rechecks()).isEqualTo(1);
    }

    @Test
    void foreignOrdersAreLeftUnderLeavePolicy() {
        String foreign = fake.placeDirectly("other-bot-2", "XBTUSD", "buy", "30000.0", "0.2");

        start(settings().withUnknownOrders(UnknownOrderPolicy.LEAVE));

        Reconciliation result = reports.reconciliations().getFirst();
        assertThat(result.foreignLeft()).containsExactly(foreign);
        assertThat(result.foreignCancelled()).isEmpty();
        assertThat(result.differences()).anyMatch(line -> line.contains(foreign) && line.contains("left"));
        assertThat(fake.received("CancelOrder")).isEmpty();
        assertThat(fake.orderByTxid(foreign).status).isEqualTo("open");
    }

    @Test
    void replaceAmendsTheOrderInPlaceAndReportsTheNewPriceAndLeaves() {
        start(settings());
        placeAndAwaitAccepted(50, "1");
        fake.fill(ids.encode(50), "0.25", true);
        awaitReport(50, ExecType.PARTIALLY_FILLED);

        gateway.submit(new OrderRequest(OrderCommandType.REPLACE, 0, BTC, 50, 50, Side.BUY, BTC.priceTicks("37490.0"),
                BTC.quantityLots("0.5"), TimeInForce.GTC, true, false));

        ExecutionReport replaced = awaitReport(50, ExecType.REPLACED);
        assertThat(replaced.priceTicks()).isEqualTo(BTC.priceTicks("37490.0"));
        assertThat(replaced.leavesQuantityLots()).isEqualTo(BTC.quantityLots("0.5"));
        FakeKrakenVenue.Order order = fake.order(ids.encode(50));
        assertThat(fake.received("AmendOrder").getFirst().form()).containsEntry("txid", order.txid)
                .containsEntry("order_qty", "0.75000000").containsEntry("limit_price", "37490.0");
        assertThat(order.price).isEqualTo("37490.0");
        assertThat(order.volume).isEqualByComparingTo("0.75");
    }

    @Test
    void balancesAndFeesComeFromBalanceExAndTradeVolume() {
        start(settings());

        List<VenueBalance> balances = gateway.balances().join();
        VenueFees fees = gateway.fees(BTC).join();

        assertThat(balances).anySatisfy(b -> {
            assertThat(b.asset()).isEqualTo("XXBT");
            assertThat(b.total()).isEqualByComparingTo("1.5");
        });
        assertThat(fees.maker()).isEqualByComparingTo(new BigDecimal("0.0025"));
        assertThat(fees.taker()).isEqualByComparingTo(new BigDecimal("0.004"));
        assertThat(fees.venueSymbol()).isEqualTo("BTC/USD");
    }

    @Test
    void aWrongSecretIsRefusedByTheVenueAndRejectedAsAuthentication() {
        String otherSecret = java.util.Base64.getEncoder().encodeToString(new byte[64]);
        gateway = new KrakenGateway(settings(), REGISTRY, new Credentials(FakeKrakenVenue.KEY, otherSecret), ids);
        gateway.start(reports);

        gateway.submit(buy(60, "1"));

        assertThat(awaitReport(60, ExecType.REJECTED).reasonCode()).isEqualTo(GatewayRejectCode.AUTHENTICATION.code());
        assertThat(fake.authFailures()).isPositive();
        assertThat(fake.order(ids.encode(60))).isNull();
    }

    @Test
    void krakenHasNoTestnetAndPaperIsNotAGatewayMode() {
        assertThatThrownBy(() -> KrakenGateway.Settings.forMode(VenueMode.TESTNET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no spot test environment").hasMessageContaining("paper").hasMessageContaining("live");
        assertThatThrownBy(() -> KrakenGateway.Settings.forMode(VenueMode.PAPER)).isInstanceOf(IllegalArgumentException.class);
        assertThat(KrakenGateway.Settings.forMode(VenueMode.LIVE).restBase().toString()).isEqualTo("https://api.kraken.com");
        assertThat(KrakenGateway.Settings.forMode(VenueMode.LIVE).privateStream().toString()).isEqualTo("wss://ws-auth.kraken.com/v2");
    }

    @Test
    void aMissingRestPairNameIsAConfigurationError() {
        KrakenGateway.Settings noPairs = KrakenGateway.Settings.forMode(VenueMode.LIVE);
        Credentials credentials = new Credentials(FakeKrakenVenue.KEY, FakeKrakenVenue.SECRET);

        assertThatThrownBy(() -> new KrakenGateway(noPairs, REGISTRY, credentials, ids))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BTC/USD");
    }
}
