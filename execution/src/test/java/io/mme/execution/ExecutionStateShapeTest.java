package io.mme.execution;

import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An execution state is read back only by an engine of the same shape; anything else is refused by name. */
class ExecutionStateShapeTest {

    private static byte[] stateWithOpenOrders() {
        Harness h = new Harness();
        h.placeAccepted(100, 5);
        h.placeApproved(Side.SELL, 101, 2);
        return ExecutionStateRestoreProperties.write(h.engine);
    }

    @Test
    void aStateWrittenForAnotherVenueCountIsRefusedSayingSo() {
        ExecutionConfig d = ExecutionConfig.defaults();
        ExecutionConfig fewer = new ExecutionConfig(d.ownerId(), d.postOnly(), d.ackTimeoutNanos(), d.maxStatusQueries(),
                d.orderCapacity(), d.recentTerminalCapacity(), 2, java.util.Map.of(0, ExecutionConfig.PAPER), null);
        byte[] state = stateWithOpenOrders();
        assertThatThrownBy(() -> new Harness(fewer).engine.readState(new StateReader(state)))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("venue count " + io.mme.core.instrument.Venue.values().length + ", this engine's config has 2");
    }

    @Test
    void aStateWrittenWithAnotherOrderCapacityIsRefused() {
        byte[] state = stateWithOpenOrders();
        assertThatThrownBy(() -> new Harness(ExecutionConfig.defaults().withCapacity(64, 64)).engine
                .readState(new StateReader(state)))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("order capacity " + ExecutionConfig.DEFAULT_ORDER_CAPACITY + ", this engine's config has 64");
    }

    @Test
    void bytesThatAreNotAnExecutionStateAreRefused() {
        ExecutionEngine engine = new Harness().engine;
        assertThatThrownBy(() -> engine.readState(new StateReader(new byte[0])))
                .isInstanceOf(StateFormatException.class);
        assertThatThrownBy(() -> engine.readState(new StateReader(new byte[]{0x52, 0x49, 0x53, 0x4B, 0, 0, 0, 0})))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("not an execution state");
    }
}
