package io.mme.risk;

import io.mme.core.ring.Side;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger against a reference in exact rationals (BigDecimal, average cost never rounded): the
 * position and fees agree exactly, realized PnL agrees within the 1-nano roundings of the cost
 * share each reducing fill removes, and realized − cost equals cash flow − fees exactly.
 */
class PositionLedgerProperties {
    private static final int MAKER_BPS = 2;
    private static final int TAKER_BPS = 7;

    record Fill(boolean buy, long priceTicks, long lots, boolean maker) {
    }

    @Provide
    Arbitrary<List<Fill>> fills() {
        Arbitrary<Fill> fill = Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs().between(5_000_000, 7_000_000),
                Arbitraries.longs().between(1, 500), Arbitraries.of(true, false)).as(Fill::new);
        return fill.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void ledgerAgreesWithAnExactAverageCostReference(@ForAll("fills") List<Fill> fills) {
        PositionLedger ledger = new PositionLedger(RiskFixture.registry(), new long[]{MAKER_BPS, 0, 0},
                new long[]{TAKER_BPS, 0, 0}, 8);
        BigDecimal position = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal realized = BigDecimal.ZERO;
        BigInteger fees = BigInteger.ZERO;
        BigInteger cash = BigInteger.ZERO;
        int reductions = 0;
        long tradeId = 1;
        for (Fill f : fills) {
            ledger.fill(RiskFixture.BTCUSDT, f.buy() ? Side.BUY : Side.SELL, f.priceTicks(), f.lots(), f.maker(), tradeId++, 1);
            // BTCUSDT: one lot at one tick is 10^4 nanos, exactly
            BigDecimal unitPrice = BigDecimal.valueOf(f.priceTicks() * 10_000);
            BigInteger notional = BigInteger.valueOf(f.priceTicks() * f.lots() * 10_000);
            BigInteger fee = notional.multiply(BigInteger.valueOf(f.maker() ? MAKER_BPS : TAKER_BPS)).divide(BigInteger.valueOf(10_000));
            fees = fees.add(fee);
            cash = f.buy() ? cash.subtract(notional) : cash.add(notional);
            BigDecimal qty = BigDecimal.valueOf(f.buy() ? f.lots() : -f.lots());
            if (position.signum() != 0 && position.signum() != qty.signum()) {
                reductions++;
                BigDecimal closed = qty.abs().min(position.abs());
                BigDecimal average = cost.divide(position, 40, RoundingMode.HALF_EVEN);
                // closing a long sells at the price; closing a short buys at it
                realized = realized.add(unitPrice.subtract(average).multiply(closed).multiply(BigDecimal.valueOf(position.signum())));
                BigDecimal signedClosed = closed.multiply(BigDecimal.valueOf(position.signum()));
                cost = cost.subtract(average.multiply(signedClosed));
                position = position.subtract(signedClosed);
                BigDecimal rest = qty.abs().subtract(closed);
                if (rest.signum() > 0) {
                    BigDecimal signedRest = rest.multiply(BigDecimal.valueOf(qty.signum()));
                    position = signedRest;
                    cost = unitPrice.multiply(signedRest);
                }
            } else {
                position = position.add(qty);
                cost = cost.add(unitPrice.multiply(qty));
            }
        }
        int i = RiskFixture.BTCUSDT;
        assertThat(ledger.positionLots(i)).isEqualTo(position.longValueExact());
        assertThat(ledger.feesNanos(i)).isEqualTo(fees.longValueExact());
        assertThat(ledger.fillCount(i)).isEqualTo(fills.size());
        BigDecimal expectedRealized = realized.subtract(new BigDecimal(fees));
        assertThat(BigDecimal.valueOf(ledger.realizedNanos(i)).subtract(expectedRealized).abs())
                .isLessThanOrEqualTo(BigDecimal.valueOf(reductions));
        assertThat(BigDecimal.valueOf(ledger.costNanos(i)).subtract(cost).abs())
                .isLessThanOrEqualTo(BigDecimal.valueOf(reductions));
        assertThat(ledger.realizedNanos(i) - ledger.costNanos(i)).isEqualTo(cash.subtract(fees).longValueExact());
        if (position.signum() == 0) {
            assertThat(ledger.costNanos(i)).isZero();
        }
    }
}
