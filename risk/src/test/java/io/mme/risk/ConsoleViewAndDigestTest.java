package io.mme.risk;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.Side;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class ConsoleViewAndDigestTest {

    private static void session(RiskFixture f) {
        f.fairValues();
        f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 5);
        f.fill(f.lastId(), BTCUSDT, Side.BUY, FAIR_TICKS, 2, 1, true, false, 3);
        f.setLimit(8, -1, BTCUSDT, LimitKind.MAX_POSITION, 50);
        f.fairValue(0, FAIR + 1_000_000_000L);
    }

    private static String digestAfter(Consumer<RiskFixture> run) {
        RiskFixture f = new RiskFixture();
        run.accept(f);
        StateDigest digest = new StateDigest();
        f.engine.digestState(digest);
        return digest.hex();
    }

    @Test
    void theViewIsPublishedOnTimerEventsOnly() {
        RiskFixture f = new RiskFixture();
        session(f);
        RiskView view = f.engine.view();
        assertThat(view.positionLots(BTCUSDT)).isZero();
        assertThat(view.publishedAtNanos()).isZero();
        f.timer();
        assertThat(view.positionLots(BTCUSDT)).isEqualTo(2);
        assertThat(view.averageCostNanos(BTCUSDT)).isEqualTo(FAIR);
        assertThat(view.unrealizedNanos(BTCUSDT)).isEqualTo(2_000_000);
        assertThat(view.realizedNanos(BTCUSDT)).isEqualTo(f.engine.positions().realizedNanos(BTCUSDT));
        assertThat(view.fills(BTCUSDT)).isEqualTo(1);
        assertThat(view.openOrders()).isEqualTo(1);
        assertThat(view.approvedIntents()).isEqualTo(1);
        assertThat(view.globalState()).isEqualTo(TradingState.ACTIVE);
        assertThat(view.dailyPnlNanos()).isEqualTo(2_000_000);
        assertThat(view.publishedAtNanos()).isEqualTo(f.now);
        // rejects per check, for the metrics: one intent beyond the limits, rejected for its size
        f.place(BTCUSDT, io.mme.core.ring.Side.BUY, FAIR / 10_000_000L, Long.MAX_VALUE / 4);
        f.timer();
        long byCheck = 0;
        for (RiskCheck check : RiskCheck.values()) {
            byCheck += view.rejectedBy(check);
        }
        assertThat(byCheck).isEqualTo(view.rejectedIntents()).isPositive();
        // limits, for the shared state in Redis
        assertThat(view.limitTargets(LimitKind.MAX_POSITION)).isEqualTo(f.engine.limits().size(LimitKind.Scope.INSTRUMENT));
        assertThat(view.limit(LimitKind.MAX_POSITION, BTCUSDT)).isEqualTo(f.engine.limit(LimitKind.MAX_POSITION, BTCUSDT));
        f.setLimit(9, -1, BTCUSDT, LimitKind.MAX_POSITION, 50);
        f.timer();
        assertThat(view.limit(LimitKind.MAX_POSITION, BTCUSDT)).isEqualTo(50);
    }

    @Test
    void theSameEventsGiveTheSameDigestAndAnyDifferenceShows() {
        String a = digestAfter(ConsoleViewAndDigestTest::session);
        String b = digestAfter(ConsoleViewAndDigestTest::session);
        assertThat(a).isEqualTo(b);
        assertThat(digestAfter(f -> {
            session(f);
            f.setLimit(9, -1, BTCUSDT, LimitKind.MAX_POSITION, 50);
        })).isNotEqualTo(a);
        assertThat(digestAfter(f -> {
            session(f);
            f.trade(BTCUSDT, Side.SELL, FAIR_TICKS, 1);
        })).isNotEqualTo(a);
        assertThat(digestAfter(f -> {
            session(f);
            f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 1);
        })).isNotEqualTo(a);
    }
}
