package io.mme.connectors.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.mme.core.venue.VenueOrder;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Coinbase gateway against {@link FakeCoinbaseVenue} on loopback: order entry, the user
 * channel's cumulative states turned into fills counted once, the faults a venue produces, rate
 * limits and reconciliation.
 */
class CoinbaseGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long a wait for the gateway's next step may take: a bound for a loaded machine (CI shares
     * two cores with other builds), not a measure of speed. Every wait polls its condition and returns
     * as soon as it holds, so a passing test takes no longer for it; a step that never comes still
     * fails, only later.
     */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The request timeout of the tests that do not test timeouts. The start reconciliation's queries
     * (the first signed requests of the JVM: class loading, JIT, EC signing) must not time out on a
     * loaded machine, for a reconciliation that failed is not repeated and start() would wait in vain.
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The timeout tests' request timeout and the venue's delay that outlasts it: short enough to keep
     * those tests quick, the delay far enough past it that a slow answer is still a timeout.
     */
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);
    private static final long CREATE_DELAY_MILLIS = 3 * SHORT_TIMEOUT.toMillis();

    private final KeyPair keys = FakeCoinbaseVenue.newKeyPair();
    private final ClientIdCodec ids = new ClientIdCodec("t1");
    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.0001", null, null, null, null))
            .build();
    private final Instrument btc = registry.find(Venue.COINBASE, "BTC-USD");
    private FakeCoinbaseVenue venue;
    private CoinbaseGateway gateway;
    private RecordingReports reports;
    private long nextId = 1;

    @BeforeEach
    void startVenue() throws Exception {
        venue = new FakeCoinbaseVenue(keys.getPublic());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        venue.close();
    }

    /** the settings a test runs with: the fake's endpoints, short timeouts; withStream false = no user channel */
    private CoinbaseGateway.Settings settings(boolean withStream) {
        return settings(withStream, REQUEST_TIMEOUT);
    }

    private CoinbaseGateway.Settings settings(boolean withStream, Duration requestTimeout) {
        return CoinbaseGateway.Settings.forMode(VenueMode.LIVE)
                .withEndpoints(venue.restBase(), withStream ? venue.userStream() : null)
                .withTimeouts(requestTimeout, Duration.ofMillis(100))
                .withStreamBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private void start(CoinbaseGateway.Settings settings) {
        start(settings, System::currentTimeMillis);
    }

    /** with the gateway on {@code wallClock} (epoch ms): pair it with {@link FakeCoinbaseVenue#clock} */
    private void start(CoinbaseGateway.Settings settings, LongSupplier wallClock) {
        reports = new RecordingReports();
        gateway = new CoinbaseGateway(settings, registry,
                new Credentials(FakeCoinbaseVenue.KEY_NAME, FakeCoinbaseVenue.sec1Pem(keys.getPrivate())), ids, wallClock);
        gateway.start(reports);
        await().atMost(WAIT).until(() -> reports.reconciliations().size() >= 1);
        if (settings.userStream() != null) {
            await().atMost(WAIT).until(venue::streamSubscribed);
        }
    }

    private OrderRequest newOrder(long id, Side side, String price, String quantity, boolean postOnly, TimeInForce tif) {
        return new OrderRequest(OrderCommandType.NEW, 0, btc, id, id, side, btc.priceTicks(price), btc.quantityLots(quantity),
                tif, postOnly, false);
    }

    private OrderRequest command(OrderCommandType type, long target, String price, String quantity) {
        return new OrderRequest(type, 0, btc, target, target, Side.BUY, price == null ? 0 : btc.priceTicks(price),
                quantity == null ? 0 : btc.quantityLots(quantity), TimeInForce.GTC, true, false);
    }

    /** places a post-only GTC buy and waits for ACCEPTED */
    private long placed(String price, String quantity) {
        long id = nextId++;
        gateway.submit(newOrder(id, Side.BUY, price, quantity, true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.ACCEPTED).isEmpty());
        return id;
    }

    private static JsonNode body(FakeCoinbaseVenue.Received r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void placedOrderIsAcceptedFilledFromTheUserChannelAndCancelled() throws Exception {
        start(settings(true));
        long id = placed("67000.00", "0.0100");
        String cid = ids.encode(id);

        FakeCoinbaseVenue.Received create = venue.received().stream().filter(r -> r.path().endsWith("/orders")).findFirst().orElseThrow();
        JsonNode sent = body(create);
        assertThat(sent.path("client_order_id").asText()).isEqualTo(cid);
        assertThat(sent.path("product_id").asText()).isEqualTo("BTC-USD");
        assertThat(sent.path("side").asText()).isEqualTo("BUY");
        JsonNode limit = sent.path("order_configuration").path("limit_limit_gtc");
        assertThat(limit.path("post_only").isBoolean()).isTrue();
        assertThat(limit.path("post_only").asBoolean()).isTrue();
        assertThat(limit.path("base_size").asText()).isEqualTo("0.0100");
        assertThat(limit.path("limit_price").asText()).isEqualTo("67000.00");

        ExecutionReport accepted = reports.of(id, ExecType.ACCEPTED).getFirst();
        String venueId = venue.order(cid).orderId;
        assertThat(accepted.venueOrderId()).isEqualTo(ClientIdCodec.venueOrderKey(venueId));
        assertThat(accepted.leavesQuantityLots()).isEqualTo(100);
        assertThat(accepted.priceTicks()).isEqualTo(6_700_000);

        venue.fill(cid, "0.004");
        await().atMost(WAIT).until(() -> reports.fills(id).size() == 1);
        ExecutionReport fill = reports.fills(id).getFirst();
        assertThat(fill.execType()).isEqualTo(ExecType.PARTIALLY_FILLED);
        assertThat(fill.lastQuantityLots()).isEqualTo(40);
        assertThat(fill.lastPriceTicks()).isEqualTo(6_700_000);
        assertThat(fill.leavesQuantityLots()).isEqualTo(60);
        assertThat(fill.maker()).isTrue();
        assertThat(fill.venueTimestampNanos()).isPositive();

        gateway.submit(command(OrderCommandType.CANCEL, id, null, null));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.CANCELLED).isEmpty());
        ExecutionReport cancelled = reports.of(id, ExecType.CANCELLED).getFirst();
        assertThat(cancelled.lastQuantityLots()).isEqualTo(60);
        assertThat(cancelled.leavesQuantityLots()).isZero();
        assertThat(venue.order(cid).status()).isEqualTo("CANCELLED");
        JsonNode cancelBody = body(venue.received().stream().filter(r -> r.path().endsWith("/batch_cancel")).findFirst().orElseThrow());
        assertThat(cancelBody.path("order_ids").get(0).asText()).isEqualTo(venueId);

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> reports.of(id, ExecType.CANCELLED).size() == 1);
        assertThat(venue.authFailures()).isEmpty();
    }

    @Test
    void immediateOrCancelGoesAsSorLimitIocWithoutPostOnly() throws Exception {
        start(settings(true));
        long id = nextId++;
        gateway.submit(newOrder(id, Side.SELL, "67100.00", "0.0020", false, TimeInForce.IOC));
        await().atMost(WAIT).until(() -> venue.count("POST", "/orders") == 1);
        JsonNode sent = body(venue.received().stream().filter(r -> r.path().endsWith("/orders")).findFirst().orElseThrow());
        JsonNode ioc = sent.path("order_configuration").path("sor_limit_ioc");
        assertThat(ioc.path("base_size").asText()).isEqualTo("0.0020");
        assertThat(ioc.path("limit_price").asText()).isEqualTo("67100.00");
        assertThat(ioc.has("post_only")).isFalse();
        assertThat(sent.path("side").asText()).isEqualTo("SELL");
    }

    @Test
    void refusalsMapToPostOnlyInsufficientFundsOrVenueRejected() {
        start(settings(true));
        venue.market("BTC-USD", "66999.00", "67001.00");
        long crossing = nextId++;
        gateway.submit(newOrder(crossing, Side.BUY, "67001.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(crossing, ExecType.REJECTED).isEmpty());
        assertThat(reports.of(crossing, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.POST_ONLY_WOULD_TAKE.code());

        venue.rejectNextCreate("INSUFFICIENT_FUND");
        long poor = nextId++;
        gateway.submit(newOrder(poor, Side.BUY, "60000.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(poor, ExecType.REJECTED).isEmpty());
        assertThat(reports.of(poor, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.INSUFFICIENT_FUNDS.code());

        venue.rejectNextCreate("INVALID_LIMIT_PRICE");
        long other = nextId++;
        gateway.submit(newOrder(other, Side.BUY, "60000.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(other, ExecType.REJECTED).isEmpty());
        ExecutionReport rejected = reports.of(other, ExecType.REJECTED).getFirst();
        assertThat(rejected.reasonCode()).isEqualTo(GatewayRejectCode.VENUE_REJECTED.code());
        assertThat(rejected.leavesQuantityLots()).isZero();
        assertThat(reports.of(other, ExecType.ACCEPTED)).isEmpty();
    }

    @Test
    void createTimeoutIsRepeatedWithTheSameClientIdAndTheVenueEndsWithOneOrderResolvedByStatus() {
        start(settings(false, SHORT_TIMEOUT));
        venue.delayNextCreates(3, CREATE_DELAY_MILLIS);
        long id = nextId++;
        String cid = ids.encode(id);
        gateway.submit(newOrder(id, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));

        // the first attempt and two repeats (createRetries = 2), all with the same client_order_id
        await().atMost(WAIT).until(() -> venue.creates(cid) == 3);
        // the third attempt times out too: nothing is reported for it (covering its timeout and then some)
        await().during(SHORT_TIMEOUT.multipliedBy(2)).atMost(WAIT).until(() -> reports.of(id).isEmpty() && venue.creates(cid) == 3);
        assertThat(venue.orders()).hasSize(1);
        assertThat(venue.received().stream().filter(r -> r.path().endsWith("/orders")).map(FakeCoinbaseVenue.Received::clientOrderId))
                .containsOnly(cid);

        venue.fill(cid, "0.003");
        gateway.submit(command(OrderCommandType.STATUS, id, null, null));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.ORDER_STATUS).isEmpty());
        ExecutionReport status = reports.of(id, ExecType.ORDER_STATUS).getFirst();
        assertThat(status.leavesQuantityLots()).isEqualTo(70);
        assertThat(status.lastQuantityLots()).isEqualTo(30);
        assertThat(status.priceTicks()).isEqualTo(btc.priceTicks("66000.00"));
        assertThat(status.venueOrderId()).isEqualTo(ClientIdCodec.venueOrderKey(venue.order(cid).orderId));
        assertThat(venue.creates(cid)).isEqualTo(3);
    }

    @Test
    void createTimeoutWithTheUserChannelUpIsResolvedByTheChannelWithoutRepeats() {
        start(settings(true, SHORT_TIMEOUT));
        venue.delayNextCreates(1, CREATE_DELAY_MILLIS);
        long id = nextId++;
        String cid = ids.encode(id);
        gateway.submit(newOrder(id, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.ACCEPTED).isEmpty());
        await().during(Duration.ofMillis(1_000)).atMost(WAIT).until(() -> venue.creates(cid) == 1 && reports.of(id, ExecType.ACCEPTED).size() == 1);
        assertThat(venue.orders()).hasSize(1);
    }

    @Test
    void serverErrorOnCreateIsRepeatedOnceAndAnsweredWithTheExistingOrder() {
        start(settings(false));
        venue.failNextCreates(1, 503, true);
        long id = nextId++;
        String cid = ids.encode(id);
        gateway.submit(newOrder(id, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.ACCEPTED).isEmpty());
        assertThat(venue.creates(cid)).isEqualTo(2);
        assertThat(venue.orders()).hasSize(1);
        assertThat(reports.of(id, ExecType.ACCEPTED).getFirst().venueOrderId()).isEqualTo(ClientIdCodec.venueOrderKey(venue.order(cid).orderId));
    }

    @Test
    void serverErrorsOnEveryCreateAttemptLeaveNothingReportedAndStatusSaysUnknown() {
        start(settings(false));
        venue.failNextCreates(3, 502, false);
        long id = nextId++;
        String cid = ids.encode(id);
        gateway.submit(newOrder(id, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> venue.creates(cid) == 3);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> reports.of(id).isEmpty() && venue.creates(cid) == 3);
        assertThat(venue.orders()).isEmpty();

        gateway.submit(command(OrderCommandType.STATUS, id, null, null));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.ORDER_STATUS).isEmpty());
        ExecutionReport status = reports.of(id, ExecType.ORDER_STATUS).getFirst();
        assertThat(status.leavesQuantityLots()).isZero();
        assertThat(status.lastQuantityLots()).isZero();
        assertThat(venue.creates(cid)).isEqualTo(3);
    }

    @Test
    void cancelThatMeetsServerErrorsIsRepeatedUntilTheOrderIsCancelled() {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        venue.failNextCancels(2, 503);
        gateway.submit(command(OrderCommandType.CANCEL, id, null, null));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.CANCELLED).isEmpty());
        assertThat(venue.order(ids.encode(id)).status()).isEqualTo("CANCELLED");
        assertThat(venue.count("POST", "/orders/batch_cancel")).isEqualTo(3);
        assertThat(reports.of(id, ExecType.CANCEL_REJECTED)).isEmpty();
    }

    @Test
    void cancelOfAnOrderAlreadyFilledIsRejectedAsUnknown() {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        venue.fill(ids.encode(id), "0.0100");
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.FILLED).isEmpty());
        gateway.submit(command(OrderCommandType.CANCEL, id, null, null));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.CANCEL_REJECTED).isEmpty());
        assertThat(reports.of(id, ExecType.CANCEL_REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.UNKNOWN_ORDER.code());
    }

    @Test
    void cancelSubmittedRightAfterTheNewWaitsForItAndIsNotLost() {
        start(settings(true));
        long id = nextId++;
        gateway.submit(newOrder(id, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));
        gateway.submit(command(OrderCommandType.CANCEL, id, null, null));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.CANCELLED).isEmpty());
        List<FakeCoinbaseVenue.Received> log = venue.received();
        int create = -1;
        int cancel = -1;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).path().endsWith("/orders") && create < 0) {
                create = i;
            }
            if (log.get(i).path().endsWith("/batch_cancel") && cancel < 0) {
                cancel = i;
            }
        }
        assertThat(create).isNotNegative();
        assertThat(cancel).isGreaterThan(create);
        assertThat(reports.of(id).getFirst().execType()).isEqualTo(ExecType.ACCEPTED);
    }

    @Test
    void replaceEditsPriceAndSizeAndReportsReplacedWithTheNewLeaves() throws Exception {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        String cid = ids.encode(id);
        venue.fill(cid, "0.0020");
        await().atMost(WAIT).until(() -> reports.fills(id).size() == 1);
        gateway.submit(command(OrderCommandType.REPLACE, id, "66010.50", "0.0050"));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.REPLACED).isEmpty());
        ExecutionReport replaced = reports.of(id, ExecType.REPLACED).getFirst();
        assertThat(replaced.priceTicks()).isEqualTo(btc.priceTicks("66010.50"));
        assertThat(replaced.leavesQuantityLots()).isEqualTo(50);
        JsonNode edit = body(venue.received().stream().filter(r -> r.path().endsWith("/orders/edit")).findFirst().orElseThrow());
        assertThat(edit.path("order_id").asText()).isEqualTo(venue.order(cid).orderId);
        assertThat(edit.path("price").asText()).isEqualTo("66010.50");
        // Coinbase's size is the order's total: what filled plus what is to remain
        assertThat(edit.path("size").asText()).isEqualTo("0.0070");
        assertThat(venue.order(cid).limitPrice()).isEqualByComparingTo("66010.50");

        venue.market("BTC-USD", "66500.00", "66600.00");
        gateway.submit(command(OrderCommandType.REPLACE, id, "66700.00", "0.0050"));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.CANCEL_REJECTED).isEmpty());
        assertThat(reports.of(id, ExecType.CANCEL_REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.POST_ONLY_WOULD_TAKE.code());
    }

    @Test
    void tooManyRequestsWithRetryAfterStopsEveryRequestUntilTheDeadlineAndNewsAreRejected() {
        start(settings(true));
        long resting = placed("66000.00", "0.0100");
        venue.tooManyRequestsNext(1, "2");
        long first = nextId++;
        gateway.submit(newOrder(first, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(first, ExecType.REJECTED).isEmpty());
        assertThat(reports.of(first, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.RATE_LIMITED.code());
        long limitedAt = venue.received().stream().filter(r -> r.status() == 429).findFirst().orElseThrow().receivedMillis();

        long during = nextId++;
        gateway.submit(newOrder(during, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));
        gateway.submit(command(OrderCommandType.CANCEL, resting, null, null));
        await().atMost(WAIT).until(() -> !reports.of(during, ExecType.REJECTED).isEmpty());
        int code = reports.of(during, ExecType.REJECTED).getFirst().reasonCode();
        assertThat(code).isIn(GatewayRejectCode.RATE_LIMITED.code(), GatewayRejectCode.THROTTLED.code());
        assertThat(gateway.status().backingOffUntilMs()).isGreaterThanOrEqualTo(limitedAt + 2_000);

        // the cancel waited for the deadline and was then sent
        await().atMost(WAIT).until(() -> !reports.of(resting, ExecType.CANCELLED).isEmpty());
        assertThat(venue.received().stream().filter(r -> r.receivedMillis() > limitedAt && !r.path().endsWith("/time")))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.receivedMillis()).isGreaterThanOrEqualTo(limitedAt + 2_000));
        assertThat(venue.creates(ids.encode(during))).isZero();
    }

    /**
     * The gateway and the venue share a virtual clock that moves only when the test moves it, so the
     * budget's windows, the back-off and the venue's own one-second windows are counted in the same
     * time whatever the machine's speed: a request that waits for the budget waits for the test, and
     * nothing depends on how long HTTP takes.
     */
    @Test
    void retryStormOfFiveHundredNewsNeverExceedsTheLimitOrProvokesAnother429() {
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        venue.clock(now::get);
        start(settings(true), now::get);
        // the start's requests leave the budget's window
        long limitedAt = now.addAndGet(60_000);
        venue.tooManyRequestsNext(1, "1");
        long first = nextId++;
        gateway.submit(newOrder(first, Side.BUY, "60000.00", "0.0001", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(first).isEmpty());
        assertThat(gateway.status().backingOffUntilMs()).isEqualTo(limitedAt + 1_000);

        // while the back-off runs a new order is refused here and nothing reaches the venue
        long during = nextId++;
        gateway.submit(newOrder(during, Side.BUY, "60000.00", "0.0001", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(during).isEmpty());
        assertThat(reports.of(during).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.RATE_LIMITED.code());
        assertThat(venue.creates(ids.encode(during))).isZero();

        now.addAndGet(999);
        assertThat(gateway.status().backingOffUntilMs()).isEqualTo(limitedAt + 1_000);
        now.addAndGet(1);
        assertThat(gateway.status().backingOffUntilMs()).isZero();

        // the storm, all at one instant: the budget's safe share goes, the rest is refused here
        long from = nextId;
        for (int i = 0; i < 500; i++) {
            long id = nextId++;
            gateway.submit(newOrder(id, Side.BUY, "60000.00", "0.0001", true, TimeInForce.GTC));
        }
        long to = nextId;
        await().atMost(WAIT).until(() -> {
            for (long id = from; id < to; id++) {
                if (reports.of(id).isEmpty()) {
                    return false;
                }
            }
            return true;
        });
        long accepted = 0;
        for (long id = from; id < to; id++) {
            ExecutionReport r = reports.of(id).getFirst();
            if (r.execType() == ExecType.ACCEPTED) {
                accepted++;
            } else {
                assertThat(r.execType()).isEqualTo(ExecType.REJECTED);
                assertThat(r.reasonCode()).isIn(GatewayRejectCode.THROTTLED.code(), GatewayRejectCode.RATE_LIMITED.code());
            }
        }
        assertThat(venue.unsolicited429()).isZero();
        assertThat(venue.received().stream().filter(r -> r.status() == 429)).hasSize(1);
        assertThat(venue.maxPerWindow()).isLessThanOrEqualTo(FakeCoinbaseVenue.PRIVATE_LIMIT_PER_SECOND);
        // from the 429 to the end of the back-off the venue heard nothing but the request it refused
        assertThat(venue.received().stream().filter(r -> r.receivedMillis() >= limitedAt && r.receivedMillis() < limitedAt + 1_000
                && !r.path().endsWith("/time"))).extracting(FakeCoinbaseVenue.Received::status).containsExactly(429);
        assertThat(accepted).isPositive().isLessThanOrEqualTo((long) (FakeCoinbaseVenue.PRIVATE_LIMIT_PER_SECOND * 0.8));
        assertThat(venue.orders()).hasSize((int) accepted);
    }

    @Test
    void tooManyRequestsWithoutRetryAfterBacksOffOneSecondThenDoubles() {
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        venue.clock(now::get);
        start(settings(false), now::get);
        long t0 = now.addAndGet(60_000);
        venue.tooManyRequestsNext(2, null);
        CompletableFutureProbe probe = new CompletableFutureProbe(gateway.balances());
        // the first 429 says nothing: one second
        await().atMost(WAIT).until(() -> gateway.status().backingOffUntilMs() == t0 + 1_000);
        assertThat(accountsFrom(t0)).extracting(FakeCoinbaseVenue.Received::status).containsExactly(429);
        // the repeat waits for the clock, then meets the second 429: two seconds from then
        now.set(t0 + 1_000);
        await().atMost(WAIT).until(() -> gateway.status().backingOffUntilMs() == t0 + 3_000);
        assertThat(accountsFrom(t0)).extracting(FakeCoinbaseVenue.Received::status).containsExactly(429, 429);
        now.set(t0 + 3_000);
        await().atMost(WAIT).until(probe::done);
        assertThat(accountsFrom(t0)).extracting(FakeCoinbaseVenue.Received::receivedMillis).containsExactly(t0, t0 + 1_000, t0 + 3_000);
        assertThat(accountsFrom(t0)).extracting(FakeCoinbaseVenue.Received::status).containsExactly(429, 429, 200);
        assertThat(probe.value()).isNotEmpty();
    }

    private List<FakeCoinbaseVenue.Received> accountsFrom(long fromMillis) {
        return venue.received().stream().filter(r -> r.path().endsWith("/accounts") && r.receivedMillis() >= fromMillis).toList();
    }

    @Test
    void fillsWhileTheUserChannelIsDownAreReportedOnceAfterTheReconnect() {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        String cid = ids.encode(id);
        venue.fill(cid, "0.0010");
        await().atMost(WAIT).until(() -> reports.fills(id).size() == 1);
        int rechecksBefore = reports.rechecks();
        int reconciliationsBefore = reports.reconciliations().size();

        venue.dropStream(true);
        await().atMost(WAIT).until(() -> !gateway.status().streamConnected());
        venue.fill(cid, "0.0030");
        venue.fill(cid, "0.0020");
        venue.acceptStream();

        await().atMost(WAIT).until(() -> reports.reconciliations().size() > reconciliationsBefore && venue.streamSubscribed());
        await().atMost(WAIT).until(() -> reports.engineFilled(id) == 60);
        assertThat(reports.rechecks()).isGreaterThan(rechecksBefore);
        Reconciliation reconnect = reports.reconciliations().getLast();
        assertThat(reconnect.trigger()).isEqualTo("reconnect");
        assertThat(reconnect.ourOrders()).isEqualTo(1);

        venue.fill(cid, "0.0040");
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.FILLED).isEmpty());
        assertThat(reports.engineFilled(id)).isEqualTo(btc.quantityLots(venue.order(cid).filled().toPlainString()));
        assertThat(reports.of(id, ExecType.FILLED).getFirst().lastQuantityLots()).isEqualTo(40);
    }

    @Test
    void repeatedAndLateOrderStatesReportEachFillOnce() {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        String cid = ids.encode(id);
        venue.fill(cid, "0.0040");
        venue.fill(cid, "0.0030");
        venue.pushAgain(cid);
        venue.pushStale(cid, "0.0040");
        venue.pushStale(cid, "0.0000");
        venue.pushAgain(cid);
        await().atMost(WAIT).until(() -> reports.engineFilled(id) == 70);
        venue.fill(cid, "0.0030");
        venue.pushAgain(cid);
        venue.pushStale(cid, "0.0070");
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.FILLED).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> reports.fills(id).size() == 3);

        assertThat(reports.fills(id)).extracting(ExecutionReport::lastQuantityLots).containsExactly(40L, 30L, 30L);
        assertThat(reports.fills(id)).extracting(ExecutionReport::lastPriceTicks).containsOnly(btc.priceTicks("66000.00"));
        assertThat(reports.fills(id)).extracting(ExecutionReport::tradeId).doesNotHaveDuplicates();
        assertThat(reports.of(id, ExecType.FILLED)).hasSize(1);
        assertThat(reports.of(id, ExecType.FILLED).getFirst().leavesQuantityLots()).isZero();
        assertThat(reports.engineFilled(id)).isEqualTo(btc.quantityLots(venue.order(cid).filled().toPlainString()));
    }

    @Test
    void malformedUserChannelMessagesAreSkippedAndTheChannelCarriesOn() {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        String cid = ids.encode(id);
        venue.pushRaw("{not json at all");
        // an order with a quantity off the instrument's grid, beside a readable one in the same message
        venue.pushRaw("{\"channel\":\"user\",\"events\":[{\"type\":\"update\",\"orders\":["
                + "{\"client_order_id\":\"" + cid + "\",\"order_id\":\"x\",\"status\":\"OPEN\",\"cumulative_quantity\":\"0.00001\"},"
                + "{\"client_order_id\":\"" + cid + "\",\"order_id\":\"" + venue.order(cid).orderId + "\",\"status\":\"OPEN\","
                + "\"cumulative_quantity\":\"0.0010\",\"leaves_quantity\":\"0.0090\",\"filled_value\":\"66\",\"limit_price\":\"66000.00\"}]}]}");
        await().atMost(WAIT).until(() -> reports.fills(id).size() == 1);
        venue.fill(cid, "0.0030");
        await().atMost(WAIT).until(() -> reports.engineFilled(id) == 30);
        assertThat(reports.fills(id)).extracting(ExecutionReport::lastQuantityLots).containsExactly(10L, 20L);
        assertThat(gateway.status().streamConnected()).isTrue();
    }

    @Test
    void aSequenceGapOnTheUserChannelTriggersReconciliation() {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        venue.loseNextMessage();
        venue.fill(ids.encode(id), "0.0010");
        await().atMost(WAIT).until(() -> reports.reconciliations().stream().anyMatch(r -> r.trigger().equals("sequence gap")));
        await().atMost(WAIT).until(() -> reports.engineFilled(id) == 10);
    }

    @Test
    void fillPriceIsTheIncreaseOfFilledValueOverTheQuantity() {
        start(settings(true));
        long id = nextId++;
        gateway.submit(newOrder(id, Side.SELL, "65000.00", "0.0100", false, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.ACCEPTED).isEmpty());
        String cid = ids.encode(id);
        venue.fill(cid, "0.0025", "65010.37");
        await().atMost(WAIT).until(() -> reports.fills(id).size() == 1);
        ExecutionReport fill = reports.fills(id).getFirst();
        assertThat(fill.lastPriceTicks()).isEqualTo(btc.priceTicks("65010.37"));
        assertThat(fill.priceTicks()).isEqualTo(btc.priceTicks("65000.00"));
        assertThat(fill.side()).isEqualTo(Side.SELL);
        // not post-only, but it rested (seen OPEN) before the fill: a maker fill
        assertThat(fill.maker()).isTrue();

        // the second fill's price comes from the increase of filled_value alone, not from the average
        venue.fill(cid, "0.0025", "65020.00");
        await().atMost(WAIT).until(() -> reports.fills(id).size() == 2);
        assertThat(reports.fills(id).get(1).lastPriceTicks()).isEqualTo(btc.priceTicks("65020.00"));
    }

    @Test
    void ourUnknownOrderIsReportedReconciledAndAForeignOneCancelledUnderCancelPolicy() {
        String oursVenueId = venue.holdOrder("t1-zz", "BTC-USD", "SELL", "0.0200", "70000.00");
        String foreignVenueId = venue.holdOrder("someone-else-1", "BTC-USD", "BUY", "0.0500", "60000.00");
        venue.holdOrder("t2-1", "BTC-USD", "BUY", "0.0100", "60000.00");
        venue.fill("t1-zz", "0.0050");
        start(settings(true).withUnknownOrders(UnknownOrderPolicy.CANCEL));

        long oursId = ids.decode("t1-zz");
        List<ExecutionReport> status = reports.of(oursId, ExecType.ORDER_STATUS);
        assertThat(status).hasSize(1);
        assertThat(status.getFirst().reasonCode()).isEqualTo(GatewayRejectCode.RECONCILED.code());
        assertThat(status.getFirst().leavesQuantityLots()).isEqualTo(150);
        assertThat(status.getFirst().lastQuantityLots()).isEqualTo(50);
        assertThat(status.getFirst().priceTicks()).isEqualTo(btc.priceTicks("70000.00"));
        assertThat(status.getFirst().side()).isEqualTo(Side.SELL);
        assertThat(status.getFirst().venueOrderId()).isEqualTo(ClientIdCodec.venueOrderKey(oursVenueId));

        Reconciliation result = reports.reconciliations().getFirst();
        assertThat(result.trigger()).isEqualTo("start");
        assertThat(result.ourOrders()).isEqualTo(1);
        // another run's tag is not ours either
        assertThat(result.foreignCancelled()).containsExactlyInAnyOrder(foreignVenueId, venue.order("t2-1").orderId);
        assertThat(result.foreignLeft()).isEmpty();
        assertThat(result.differences()).anySatisfy(d -> assertThat(d).contains(foreignVenueId));
        assertThat(result.balances()).extracting(VenueBalance::asset).contains("BTC", "USD");
        assertThat(venue.order("someone-else-1").status()).isEqualTo("CANCELLED");
        assertThat(venue.order("t1-zz").status()).isEqualTo("OPEN");
        assertThat(reports.rechecks()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void foreignOrderIsLeftAndListedUnderLeavePolicy() {
        String foreignVenueId = venue.holdOrder("someone-else-1", "BTC-USD", "BUY", "0.0500", "60000.00");
        start(settings(true).withUnknownOrders(UnknownOrderPolicy.LEAVE));
        Reconciliation result = reports.reconciliations().getFirst();
        assertThat(result.foreignLeft()).containsExactly(foreignVenueId);
        assertThat(result.foreignCancelled()).isEmpty();
        assertThat(result.differences()).anySatisfy(d -> assertThat(d).contains(foreignVenueId));
        assertThat(venue.order("someone-else-1").status()).isEqualTo("OPEN");
        assertThat(venue.count("POST", "/orders/batch_cancel")).isZero();
    }

    @Test
    void reconciliationListsBalanceChangesBesideTheFillsReported() {
        start(settings(true));
        long id = placed("66000.00", "0.0100");
        venue.fill(ids.encode(id), "0.0040");
        await().atMost(WAIT).until(() -> reports.fills(id).size() == 1);
        int before = reports.reconciliations().size();
        venue.dropStream(false);
        await().atMost(WAIT).until(() -> reports.reconciliations().size() > before);
        Reconciliation result = reports.reconciliations().getLast();
        assertThat(result.differences()).anySatisfy(d -> assertThat(d).contains("BTC balance changed by 0.004")
                .contains("net fills reported 0.004"));
    }

    @Test
    void openOrdersFollowTheCursorAndCancelAllBatchCancelsThem() throws Exception {
        start(settings(true));
        venue.pageSize(2);
        long a = placed("66000.00", "0.0100");
        long b = placed("66001.00", "0.0100");
        long c = placed("66002.00", "0.0100");
        List<VenueOrder> open = gateway.openOrders().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(open).extracting(VenueOrder::clientOrderId).containsExactlyInAnyOrder(ids.encode(a), ids.encode(b), ids.encode(c));
        assertThat(open).allSatisfy(o -> assertThat(o.instrumentId()).isEqualTo(btc.id()));

        assertThat(gateway.cancelAll().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(venue.orders()).allSatisfy(o -> assertThat(o.status()).isEqualTo("CANCELLED"));
        await().atMost(WAIT).until(() -> reports.ofType(ExecType.CANCELLED).size() == 3);
    }

    @Test
    void balancesAndFeesAreReadFromAccountsAndTransactionSummary() throws Exception {
        start(settings(true));
        venue.balance("BTC", "1.5", "0.25");
        List<VenueBalance> balances = gateway.balances().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        VenueBalance btcBalance = balances.stream().filter(x -> x.asset().equals("BTC")).findFirst().orElseThrow();
        assertThat(btcBalance.free()).isEqualByComparingTo("1.5");
        assertThat(btcBalance.locked()).isEqualByComparingTo("0.25");
        VenueFees fees = gateway.fees(btc).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(fees.venueSymbol()).isEqualTo("BTC-USD");
        assertThat(fees.maker()).isEqualByComparingTo(new BigDecimal("0.006"));
        assertThat(fees.taker()).isEqualByComparingTo(new BigDecimal("0.012"));
    }

    @Test
    void aKeyTheVenueDoesNotKnowIsRejectedAsAuthentication() {
        reports = new RecordingReports();
        KeyPair stranger = FakeCoinbaseVenue.newKeyPair();
        gateway = new CoinbaseGateway(settings(false), registry,
                new Credentials(FakeCoinbaseVenue.KEY_NAME, FakeCoinbaseVenue.pkcs8Pem(stranger.getPrivate())), ids);
        gateway.start(reports);
        long id = nextId++;
        gateway.submit(newOrder(id, Side.BUY, "66000.00", "0.0100", true, TimeInForce.GTC));
        await().atMost(WAIT).until(() -> !reports.of(id, ExecType.REJECTED).isEmpty());
        assertThat(reports.of(id, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.AUTHENTICATION.code());
        assertThat(venue.authFailures()).anySatisfy(f -> assertThat(f).contains("bad signature"));
        assertThat(venue.orders()).isEmpty();
    }

    @Test
    void jwtsAreDatedWithTheVenueClock() {
        // a venue clock 50 s ahead: tokens dated with ours would fall outside its nbf window
        venue.clockOffsetMillis(50_000);
        start(settings(true));
        placed("66000.00", "0.0100");
        assertThat(venue.authFailures()).isEmpty();
        assertThat(gateway.status().clockOffsetMs()).isBetween(49_000L, 51_000L);
    }

    @Test
    void settingsForEachMode() {
        CoinbaseGateway.Settings live = CoinbaseGateway.Settings.forMode(VenueMode.LIVE);
        assertThat(live.restBase()).isEqualTo(URI.create("https://api.coinbase.com/api/v3/brokerage"));
        assertThat(live.userStream()).isEqualTo(URI.create("wss://advanced-trade-ws-user.coinbase.com"));
        assertThat(live.privateRequestsPerSecond()).isEqualTo(30);
        assertThat(live.unknownOrders()).isEqualTo(UnknownOrderPolicy.CANCEL);
        CoinbaseGateway.Settings testnet = CoinbaseGateway.Settings.forMode(VenueMode.TESTNET);
        assertThat(testnet.restBase()).isEqualTo(URI.create("https://api-sandbox.coinbase.com/api/v3/brokerage"));
        assertThat(testnet.userStream()).isNull();
        assertThatThrownBy(() -> CoinbaseGateway.Settings.forMode(VenueMode.PAPER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("paper");
    }

    @Test
    void testnetRunsWithoutAUserChannelSaysSoInTheLogAndReconcilesAtStart() {
        Logger logger = (Logger) LoggerFactory.getLogger(CoinbaseGateway.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            start(CoinbaseGateway.Settings.forMode(VenueMode.TESTNET).withEndpoints(venue.restBase(), null)
                    .withTimeouts(REQUEST_TIMEOUT, Duration.ofMillis(100)));
        } finally {
            logger.detachAppender(log);
        }
        assertThat(gateway.mode()).isEqualTo(VenueMode.TESTNET);
        assertThat(log.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("RUNNING WITHOUT THE PRIVATE STREAM").contains("sandbox");
        });
        assertThat(venue.streamSubscribed()).isFalse();
        assertThat(gateway.status().streamConnected()).isFalse();
        assertThat(reports.reconciliations().getFirst().trigger()).isEqualTo("start");
        assertThat(gateway.status().reconciliations()).isEqualTo(1);
        long id = placed("66000.00", "0.0100");
        assertThat(reports.of(id, ExecType.ACCEPTED)).hasSize(1);
    }

    /** a future's outcome, polled by Awaitility */
    private static final class CompletableFutureProbe {
        private final java.util.concurrent.CompletableFuture<List<VenueBalance>> future;

        CompletableFutureProbe(java.util.concurrent.CompletableFuture<List<VenueBalance>> future) {
            this.future = future;
        }

        boolean done() {
            return future.isDone();
        }

        List<VenueBalance> value() {
            return future.join();
        }
    }
}
