package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class OrderThrottleTest {
    private static final long SECOND = 1_000_000_000L;

    private static RiskFixture oneOrderPerSecondBurstTwo() {
        return new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.ORDER_RATE, Venue.BINANCE.id(), 60)
                .set(LimitKind.ORDER_BURST, Venue.BINANCE.id(), 2)));
    }

    private static boolean approved(QuoteIntent intent) {
        return intent.verdict() == RiskVerdict.APPROVED;
    }

    @Test
    void aBurstEmptiesTheBucketAndEventTimeRefillsIt() {
        RiskFixture f = oneOrderPerSecondBurstTwo();
        f.fairValues();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        QuoteIntent third = f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1);
        assertThat(RiskCheck.ofCode(third.rejectCode())).isEqualTo(RiskCheck.ORDER_RATE);
        // other venues have their own bucket
        assertThat(approved(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1))).isTrue();

        f.now += SECOND - 1;
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isFalse();
        f.now += 1;
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isFalse();

        // a long pause fills the bucket to its burst, not beyond
        f.now += 3600 * SECOND;
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isFalse();
    }

    @Test
    void ordersRejectedByAnotherCheckTakeNoToken() {
        RiskFixture f = oneOrderPerSecondBurstTwo();
        f.fairValues();
        f.setLimit(1, -1, BTCUSDT, LimitKind.MAX_ORDER_QUANTITY, 5);
        for (int k = 0; k < 5; k++) {
            assertThat(RiskCheck.ofCode(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 6).rejectCode())).isEqualTo(RiskCheck.MAX_ORDER_QUANTITY);
        }
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
    }

    @Test
    void replacesTakeATokenAndCancelsDoNot() {
        RiskFixture f = oneOrderPerSecondBurstTwo();
        f.fairValues();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        long id = f.lastId();
        assertThat(approved(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS - 1, 1))).isTrue();
        assertThat(approved(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS - 2, 1))).isFalse();
        assertThat(approved(f.cancel(id, BTCUSDT, Side.BUY))).isTrue();
        assertThat(approved(f.cancel(id, BTCUSDT, Side.BUY))).isTrue();
    }

    @Test
    void defaultRatesStayUnderThePublishedVenueLimits() {
        RiskLimits defaults = RiskLimits.defaults(RiskFixture.registry());
        long binanceRate = defaults.get(LimitKind.ORDER_RATE, Venue.BINANCE.id());
        long binanceBurst = defaults.get(LimitKind.ORDER_BURST, Venue.BINANCE.id());
        // Binance ORDERS: 100 per 10 s: a full burst plus 10 s of refill stays under it
        assertThat(binanceBurst + binanceRate * 10 / 60).isLessThan(100);
        // Coinbase: 30 private requests per second
        long coinbaseRate = defaults.get(LimitKind.ORDER_RATE, Venue.COINBASE.id());
        assertThat(defaults.get(LimitKind.ORDER_BURST, Venue.COINBASE.id()) + coinbaseRate / 60).isLessThan(30);
        // Kraken: order + early cancel costs up to 9 on a counter that decays 2.34/s and trips at 60
        long krakenRate = defaults.get(LimitKind.ORDER_RATE, Venue.KRAKEN.id());
        assertThat(krakenRate * 9 * 100 / 60).isLessThan(234);
        assertThat(defaults.get(LimitKind.ORDER_BURST, Venue.KRAKEN.id()) * 9).isLessThan(60);
    }
}
