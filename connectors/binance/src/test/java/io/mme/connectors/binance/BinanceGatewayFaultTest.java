package io.mme.connectors.binance;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.venue.GatewayRejectCode;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Faults on the REST side: timeouts, 5xx, 429 / 418 with Retry-After, a retry storm, clock skew. */
class BinanceGatewayFaultTest {
    private static final String ORDER = "/api/v3/order";
    private BinanceGatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private void placeAndAwaitAccepted(long id) {
        h.gateway.submit(h.newOrder(id, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(id, ExecType.ACCEPTED).isEmpty());
    }

    @Test
    void newWhoseAnswerTimesOutIsNeverSentAgainAndAStatusQueryResolvesIt() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.fake.delayNext("POST", ORDER, 1, 2_000);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.fake.order(h.text(1)) != null);
        h.fake.fillQuietly(h.text(1), "0.00200");
        h.gateway.submit(h.status(1, Side.BUY));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.ORDER_STATUS).isEmpty());
        ExecutionReport status = h.recorder.of(1, ExecType.ORDER_STATUS).getFirst();
        assertThat(status.leavesQuantityLots()).isEqualTo(800);
        assertThat(status.lastQuantityLots()).isEqualTo(200);
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4)).until(() -> h.fake.count("POST", ORDER, h.text(1)) == 1);
        assertThat(h.recorder.of(1, ExecType.REJECTED)).isEmpty();
    }

    @Test
    void newAnswered5xxIsNeverSentAgainAndAStatusQueryResolvesIt() throws Exception {
        h = new BinanceGatewayHarness().started();
        h.fake.failNext("POST", ORDER, 1, 503, true);
        h.gateway.submit(h.newOrder(1, Side.SELL, "68000.00", "0.01000", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.fake.received("POST", ORDER).size() == 1);
        h.gateway.submit(h.status(1, Side.SELL));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.ORDER_STATUS).isEmpty());
        ExecutionReport status = h.recorder.of(1, ExecType.ORDER_STATUS).getFirst();
        assertThat(status.leavesQuantityLots()).isEqualTo(1000);
        assertThat(status.lastQuantityLots()).isZero();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> h.fake.count("POST", ORDER, h.text(1)) == 1);
        assertThat(h.recorder.of(1, ExecType.REJECTED)).isEmpty();
    }

    @Test
    void cancelAnswered5xxIsSentAgainAndTheOrderEndsCancelled() throws Exception {
        h = new BinanceGatewayHarness().started();
        placeAndAwaitAccepted(1);
        h.fake.failNext("DELETE", ORDER, 1, 502, false);
        h.gateway.submit(h.cancel(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty());
        assertThat(h.fake.order(h.text(1)).status()).isEqualTo("CANCELED");
        assertThat(h.fake.received("DELETE", ORDER)).hasSize(2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> h.recorder.of(1, ExecType.CANCELLED).size() == 1);
    }

    @Test
    void cancelExecutedButAnswered5xxEndsCancelledOnceWithoutStream() throws Exception {
        h = new BinanceGatewayHarness().started();
        placeAndAwaitAccepted(1);
        h.fake.suspendStream();
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.gateway.status().streamConnected());
        h.fake.failNext("DELETE", ORDER, 1, 500, true);
        h.gateway.submit(h.cancel(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.CANCELLED).isEmpty()
                || !h.recorder.of(1, ExecType.ORDER_STATUS).isEmpty());
        assertThat(h.fake.order(h.text(1)).status()).isEqualTo("CANCELED");
        assertThat(h.recorder.of(1, ExecType.CANCEL_REJECTED)).isEmpty();
        List<ExecutionReport> statuses = h.recorder.of(1, ExecType.ORDER_STATUS);
        assertThat(statuses).allSatisfy(r -> assertThat(r.leavesQuantityLots()).isZero());
    }

    @Test
    void afterA429NothingIsSentBeforeRetryAfterNewsAreRejectedAndCancelsWait() throws Exception {
        h = new BinanceGatewayHarness().started();
        placeAndAwaitAccepted(10);
        h.fake.throttleNext(429, 1);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(1, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.RATE_LIMITED.code());
        long throttledAt = h.fake.received().stream().filter(r -> r.status() == 429).findFirst().orElseThrow().atMillis();
        for (long id = 2; id <= 5; id++) {
            h.gateway.submit(h.newOrder(id, Side.BUY, "67000.00", "0.01000", true));
        }
        h.gateway.submit(h.cancel(10));
        assertThat(h.gateway.status().backingOffUntilMs()).isPositive();
        for (long id = 2; id <= 5; id++) {
            long finalId = id;
            await().atMost(Duration.ofSeconds(2)).until(() -> !h.recorder.of(finalId, ExecType.REJECTED).isEmpty());
            assertThat(h.recorder.of(id, ExecType.REJECTED).getFirst().reasonCode())
                    .isIn(GatewayRejectCode.RATE_LIMITED.code(), GatewayRejectCode.THROTTLED.code());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(10, ExecType.CANCELLED).isEmpty());
        assertThat(h.fake.requestsDuringBackOff()).isZero();
        assertThat(h.fake.received()).filteredOn(r -> r.atMillis() > throttledAt && !r.path().equals("/api/v3/time"))
                .allSatisfy(r -> assertThat(r.atMillis()).isGreaterThanOrEqualTo(throttledAt + 1_000));
        for (long id = 2; id <= 5; id++) {
            assertThat(h.fake.count("POST", ORDER, h.text(id))).isZero();
        }
    }

    @Test
    void aRetryStormStaysUnderTheOrderLimitAndNeverDrawsASecond429() throws Exception {
        h = new BinanceGatewayHarness(new FakeBinanceVenue(BinanceGatewayHarness.KEY, BinanceGatewayHarness.SECRET), BinanceGatewayHarness.SECRET,
                s -> s.withLimits(6000, 20, 200_000, 0.8)).started();
        h.fake.limits(20, 6000);
        h.fake.throttleNext(429, 1);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REJECTED).isEmpty());
        for (long id = 2; id <= 501; id++) {
            h.gateway.submit(h.newOrder(id, Side.BUY, "60000.00", "0.00100", true));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> h.gateway.status().backingOffUntilMs() == 0);
        for (long id = 502; id <= 1001; id++) {
            h.gateway.submit(h.newOrder(id, Side.BUY, "60000.00", "0.00100", true));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> h.recorder.reports.stream()
                .filter(r -> r.execType() == ExecType.ACCEPTED || r.execType() == ExecType.REJECTED).count() == 1001);
        long accepted = h.recorder.reports.stream().filter(r -> r.execType() == ExecType.ACCEPTED).count();
        assertThat(accepted).isBetween(1L, 20L);
        assertThat(h.recorder.reports).filteredOn(r -> r.execType() == ExecType.REJECTED && r.clientOrderId() > 1)
                .allSatisfy(r -> assertThat(r.reasonCode()).isIn(GatewayRejectCode.THROTTLED.code(), GatewayRejectCode.RATE_LIMITED.code()));
        assertThat(h.fake.throttled()).isEqualTo(1);
        assertThat(h.fake.requestsDuringBackOff()).isZero();
        assertThat(h.fake.maxOrdersIn10s()).isLessThanOrEqualTo(20);
    }

    @Test
    void aVenueClockAlreadyOffAtStartIsMeasuredAndOrdersCarryTheVenueTime() throws Exception {
        FakeBinanceVenue fake = new FakeBinanceVenue(BinanceGatewayHarness.KEY, BinanceGatewayHarness.SECRET);
        fake.clockOffsetMillis(-30_000);
        h = new BinanceGatewayHarness(fake, BinanceGatewayHarness.SECRET, s -> s).started();
        assertThat(h.gateway.status().clockOffsetMs()).isBetween(-31_000L, -29_000L);
        placeAndAwaitAccepted(1);
        assertThat(h.recorder.of(1, ExecType.REJECTED)).isEmpty();
    }

    @Test
    void afterA418BanNothingIsSentUntilTheBanEnds() throws Exception {
        h = new BinanceGatewayHarness().started();
        placeAndAwaitAccepted(10);
        h.fake.throttleNext(418, 2);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(1, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.BANNED.code());
        long bannedAt = h.fake.received().stream().filter(r -> r.status() == 418).findFirst().orElseThrow().atMillis();
        h.gateway.submit(h.newOrder(2, Side.BUY, "67000.00", "0.01000", true));
        h.gateway.submit(h.status(10, Side.BUY));
        await().atMost(Duration.ofSeconds(2)).until(() -> !h.recorder.of(2, ExecType.REJECTED).isEmpty());
        assertThat(h.recorder.of(2, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.BANNED.code());
        await().atMost(Duration.ofSeconds(6)).until(() -> !h.recorder.of(10, ExecType.ORDER_STATUS).isEmpty());
        assertThat(h.fake.requestsDuringBackOff()).isZero();
        assertThat(h.fake.received()).filteredOn(r -> r.atMillis() > bannedAt && !r.path().equals("/api/v3/time"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.atMillis()).isGreaterThanOrEqualTo(bannedAt + 2_000));
    }

    @Test
    void aVenueClockOutsideRecvWindowRejectsTheOrderAsClockSkewWithoutResendingIt() throws Exception {
        h = new BinanceGatewayHarness().started();
        Logger logger = (Logger) LoggerFactory.getLogger(BinanceGateway.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        h.fake.clockOffsetMillis(20_000);
        h.gateway.submit(h.newOrder(1, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(1, ExecType.REJECTED).isEmpty());
        logger.detachAppender(log);
        assertThat(h.recorder.of(1, ExecType.REJECTED).getFirst().reasonCode()).isEqualTo(GatewayRejectCode.CLOCK_SKEW.code());
        assertThat(log.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains(h.text(1)).contains("-1021").contains("not resent");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> Math.abs(h.gateway.status().clockOffsetMs() - 20_000) < 1_000);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> h.fake.count("POST", ORDER, h.text(1)) == 1);
        h.gateway.submit(h.newOrder(2, Side.BUY, "67000.00", "0.01000", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !h.recorder.of(2, ExecType.ACCEPTED).isEmpty());
    }
}
