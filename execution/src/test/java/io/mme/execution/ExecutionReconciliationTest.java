package io.mme.execution;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.venue.GatewayRejectCode;
import io.mme.core.venue.UnknownOrderPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What execution does with what a live venue's reconciliation tells it. */
class ExecutionReconciliationTest {

    private static void status(Harness h, long id, long price, long leaves, long cumulative, boolean reconciled) {
        InboundEvent e = h.event(InboundEventType.EXECUTION_REPORT);
        ExecutionReport r = e.executionReport().set(ExecType.ORDER_STATUS, Harness.VENUE, Harness.INSTRUMENT, id, 77, Side.BUY,
                price, leaves, h.now).owner(Harness.OWNER).cumulativeQuantity(cumulative);
        if (reconciled) {
            r.reason(GatewayRejectCode.RECONCILED.code());
        }
        h.feed(e);
    }

    @Test
    void fillsMissedWhileTheStreamWasDownAreBookedOnceFromTheCumulativeQuantity() {
        Harness h = new Harness();
        long id = h.placeAccepted(100, 10);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 8);
        h.reconcile();
        status(h, id, 100, 3, 7, false);

        assertThat(h.engine.orderFigures(id)).containsExactly(100, 10, 7);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(h.synthetic).hasSize(1);
        ExecutionReport fill = h.synthetic.getFirst();
        assertThat(fill.execType()).isEqualTo(ExecType.PARTIALLY_FILLED);
        assertThat(fill.lastQuantityLots()).isEqualTo(5);
        assertThat(fill.lastPriceTicks()).isEqualTo(100);
        assertThat(fill.reasonCode()).isEqualTo(ExecutionRejectCode.RECONCILED_FILL.code());
        assertThat(h.count(ExecutionCounter.RECONCILED_LOTS)).isEqualTo(5);

        // the same answer again, and our own report coming back round the ring, book nothing more
        status(h, id, 100, 3, 7, true);
        InboundEvent back = h.event(InboundEventType.EXECUTION_REPORT);
        back.executionReport().copyFrom(fill);
        h.feed(back);
        assertThat(h.engine.orderFigures(id)).containsExactly(100, 10, 7);
        assertThat(h.synthetic).hasSize(1);
        assertThat(h.count(ExecutionCounter.FILLED_LOTS)).isEqualTo(7);
    }

    @Test
    void anOrderFilledWhileInDoubtEndsFilledWithItsLotsBooked() {
        Harness h = new Harness();
        long id = h.placeAccepted(100, 10);
        h.reconcile();
        status(h, id, 100, 0, 10, false);

        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.FILLED);
        assertThat(h.synthetic).singleElement().satisfies(r -> {
            assertThat(r.execType()).isEqualTo(ExecType.FILLED);
            assertThat(r.lastQuantityLots()).isEqualTo(10);
        });
    }

    @Test
    void anUnknownOrderOfOursOnTheVenueIsCancelledByDefault() {
        Harness h = new Harness();
        status(h, 999_999, 105, 4, 0, true);

        assertThat(h.commandTypes()).containsExactly(OrderCommandType.CANCEL);
        assertThat(h.lastCommand().targetClientOrderId()).isEqualTo(999_999);
        assertThat(h.lastCommand().venueId()).isEqualTo(Harness.VENUE);
        assertThat(h.count(ExecutionCounter.UNKNOWN_VENUE_ORDERS)).isEqualTo(1);
        assertThat(h.engine.openOrders()).isZero();
    }

    @Test
    void anUnknownOrderOfOursIsAdoptedWhenTheConfigSaysSo() {
        Harness h = new Harness(ExecutionConfig.defaults().withUnknownOrders(UnknownOrderPolicy.ADOPT));
        status(h, 999_999, 105, 4, 1, true);

        assertThat(h.commands).isEmpty();
        assertThat(h.engine.stateOf(999_999)).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(h.engine.orderFigures(999_999)).containsExactly(105, 5, 1);
        assertThat(h.count(ExecutionCounter.ADOPTED_ORDERS)).isEqualTo(1);
        // adopted orders are the kill switch's too
        h.killSwitch();
        assertThat(h.commandTypes()).containsExactly(OrderCommandType.CANCEL);
    }

    @Test
    void anUnknownOrderIsLeftAloneUnderTheLeavePolicy() {
        Harness h = new Harness(ExecutionConfig.defaults().withUnknownOrders(UnknownOrderPolicy.LEAVE));
        status(h, 999_999, 105, 4, 0, true);
        assertThat(h.commands).isEmpty();
        assertThat(h.engine.openOrders()).isZero();
        assertThat(h.count(ExecutionCounter.UNKNOWN_VENUE_ORDERS)).isEqualTo(1);
    }

    @Test
    void aReconcileNamingOneVenueQueriesOnlyThatVenuesOrders() {
        Harness h = new Harness();
        h.placeAccepted(100, 10);
        InboundEvent e = h.event(InboundEventType.CONTROL);
        e.control().set(io.mme.core.ring.ControlCommands.RECONCILE, 0, "binance", "reconnect").target(2, -1);
        h.feed(e);
        assertThat(h.commandTypes()).containsExactly(OrderCommandType.NEW);
        h.reconcile();
        assertThat(h.commandTypes()).containsExactly(OrderCommandType.NEW, OrderCommandType.STATUS);
    }
}
