package io.mme.venuegateway;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.matching.CancelReason;
import io.mme.matching.RejectReason;
import io.mme.venuegateway.VenueHarness.Report;
import io.mme.venuegateway.VenueHarness.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.mme.venuegateway.VenueHarness.INSTRUMENT;
import static io.mme.venuegateway.VenueProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every order entry message's round trip over loopback TCP, against the real threads. */
class VenueOrderEntryTest {
    private final VenueHarness venue = new VenueHarness(c -> c);

    @AfterEach
    void close() throws Exception {
        venue.close();
    }

    @Test
    void newOrderIsAcceptedAndRestsWithAVenueOrderId() {
        Session a = venue.login(1);
        a.client.newOrder(INSTRUMENT, 11, Side.BUY, TimeInForce.GTC, false, 100, 5);
        Report r = a.report(1);
        assertThat(r.execType()).isEqualTo(EXEC_ACCEPTED);
        assertThat(r.clientOrderId()).isEqualTo(11);
        assertThat(r.venueOrderId()).isPositive();
        assertThat(r.side()).isEqualTo(Side.BUY);
        assertThat(r.price()).isEqualTo(100);
        assertThat(r.leaves()).isEqualTo(5);
        assertThat(r.sessionId()).isEqualTo(1);
    }

    @Test
    void crossingOrderFillsTakerAndMakerWithPriceQuantityAndLeaves() {
        Session maker = venue.login(1);
        Session taker = venue.login(2);
        maker.client.newOrder(INSTRUMENT, 1, Side.SELL, TimeInForce.GTC, false, 100, 10);
        assertThat(maker.report(1).execType()).isEqualTo(EXEC_ACCEPTED);
        taker.client.newOrder(INSTRUMENT, 1, Side.BUY, TimeInForce.GTC, false, 101, 4);
        assertThat(taker.report(1).execType()).isEqualTo(EXEC_ACCEPTED);
        Report takerFill = taker.report(2);
        assertThat(takerFill.execType()).isEqualTo(EXEC_FILLED);
        assertThat(takerFill.lastQuantity()).isEqualTo(4);
        assertThat(takerFill.lastPrice()).isEqualTo(100);
        assertThat(takerFill.leaves()).isZero();
        assertThat(takerFill.maker()).isFalse();
        Report makerFill = maker.report(2);
        assertThat(makerFill.execType()).isEqualTo(EXEC_PARTIALLY_FILLED);
        assertThat(makerFill.clientOrderId()).isEqualTo(1);
        assertThat(makerFill.lastQuantity()).isEqualTo(4);
        assertThat(makerFill.leaves()).isEqualTo(6);
        assertThat(makerFill.maker()).isTrue();
    }

    @Test
    void cancelOfRestingOrderIsCancelledAndOfUnknownOrderIsRefused() {
        Session a = venue.login(1);
        a.client.newOrder(INSTRUMENT, 5, Side.SELL, TimeInForce.GTC, false, 200, 3);
        a.client.cancel(INSTRUMENT, 5);
        a.client.cancel(INSTRUMENT, 6);
        assertThat(a.report(1).execType()).isEqualTo(EXEC_ACCEPTED);
        Report cancelled = a.report(2);
        assertThat(cancelled.execType()).isEqualTo(EXEC_CANCELLED);
        assertThat(cancelled.clientOrderId()).isEqualTo(5);
        assertThat(cancelled.lastQuantity()).isEqualTo(3);
        assertThat(cancelled.reason()).isEqualTo(CancelReason.USER.code());
        Report refused = a.report(3);
        assertThat(refused.execType()).isEqualTo(EXEC_CANCEL_REJECTED);
        assertThat(refused.clientOrderId()).isEqualTo(6);
        assertThat(refused.reason()).isEqualTo(GatewayReason.UNKNOWN_CLIENT_ORDER_ID.code());
    }

    @Test
    void replaceMovesTheOrderAndReportsTheNewPriceAndQuantity() {
        Session a = venue.login(1);
        a.client.newOrder(INSTRUMENT, 9, Side.BUY, TimeInForce.GTC, false, 100, 3);
        a.client.replace(INSTRUMENT, 9, 98, 7);
        a.client.requestSnapshot(INSTRUMENT);
        Report replaced = a.report(2);
        assertThat(replaced.execType()).isEqualTo(EXEC_REPLACED);
        assertThat(replaced.clientOrderId()).isEqualTo(9);
        assertThat(replaced.price()).isEqualTo(98);
        assertThat(replaced.leaves()).isEqualTo(7);
        a.await(() -> a.snapshotSequence >= 0, "the snapshot");
        assertThat(a.snapshotLevels).singleElement().satisfies(l -> assertThat(l).containsExactly(0, 98, 7, 1));
    }

