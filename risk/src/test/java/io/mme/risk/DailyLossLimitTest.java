package io.mme.risk;

import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class DailyLossLimitTest {
    /** one lot of BTCUSDT moving one tick is 10^4 nanos; a 100-lot position moving one tick is 10^6 */
    private static final long LIMIT = 5_000_000;

    private static RiskFixture withLimit() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.DAILY_LOSS, 0, LIMIT)));
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 100);
        return f;
    }

    /** the fair value {@code ticks} below 60,000.00, in nanos (1 tick = 10^7 nanos) */
    private static long down(long ticks) {
        return FAIR - ticks * 10_000_000L;
    }

    @Test
    void aLossJustShortOfTheLimitLeavesTradingActive() {
        RiskFixture f = withLimit();
        // 0.1 BTC × 49,999,000 nanos = 4,999,900 nanos
        f.fairValue(0, FAIR - 49_999_000);
        assertThat(f.engine.dailyPnlNanos()).isEqualTo(-LIMIT + 100);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.ACTIVE);
    }

    @Test
    void aLossAtTheLimitSetsReducingRecordedByRisk() {
        RiskFixture f = withLimit();
        f.fairValue(0, down(5));
        assertThat(f.engine.dailyPnlNanos()).isEqualTo(-LIMIT);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.REDUCING);
        ChangeRecord change = f.engine.changeLog().getLast();
        assertThat(change.principal()).isEqualTo(RiskEngine.PRINCIPAL);
        assertThat(change.applied()).isTrue();
        assertThat(change.what()).isEqualTo(RiskEngine.TRADING_STATE);
        assertThat(change.target()).isEqualTo("global");
        assertThat(change.oldValue()).isEqualTo(TradingState.ACTIVE.ordinal());
        assertThat(change.newValue()).isEqualTo(TradingState.REDUCING.ordinal());
        assertThat(change.reason()).contains("daily loss");
        assertThat(change.timestampNanos()).isEqualTo(f.now);
        // the slot carries it too, as the command an operator would have sent, for the audit trail
        assertThat(f.event.hasAutomaticChange()).isTrue();
        assertThat(f.event.automaticChange().command()).isEqualTo(io.mme.core.ring.ControlCommands.SET_TRADING_STATE);
        assertThat(f.event.automaticChange().principal()).isEqualTo(RiskEngine.PRINCIPAL);
        assertThat(f.event.automaticChange().value()).isEqualTo(TradingState.REDUCING.ordinal());
        assertThat(f.event.automaticChange().oldValue()).isEqualTo(TradingState.ACTIVE.ordinal());
        QuoteIntent buy = f.place(BTCUSDT, Side.BUY, down(5) / 10_000_000L, 1);
        assertThat(RiskCheck.ofCode(buy.rejectCode())).isEqualTo(RiskCheck.REDUCING_ONLY);
        QuoteIntent sell = f.place(BTCUSDT, Side.SELL, down(5) / 10_000_000L, 100);
        assertThat(sell.verdict()).isEqualTo(RiskVerdict.APPROVED);
    }

    @Test
    void feesAndRealizedLossCountToo() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.DAILY_LOSS, 0, LIMIT)));
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 100);
        f.trade(BTCUSDT, Side.SELL, FAIR_TICKS - 4, 100);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.ACTIVE);
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 100);
        f.trade(BTCUSDT, Side.SELL, FAIR_TICKS - 1, 100);
        assertThat(f.engine.dailyPnlNanos()).isEqualTo(-LIMIT);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.REDUCING);
    }

    @Test
    void theNextUtcDayLiftsTheLimitsReducingAndStartsFromZero() {
        RiskFixture f = withLimit();
        f.fairValue(0, down(6));
        assertThat(f.engine.globalState()).isEqualTo(TradingState.REDUCING);
        f.now += RiskEngine.DAY_NANOS - 1;
        f.timer();
        assertThat(f.engine.globalState()).isEqualTo(TradingState.REDUCING);
        f.now += 1;
        f.timer();
        assertThat(f.engine.globalState()).isEqualTo(TradingState.ACTIVE);
        assertThat(f.engine.dailyPnlNanos()).isZero();
        ChangeRecord change = f.engine.changeLog().getLast();
        assertThat(change.principal()).isEqualTo(RiskEngine.PRINCIPAL);
        assertThat(change.newValue()).isEqualTo(TradingState.ACTIVE.ordinal());
        // the new day's loss is measured from the new start
        f.fairValue(0, down(10));
        assertThat(f.engine.globalState()).isEqualTo(TradingState.ACTIVE);
        f.fairValue(0, down(11));
        assertThat(f.engine.globalState()).isEqualTo(TradingState.REDUCING);
    }

    @Test
    void theDayBoundaryDoesNotLiftAStateAnOperatorSet() {
        RiskFixture f = withLimit();
        f.fairValue(0, down(6));
        f.setState(-1, -1, TradingState.REDUCING);
        f.now += RiskEngine.DAY_NANOS;
        f.timer();
        assertThat(f.engine.globalState()).isEqualTo(TradingState.REDUCING);
    }
}
