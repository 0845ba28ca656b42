package io.mme.risk;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class FaultedSlotTest {

    private static String digest(RiskEngine engine) {
        StateDigest digest = new StateDigest();
        engine.digestState(digest);
        return digest.hex();
    }

    @Test
    void aFaultedSlotChangesNothingAndJudgesNoIntent() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        String before = digest(f.engine);

        f.event.begin(f.sequence++, InboundEventType.MARKET_DATA, f.now);
        f.event.book().reset();
        f.event.book().fairValue(0, Long.MIN_VALUE);
        QuoteIntent intent = f.event.addIntent().set(QuoteAction.PLACE, 0, BTCUSDT, Side.BUY, 0, FAIR_TICKS, 1, 0);
        f.event.markFaulted("strategy");
        f.engine.onEvent(f.event, f.event.sequence(), true);
        assertThat(intent.verdict()).isEqualTo(RiskVerdict.PENDING);

        f.event.begin(f.sequence++, InboundEventType.EXECUTION_REPORT, f.now);
        f.event.book().reset();
        f.event.executionReport().set(ExecType.FILLED, 0, BTCUSDT, 5, 5, Side.BUY, FAIR_TICKS, 0, f.now)
                .fill(1, FAIR_TICKS, 5, false).owner(RiskFixture.ACCOUNT);
        f.event.markFaulted("marketdata");
        f.engine.onEvent(f.event, f.event.sequence(), true);

        f.event.begin(f.sequence++, InboundEventType.CONTROL, f.now);
        f.event.book().reset();
        f.event.control().set(ControlCommands.KILL_SWITCH, 1, "alice", "x");
        f.event.markFaulted("marketdata");
        f.engine.onEvent(f.event, f.event.sequence(), true);

        assertThat(f.engine.positions().positionLots(BTCUSDT)).isZero();
        assertThat(f.engine.changeLog()).isEmpty();
        assertThat(f.engine.openOrders()).isZero();
        assertThat(digest(f.engine)).isEqualTo(before);
    }
}