    @Test
    void iocRemainderIsCancelledFokThatCannotFillIsCancelledAndCrossingPostOnlyIsRejected() {
        Session maker = venue.login(1);
        Session taker = venue.login(2);
        maker.client.newOrder(INSTRUMENT, 1, Side.SELL, TimeInForce.GTC, false, 100, 2);
        maker.report(1);
        taker.client.newOrder(INSTRUMENT, 1, Side.BUY, TimeInForce.FOK, false, 100, 5);
        taker.client.newOrder(INSTRUMENT, 2, Side.BUY, TimeInForce.GTC, true, 100, 1);
        taker.client.newOrder(INSTRUMENT, 3, Side.BUY, TimeInForce.IOC, false, 100, 5);
        taker.await(() -> taker.reports.size() >= 6, "FOK, post-only and IOC answers");
        assertThat(taker.reports.get(1).execType()).isEqualTo(EXEC_CANCELLED);
        assertThat(taker.reports.get(1).reason()).isEqualTo(CancelReason.FOK_UNFILLED.code());
        assertThat(taker.reports.get(2).execType()).isEqualTo(EXEC_REJECTED);
        assertThat(taker.reports.get(2).reason()).isEqualTo(RejectReason.POST_ONLY_WOULD_CROSS.code());
        assertThat(taker.reports.get(4)).satisfies(r -> {
            assertThat(r.execType()).isEqualTo(EXEC_PARTIALLY_FILLED);
            assertThat(r.lastQuantity()).isEqualTo(2);
            assertThat(r.leaves()).isEqualTo(3);
        });
        assertThat(taker.reports.get(5)).satisfies(r -> {
            assertThat(r.execType()).isEqualTo(EXEC_CANCELLED);
            assertThat(r.lastQuantity()).isEqualTo(3);
            assertThat(r.reason()).isEqualTo(CancelReason.IOC_REMAINDER.code());
        });
    }

    @Test
    void duplicateLiveClientOrderIdIsRejected() {
        Session a = venue.login(1);
        a.client.newOrder(INSTRUMENT, 4, Side.BUY, TimeInForce.GTC, false, 100, 1);
        a.client.newOrder(INSTRUMENT, 4, Side.BUY, TimeInForce.GTC, false, 101, 1);
        Report dup = a.report(2);
        assertThat(dup.execType()).isEqualTo(EXEC_REJECTED);
        assertThat(dup.reason()).isEqualTo(GatewayReason.DUPLICATE_CLIENT_ORDER_ID.code());
    }

    @Test
    void sessionEndCancelsItsOrdersAndLogoutEndsWithItsReason() {
        Session a = venue.login(1);
        a.client.newOrder(INSTRUMENT, 1, Side.BUY, TimeInForce.GTC, false, 100, 1);
        a.report(1);
        a.client.logout();
        a.awaitEnd();
        assertThat(a.endReason).isEqualTo(GatewayReason.LOGOUT.code());
        Session b = venue.login(2);
        b.client.requestSnapshot(INSTRUMENT);
        b.await(() -> b.snapshotSequence >= 0, "the snapshot");
        assertThat(b.snapshotLevels).as("session 1's order was cancelled when it logged out").isEmpty();
    }

    @Test
    void badCredentialsAndASecondLoginOfTheSameSessionEndTheConnection() {
        Session wrong = venue.connect();
        wrong.client.login(1, "not-the-token");
        wrong.awaitEnd();
        assertThat(wrong.endReason).isEqualTo(GatewayReason.BAD_CREDENTIALS.code());
        venue.login(2);
        Session again = venue.connect();
        again.client.login(2, VenueHarness.SESSIONS.get(2L));
        again.awaitEnd();
        assertThat(again.endReason).isEqualTo(GatewayReason.SESSION_ALREADY_ACTIVE.code());
        assertThat(venue.server.counters().count(GatewayReason.BAD_CREDENTIALS)).isEqualTo(1);
    }
}
