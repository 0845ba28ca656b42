package io.mme.risk;

import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.ETHUSD;
import static io.mme.risk.RiskFixture.FAIR;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strategy limits beside the instrument, venue and global ones: strategy "btc" quotes BTCUSDT and
 * BTC-USD (lot 0.001 BTC = 10^6 nanos), strategy "eth" quotes ETH/USD.
 */
class StrategyLimitsTest {

    static RiskFixture desk(RiskFixture.RiskConfigEdit edit) {
        RiskConfig permissive = RiskFixture.permissive(RiskFixture.registry());
        RiskLimits limits = permissive.limits().withStrategies(List.of("btc", "eth"),
                List.of(new int[]{BTCUSDT, BTCUSD}, new int[]{ETHUSD}));
        edit.edit(limits);
        RiskFixture f = new RiskFixture(permissive.withLimits(limits));
        f.fairValues();
        return f;
    }

    static int strategyOf(RiskFixture f, int instrument) {
        return f.engine.limits().strategyOf(instrument);
    }

    @Test
    void aStrategyPositionLimitCountsEveryInstrumentOfTheStrategyButNotOthers() {
        // 5 lots = 0.005 BTC
        RiskFixture f = desk(l -> l.set(LimitKind.STRATEGY_MAX_POSITION, 0, 5_000_000));
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 3);
        QuoteIntent withinLimit = f.place(BTCUSD, Side.BUY, FAIR_TICKS, 2);
        assertThat(withinLimit.verdict()).isEqualTo(RiskVerdict.APPROVED);
        QuoteIntent beyond = f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1);
        assertThat(beyond.verdict()).isEqualTo(RiskVerdict.REJECTED);
        assertThat(beyond.rejectCode()).isEqualTo(RiskCheck.STRATEGY_MAX_POSITION.code());
        QuoteIntent reducing = f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 3);
        assertThat(reducing.verdict()).isEqualTo(RiskVerdict.APPROVED);
        QuoteIntent eth = f.place(ETHUSD, Side.BUY, 300_000, 100);
        assertThat(eth.verdict()).as("another strategy's instrument").isEqualTo(RiskVerdict.APPROVED);
    }

    @Test
    void aStrategyOpenOrderLimitCountsItsOwnOrdersOnly() {
        RiskFixture f = desk(l -> l.set(LimitKind.STRATEGY_MAX_OPEN_ORDERS, 0, 2));
        assertThat(f.place(BTCUSDT, Side.BUY, FAIR_TICKS - 10, 1).verdict()).isEqualTo(RiskVerdict.APPROVED);
        assertThat(f.place(BTCUSD, Side.SELL, FAIR_TICKS + 10, 1).verdict()).isEqualTo(RiskVerdict.APPROVED);
        QuoteIntent third = f.place(BTCUSD, Side.BUY, FAIR_TICKS - 10, 1);
        assertThat(third.rejectCode()).isEqualTo(RiskCheck.STRATEGY_MAX_OPEN_ORDERS.code());
        assertThat(f.place(ETHUSD, Side.BUY, 300_000, 1).verdict()).isEqualTo(RiskVerdict.APPROVED);
        assertThat(f.engine.strategyOpenOrders(0)).isEqualTo(2);
        assertThat(f.engine.strategyOpenOrders(1)).isEqualTo(1);
    }

    @Test
    void aStrategyDailyLossLeavesOnlyReducingOrdersForThatStrategyAndIsLogged() {
        // 100 lots = 0.1 BTC; 10 ticks down (0.10 USD each) is 0.1 × 1 USD = 0.1 USD = 10^8 nanos
        RiskFixture f = desk(l -> l.set(LimitKind.STRATEGY_DAILY_LOSS, 0, 100_000_000));
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 100);
        f.fairValue(0, FAIR - 1_000_000_000L);
        assertThat(f.engine.strategyPnlNanos(0)).isEqualTo(-100_000_000);
        assertThat(f.engine.strategyLossHit(0)).isTrue();
        assertThat(f.engine.strategyLossHit(1)).isFalse();
        ChangeRecord change = f.engine.changeLog().getLast();
        assertThat(change.what()).isEqualTo("strategyDailyLossLimit");
        assertThat(change.target()).isEqualTo("strategy btc");
        assertThat(change.reason()).contains("may only reduce");

        long price = (FAIR - 1_000_000_000L) / 10_000_000L;
        assertThat(f.place(BTCUSD, Side.BUY, price, 1).rejectCode()).isEqualTo(RiskCheck.STRATEGY_DAILY_LOSS.code());
        assertThat(f.place(BTCUSDT, Side.SELL, price, 50).verdict()).isEqualTo(RiskVerdict.APPROVED);
        assertThat(f.place(ETHUSD, Side.BUY, 300_000, 1).verdict()).isEqualTo(RiskVerdict.APPROVED);
    }

    @Test
    void aRiskOfficerSetsAStrategyLimitByOneOfItsInstrumentsAndTheOldValueIsRecorded() {
        RiskFixture f = desk(l -> { });
        f.setLimit(11, -1, BTCUSD, LimitKind.STRATEGY_MAX_OPEN_ORDERS, 4);
        ChangeRecord change = f.engine.outcome(11).orElseThrow();
        assertThat(change.applied()).isTrue();
        assertThat(change.target()).isEqualTo("strategy btc");
        assertThat(change.oldValue()).isEqualTo(LimitKind.STRATEGY_MAX_OPEN_ORDERS.maxValue());
        assertThat(f.engine.limit(LimitKind.STRATEGY_MAX_OPEN_ORDERS, 0)).isEqualTo(4);
        assertThat(f.engine.limit(LimitKind.STRATEGY_MAX_OPEN_ORDERS, 1)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aStrategyLimitOnAnInstrumentNoStrategyQuotesIsRefused() {
        RiskConfig permissive = RiskFixture.permissive(RiskFixture.registry());
        RiskLimits limits = permissive.limits().withStrategies(List.of("btc"), List.<int[]>of(new int[]{BTCUSDT}));
        RiskFixture f = new RiskFixture(permissive.withLimits(limits));
        f.setLimit(12, -1, ETHUSD, LimitKind.STRATEGY_MAX_POSITION, 1);
        ChangeRecord change = f.engine.outcome(12).orElseThrow();
        assertThat(change.applied()).isFalse();
        assertThat(change.message()).contains("strategyMaxPosition").contains("a strategy quotes");
        assertThat(strategyOf(f, ETHUSD)).isEqualTo(-1);
    }

    @Test
    void strategyDayBookkeepingSurvivesASnapshot() {
        RiskFixture f = desk(l -> l.set(LimitKind.STRATEGY_DAILY_LOSS, 0, 100_000_000));
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 100);
        f.fairValue(0, FAIR - 1_000_000_000L);
        StateWriter out = new StateWriter();
        f.engine.writeState(out);
        RiskFixture g = desk(l -> { });
        g.engine.readState(new StateReader(out.toBytes()));
        assertThat(g.engine.strategyLossHit(0)).isTrue();
        assertThat(g.engine.limit(LimitKind.STRATEGY_DAILY_LOSS, 0)).isEqualTo(100_000_000);
        io.mme.core.digest.StateDigest a = new io.mme.core.digest.StateDigest();
        io.mme.core.digest.StateDigest b = new io.mme.core.digest.StateDigest();
        f.engine.digestState(a);
        g.engine.digestState(b);
        assertThat(b.hex()).isEqualTo(a.hex());
    }
}
