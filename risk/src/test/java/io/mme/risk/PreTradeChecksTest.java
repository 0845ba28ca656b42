package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RejectCodes;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.ETHUSD;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class PreTradeChecksTest {

    private static void approved(QuoteIntent intent) {
        assertThat(intent.verdict()).isEqualTo(RiskVerdict.APPROVED);
        assertThat(intent.rejectCode()).isZero();
    }

    private static void rejected(QuoteIntent intent, RiskCheck check) {
        assertThat(intent.verdict()).isEqualTo(RiskVerdict.REJECTED);
        assertThat(RiskCheck.ofCode(intent.rejectCode())).isEqualTo(check);
    }

    @Test
    void rejectCodesAreDistinctRiskCodesWithNames() {
        assertThat(Arrays.stream(RiskCheck.values()).mapToInt(RiskCheck::code).distinct().count())
                .isEqualTo(RiskCheck.values().length);
        for (RiskCheck check : RiskCheck.values()) {
            assertThat(RejectCodes.isRisk(check.code())).isTrue();
            assertThat(check.label()).isNotBlank();
            assertThat(RiskCheck.ofCode(check.code())).isSameAs(check);
        }
        assertThat(RiskCheck.ofCode(RejectCodes.EXECUTION_BASE)).isNull();
    }

    @Test
    void maxOrderQuantityAcceptsAtTheLimitAndRejectsOneLotMore() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_ORDER_QUANTITY, BTCUSDT, 100)));
        f.fairValues();
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 100));
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 101), RiskCheck.MAX_ORDER_QUANTITY);
        approved(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 101));
    }

    @Test
    void maxOrderNotionalAcceptsAtTheLimitAndRejectsBeyond() {
        // 10 lots at 60,000.00: 0.01 BTC × 60,000 = 600 USDT
        long limit = 600L * 1_000_000_000L;
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_ORDER_NOTIONAL, BTCUSDT, limit)));
        f.fairValues();
        approved(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 10));
        rejected(f.place(BTCUSDT, Side.SELL, FAIR_TICKS + 1, 10), RiskCheck.MAX_ORDER_NOTIONAL);
        rejected(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 11), RiskCheck.MAX_ORDER_NOTIONAL);
    }

    @Test
    void priceBandAcceptsAtTheEdgeOnBothSidesAndRejectsOneTickBeyond() {
        // 100 bps of 60,000.00 is 600.00 = 60,000 ticks
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.PRICE_BAND, BTCUSDT, 100)));
        f.fairValues();
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS - 60_000, 1));
        approved(f.place(BTCUSDT, Side.SELL, FAIR_TICKS + 60_000, 1));
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS - 60_001, 1), RiskCheck.PRICE_BAND);
        rejected(f.place(BTCUSDT, Side.SELL, FAIR_TICKS + 60_001, 1), RiskCheck.PRICE_BAND);
    }

    @Test
    void anOrderWithoutFairValueIsRejectedWithItsOwnCodeButCancelPasses() {
        RiskFixture f = new RiskFixture();
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.NO_FAIR_VALUE);
        f.fairValue(0, RiskFixture.FAIR);
        QuoteIntent placed = f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1);
        approved(placed);
        long id = f.lastId();
        f.fairValue(0, Long.MIN_VALUE);
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.NO_FAIR_VALUE);
        rejected(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS, 2), RiskCheck.NO_FAIR_VALUE);
        approved(f.cancel(id, BTCUSDT, Side.BUY));
        // another pair's value does not stand in
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.NO_FAIR_VALUE);
    }

    @Test
    void maxPositionCountsPositionAndOpenSameSideOrders() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_POSITION, BTCUSDT, 10)));
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 4);
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 3));
        // 4 + 3 open + 3 = 10: at the limit
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 3));
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.MAX_POSITION);
        // the sell side counts its own orders only: 4 - 14 = -10
        approved(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 14));
        rejected(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 1), RiskCheck.MAX_POSITION);
    }

    @Test
    void anOrderThatReducesAPositionAboveTheLimitIsStillAllowed() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 20);
        f.setLimit(1, -1, BTCUSDT, LimitKind.MAX_POSITION, 10);
        approved(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 5));
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.MAX_POSITION);
    }

    @Test
    void maxAssetPositionSumsEveryInstrumentWithTheSameBase() {
        // 0.01 BTC = 10,000,000 nanos = 10 lots of 0.001
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_ASSET_POSITION, l.assetOf(BTCUSDT), 10_000_000)));
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 4);
        approved(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 3));
        approved(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 3));
        rejected(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1), RiskCheck.MAX_ASSET_POSITION);
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.MAX_ASSET_POSITION);
        // ETH is another asset
        approved(f.place(ETHUSD, Side.BUY, FAIR_TICKS, 500));
        assertThat(f.engine.assetPositionNanos(0)).isEqualTo(4_000_000);
    }

    @Test
    void maxOpenOrdersPerInstrumentAcceptsUpToTheLimit() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_OPEN_ORDERS_PER_INSTRUMENT, BTCUSDT, 2)));
        f.fairValues();
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1));
        long first = f.lastId();
        approved(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 1));
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.MAX_OPEN_ORDERS_PER_INSTRUMENT);
        // a replace is not a new order
        approved(f.replace(first, BTCUSDT, Side.BUY, FAIR_TICKS - 1, 1));
        f.report(ExecType.CANCELLED, first, BTCUSDT, Side.BUY, FAIR_TICKS, 0);
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1));
    }

    @Test
    void maxOpenOrdersPerVenueAcceptsUpToTheLimit() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_OPEN_ORDERS_PER_VENUE, Venue.BINANCE.id(), 3)));
        f.fairValues();
        for (int k = 0; k < 3; k++) {
            approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1));
        }
        rejected(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 1), RiskCheck.MAX_OPEN_ORDERS_PER_VENUE);
        approved(f.place(BTCUSD, Side.SELL, FAIR_TICKS, 1));
    }

    @Test
    void replaceIsCheckedOnItsNewQuantityAsADeltaAgainstTheLiveOrder() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_POSITION, BTCUSDT, 10)));
        f.fairValues();
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 8));
        long id = f.lastId();
        // worst case 0 + 8 - 8 + 10 = 10
        approved(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS, 10));
        assertThat(f.engine.openLeaves(id)).isEqualTo(10);
        rejected(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS, 11), RiskCheck.MAX_POSITION);
        f.report(ExecType.REPLACED, id, BTCUSDT, Side.BUY, FAIR_TICKS, 10);
        approved(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS, 2));
        // a smaller replace keeps counting the larger quantity until the venue confirms
        assertThat(f.engine.openLeaves(id)).isEqualTo(10);
        f.report(ExecType.REPLACED, id, BTCUSDT, Side.BUY, FAIR_TICKS, 2);
        assertThat(f.engine.openLeaves(id)).isEqualTo(2);
    }

    @Test
    void replaceOfAnOrderRiskDoesNotKnowIsRejected() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        rejected(f.replace(12345, BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.UNKNOWN_ORDER);
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1));
        long id = f.lastId();
        rejected(f.replace(id, BTCUSDT, Side.SELL, FAIR_TICKS, 1), RiskCheck.UNKNOWN_ORDER);
        rejected(f.replace(id, BTCUSD, Side.BUY, FAIR_TICKS, 1), RiskCheck.UNKNOWN_ORDER);
    }

    @Test
    void malformedOrdersAreRejectedAsInvalid() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        rejected(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 0), RiskCheck.INVALID_ORDER);
        rejected(f.place(BTCUSDT, Side.BUY, 0, 1), RiskCheck.INVALID_ORDER);
        rejected(f.place(7, Side.BUY, FAIR_TICKS, 1), RiskCheck.INVALID_ORDER);
        f.event.begin(f.sequence++, InboundEventType.TIMER, f.now);
        f.event.book().reset();
        QuoteIntent bad = f.event.addIntent().set(QuoteAction.PLACE, Venue.KRAKEN.id(), BTCUSDT, Side.BUY, 0,
                FAIR_TICKS, 1, 0);
        f.engine.onEvent(f.event, f.event.sequence(), true);
        rejected(bad, RiskCheck.INVALID_ORDER);
    }

    @Test
    void intentsOfOneSlotSeeTheOrdersApprovedBeforeThem() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_POSITION, BTCUSDT, 5)));
        f.fairValues();
        f.event.begin(f.sequence++, InboundEventType.TIMER, f.now);
        f.event.book().reset();
        QuoteIntent a = f.event.addIntent().set(QuoteAction.PLACE, Venue.BINANCE.id(), BTCUSDT, Side.BUY, 0, FAIR_TICKS, 3, 0);
        QuoteIntent b = f.event.addIntent().set(QuoteAction.PLACE, Venue.BINANCE.id(), BTCUSDT, Side.BUY, 1, FAIR_TICKS, 3, 0);
        QuoteIntent c = f.event.addIntent().set(QuoteAction.PLACE, Venue.BINANCE.id(), BTCUSDT, Side.BUY, 2, FAIR_TICKS, 2, 0);
        f.engine.onEvent(f.event, f.event.sequence(), true);
        approved(a);
        rejected(b, RiskCheck.MAX_POSITION);
        approved(c);
        assertThat(f.engine.openLeaves(ClientOrderIds.of(f.event.sequence(), 0))).isEqualTo(3);
        assertThat(f.engine.openLeaves(ClientOrderIds.of(f.event.sequence(), 1))).isEqualTo(-1);
        assertThat(f.engine.openLeaves(ClientOrderIds.of(f.event.sequence(), 2))).isEqualTo(2);
    }
}
