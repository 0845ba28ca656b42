package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class OpenOrderTrackingTest {

    private static long placed(RiskFixture f, Side side, long lots) {
        assertThat(f.place(BTCUSDT, side, FAIR_TICKS, lots).verdict()).isEqualTo(RiskVerdict.APPROVED);
        return f.lastId();
    }

    @Test
    void anApprovedPlaceIsOpenFromApprovalUnderTheIdOfItsSlot() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        long id = placed(f, Side.BUY, 5);
        assertThat(id).isEqualTo(ClientOrderIds.of(f.event.sequence(), 0));
        assertThat(f.engine.openLeaves(id)).isEqualTo(5);
        assertThat(f.engine.openOrdersOnInstrument(BTCUSDT)).isEqualTo(1);
        assertThat(f.engine.openOrdersOnVenue(Venue.BINANCE.id())).isEqualTo(1);
    }

    @Test
    void acceptedAndPartialFillsUpdateLeavesAndFilledCloses() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        long id = placed(f, Side.BUY, 5);
        f.report(ExecType.ACCEPTED, id, BTCUSDT, Side.BUY, FAIR_TICKS, 5);
        f.fill(id, BTCUSDT, Side.BUY, FAIR_TICKS, 2, 1, true, false, 3);
        assertThat(f.engine.openLeaves(id)).isEqualTo(3);
        f.fill(id, BTCUSDT, Side.BUY, FAIR_TICKS, 3, 2, true, true, 0);
        assertThat(f.engine.openLeaves(id)).isEqualTo(-1);
        assertThat(f.engine.openOrders()).isZero();
        assertThat(f.engine.positions().positionLots(BTCUSDT)).isEqualTo(5);
    }

    @Test
    void replacedUpdatesLeavesAndCancelledCloses() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        long id = placed(f, Side.SELL, 5);
        f.report(ExecType.REPLACED, id, BTCUSDT, Side.SELL, FAIR_TICKS + 5, 7);
        assertThat(f.engine.openLeaves(id)).isEqualTo(7);
        // a partial cancel (decrement) leaves the rest open
        f.report(ExecType.CANCELLED, id, BTCUSDT, Side.SELL, FAIR_TICKS + 5, 4);
        assertThat(f.engine.openLeaves(id)).isEqualTo(4);
        f.report(ExecType.CANCELLED, id, BTCUSDT, Side.SELL, FAIR_TICKS + 5, 0);
        assertThat(f.engine.openLeaves(id)).isEqualTo(-1);
        assertThat(f.engine.openOrdersOnInstrument(BTCUSDT)).isZero();
    }

    @Test
    void aRejectOfAKnownOrderClosesIt() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        long id = placed(f, Side.BUY, 5);
        f.report(ExecType.REJECTED, id, BTCUSDT, Side.BUY, FAIR_TICKS, 0);
        assertThat(f.engine.openOrders()).isZero();
    }

    @Test
    void cancelRejectedChangesNothing() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        long id = placed(f, Side.BUY, 5);
        f.report(ExecType.CANCEL_REJECTED, id, BTCUSDT, Side.BUY, FAIR_TICKS, 0);
        assertThat(f.engine.openLeaves(id)).isEqualTo(5);
    }

    @Test
    void orderStatusUpdatesLeavesAndClosesAtZero() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        long id = placed(f, Side.BUY, 5);
        f.report(ExecType.ORDER_STATUS, id, BTCUSDT, Side.BUY, FAIR_TICKS, 2);
        assertThat(f.engine.openLeaves(id)).isEqualTo(2);
        f.report(ExecType.ORDER_STATUS, id, BTCUSDT, Side.BUY, FAIR_TICKS, 0);
        assertThat(f.engine.openLeaves(id)).isEqualTo(-1);
    }

    @Test
    void reportsForUnknownIdsAndOtherOwnersDoNotCount() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_ORDER_QUANTITY, BTCUSDT, 5)));
        f.fairValues();
        long id = placed(f, Side.BUY, 5);
        // the synthetic REJECTED execution sends for a PLACE risk refused names an id risk never opened
        assertThat(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 6).verdict()).isEqualTo(RiskVerdict.REJECTED);
        long refused = f.lastId();
        f.report(ExecType.REJECTED, refused, BTCUSDT, Side.BUY, FAIR_TICKS, 0);
        f.report(ExecType.ACCEPTED, 123_456, BTCUSDT, Side.BUY, FAIR_TICKS, 9);
        f.report(ExecType.ORDER_STATUS, 123_457, BTCUSDT, Side.BUY, FAIR_TICKS, 9);
        assertThat(f.engine.openOrders()).isEqualTo(1);
        assertThat(f.engine.openLeaves(123_456)).isEqualTo(-1);
        // another owner's cancel of an id equal to ours is not about our order
        f.event.begin(f.sequence++, InboundEventType.EXECUTION_REPORT, f.now);
        f.event.book().reset();
        f.event.executionReport().set(ExecType.CANCELLED, 0, BTCUSDT, id, id, Side.BUY, FAIR_TICKS, 0, f.now).owner(2);
        f.engine.onEvent(f.event, f.event.sequence(), true);
        assertThat(f.engine.openLeaves(id)).isEqualTo(5);
    }

    @Test
    void theTrackingTableRefusesWhenFullAndFreesClosedSlots() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(RiskFixture.registry()).withCapacities(2, 4, 16));
        f.fairValues();
        long a = placed(f, Side.BUY, 1);
        placed(f, Side.BUY, 1);
        assertThat(RiskCheck.ofCode(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1).rejectCode())).isEqualTo(RiskCheck.ORDER_TRACKING_FULL);
        f.report(ExecType.CANCELLED, a, BTCUSDT, Side.BUY, FAIR_TICKS, 0);
        placed(f, Side.BUY, 1);
        assertThat(f.engine.openOrders()).isEqualTo(2);
    }
}
