package io.mme.risk;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.ETHUSD;
import static io.mme.risk.RiskFixture.FAIR;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class PositionLedgerTest {
    /** BTCUSDT notional in nanos: ticks × lots × 10^4 */
    private static long notional(long ticks, long lots) {
        return ticks * lots * 10_000;
    }

    private static PositionLedger ledger() {
        // taker 10 bps, maker 2 bps
        return new PositionLedger(RiskFixture.registry(), new long[]{2, 2, 2}, new long[]{10, 10, 10}, 4);
    }

    @Test
    void averageCostRealizedPnlAndFeesThroughAFlip() {
        PositionLedger l = ledger();
        l.fill(BTCUSDT, Side.BUY, 6_000_000, 10, false, 1, 11);
        long fees = notional(6_000_000, 10) / 1000;
        assertThat(l.positionLots(BTCUSDT)).isEqualTo(10);
        assertThat(l.averageCostNanos(BTCUSDT)).isEqualTo(FAIR);
        assertThat(l.realizedNanos(BTCUSDT)).isEqualTo(-fees);

        l.fill(BTCUSDT, Side.SELL, 6_100_000, 4, true, 2, 12);
        long makerFee = notional(6_100_000, 4) * 2 / 10_000;
        fees += makerFee;
        long realized = notional(6_100_000, 4) - notional(6_000_000, 4);
        assertThat(l.positionLots(BTCUSDT)).isEqualTo(6);
        assertThat(l.averageCostNanos(BTCUSDT)).isEqualTo(FAIR);
        assertThat(l.realizedNanos(BTCUSDT)).isEqualTo(realized - fees);

        // sell 10: closes the 6 long at a loss, opens 4 short at 59,000.00
        l.fill(BTCUSDT, Side.SELL, 5_900_000, 10, false, 3, 13);
        fees += notional(5_900_000, 10) / 1000;
        realized += notional(5_900_000, 6) - notional(6_000_000, 6);
        assertThat(l.positionLots(BTCUSDT)).isEqualTo(-4);
        assertThat(l.costNanos(BTCUSDT)).isEqualTo(-notional(5_900_000, 4));
        assertThat(l.averageCostNanos(BTCUSDT)).isEqualTo(59_000L * 1_000_000_000L);
        assertThat(l.realizedNanos(BTCUSDT)).isEqualTo(realized - fees);

        // cover the short at 58,000.00: a gain
        l.fill(BTCUSDT, Side.BUY, 5_800_000, 4, false, 4, 14);
        fees += notional(5_800_000, 4) / 1000;
        realized += notional(5_900_000, 4) - notional(5_800_000, 4);
        assertThat(l.positionLots(BTCUSDT)).isZero();
        assertThat(l.costNanos(BTCUSDT)).isZero();
        assertThat(l.averageCostNanos(BTCUSDT)).isZero();
        assertThat(l.realizedNanos(BTCUSDT)).isEqualTo(realized - fees);
        assertThat(l.feesNanos(BTCUSDT)).isEqualTo(fees);
        assertThat(l.fillCount(BTCUSDT)).isEqualTo(4);
    }

    @Test
    void unrealizedMarksTheOpenPositionAtTheFairValue() {
        PositionLedger l = ledger();
        l.fill(BTCUSDT, Side.SELL, 6_000_000, 10, true, 1, 1);
        // short 0.01 BTC from 60,000; mark 59,000 gains 10 USDT
        assertThat(l.unrealizedNanos(BTCUSDT, 59_000L * 1_000_000_000L)).isEqualTo(10L * 1_000_000_000L);
        assertThat(l.unrealizedNanos(BTCUSDT, Long.MIN_VALUE)).isZero();
        assertThat(l.unrealizedNanos(BTCUSD, FAIR)).isZero();
    }

    @Test
    void aFillSeenAgainWithTheSameTradeIdIsIgnored() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.fill(500, BTCUSDT, Side.BUY, FAIR_TICKS, 3, 77, false, false, 2);
        f.fill(500, BTCUSDT, Side.BUY, FAIR_TICKS, 3, 77, false, false, 2);
        assertThat(f.engine.positions().positionLots(BTCUSDT)).isEqualTo(3);
        assertThat(f.engine.positions().fillCount(BTCUSDT)).isEqualTo(1);
        // the same trade id on another instrument is another trade
        f.fill(501, BTCUSD, Side.BUY, FAIR_TICKS, 3, 77, false, false, 2);
        assertThat(f.engine.positions().positionLots(BTCUSD)).isEqualTo(3);
        // the other side of a self-trade carries the same trade id and another order id
        f.fill(502, BTCUSDT, Side.SELL, FAIR_TICKS, 3, 77, false, false, 2);
        assertThat(f.engine.positions().positionLots(BTCUSDT)).isZero();
    }

    @Test
    void theDuplicateRingForgetsOnlyAfterItIsFull() {
        PositionLedger l = ledger();
        for (long t = 1; t <= 4; t++) {
            assertThat(l.fill(BTCUSDT, Side.BUY, FAIR_TICKS, 1, false, t, 9)).isTrue();
        }
        assertThat(l.fill(BTCUSDT, Side.BUY, FAIR_TICKS, 1, false, 1, 9)).isFalse();
        assertThat(l.fill(BTCUSDT, Side.BUY, FAIR_TICKS, 1, false, 5, 9)).isTrue();
        // trade 1 left the ring of 4 when trade 5 came
        assertThat(l.fill(BTCUSDT, Side.BUY, FAIR_TICKS, 1, false, 1, 9)).isTrue();
        assertThat(l.positionLots(BTCUSDT)).isEqualTo(6);
    }

    @Test
    void theEngineMarksPositionsAtTheirOwnPairAndSumsPerAsset() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 10);
        f.trade(BTCUSD, Side.SELL, FAIR_TICKS, 4);
        f.trade(ETHUSD, Side.BUY, FAIR_TICKS, 1);
        f.fairValue(1, FAIR + 1_000_000_000L);
        // BTC/USD up 1.00: the 0.004 short loses 0.004; BTC/USDT unchanged
        assertThat(f.engine.unrealizedNanos(BTCUSDT)).isZero();
        assertThat(f.engine.unrealizedNanos(BTCUSD)).isEqualTo(-4_000_000);
        assertThat(f.engine.assetPositionNanos(0)).isEqualTo(6_000_000);
        assertThat(f.engine.assetPositionNanos(1)).isEqualTo(10_000_000);
        assertThat(f.engine.assetUnrealizedNanos(0)).isEqualTo(-4_000_000);
        assertThat(f.engine.assetRealizedNanos(0)).isZero();
        // a pair without fair value keeps its last mark
        f.fairValue(1, Long.MIN_VALUE);
        assertThat(f.engine.unrealizedNanos(BTCUSD)).isEqualTo(-4_000_000);
    }

    @Test
    void fillsOfOtherOwnersAreNotOurs() {
        RiskFixture f = new RiskFixture();
        f.event.begin(f.sequence++, InboundEventType.EXECUTION_REPORT, f.now);
        f.event.book().reset();
        f.event.executionReport().set(ExecType.FILLED, 0, BTCUSDT, 5, 5, Side.BUY, FAIR_TICKS, 0, f.now)
                .fill(1, FAIR_TICKS, 5, false).owner(-3);
        f.engine.onEvent(f.event, f.event.sequence(), true);
        assertThat(f.engine.positions().positionLots(BTCUSDT)).isZero();
    }
}
