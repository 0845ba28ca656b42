package io.mme.execution;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.state.StateReader;
import org.junit.jupiter.api.Test;

import static io.mme.execution.Harness.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/** What an order in flight at the snapshot point still knows after the restore. */
class ExecutionStateRestoreTest {

    /** a fresh harness whose engine read {@code h}'s state and whose clock and ids go on from it */
    private static Harness restore(Harness h) {
        Harness restored = new Harness();
        restored.engine.readState(new StateReader(ExecutionStateRestoreProperties.write(h.engine)));
        restored.sequence = h.sequence;
        restored.now = h.now;
        restored.tradeIds = h.tradeIds;
        return restored;
    }

    @Test
    void anOrderAwaitingItsAckWhenTheStateWasWrittenTimesOutAfterTheRestore() {
        Harness h = new Harness();
        long id = h.placeApproved(Side.BUY, 100, 5);
        Harness restored = restore(h);
        assertThat(restored.engine.view().total(ExecutionCounter.ORDERS_SENT)).as("published on restore").isEqualTo(1);
        restored.timer(3 * SECOND);
        assertThat(restored.engine.stateOf(id)).isEqualTo(OrderState.UNKNOWN);
        assertThat(restored.commandTypes()).containsExactly(OrderCommandType.STATUS);
        assertThat(restored.lastCommand().clientOrderId()).isEqualTo(id);
        restored.report(ExecType.ORDER_STATUS, id, 100, 5);
        assertThat(restored.engine.stateOf(id)).isEqualTo(OrderState.NEW);
    }

    @Test
    void aFillRedeliveredAfterTheRestoreIsStillRecognised() {
        Harness h = new Harness();
        long id = h.placeAccepted(100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3, 77);
        Harness restored = restore(h);
        restored.fill(ExecType.PARTIALLY_FILLED, id, 2, 3, 77);
        assertThat(restored.engine.orderFigures(id)[2]).as("filled").isEqualTo(2);
        assertThat(restored.count(ExecutionCounter.DUPLICATE_REPORTS)).isEqualTo(1);
    }

    @Test
    void aReplaceStillUnansweredAtTheSnapshotIsToldFromTheCancelAfterTheRestore() {
        Harness h = new Harness();
        long id = h.placeAccepted(100, 5);
        h.replace(id, 101, 5, true, 0);
        h.cancel(id);
        Harness restored = restore(h);
        restored.report(ExecType.CANCEL_REJECTED, id, 100, 5);
        assertThat(restored.engine.stateOf(id)).as("the reject was the replace's").isEqualTo(OrderState.PENDING_CANCEL);
        restored.cancelled(id, 5);
        assertThat(restored.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
    }

    @Test
    void aLateFillForAnOrderEndedBeforeTheSnapshotIsCountedAsLate() {
        Harness h = new Harness();
        long id = h.placeAccepted(100, 5);
        h.cancel(id);
        h.cancelled(id, 5);
        Harness restored = restore(h);
        restored.fill(ExecType.FILLED, id, 1, 0);
        assertThat(restored.count(ExecutionCounter.LATE_FILLS)).isEqualTo(1);
        assertThat(restored.count(ExecutionCounter.UNKNOWN_REPORTS)).isZero();
    }
}
