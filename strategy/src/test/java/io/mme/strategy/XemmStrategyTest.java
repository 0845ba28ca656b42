package io.mme.strategy;

import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.OrderUpdate;
import io.mme.strategy.api.Side;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * XEMM on a hand-set view with several levels: instrument 0 is the hedge venue (taker fee 10 bps),
 * instrument 1 the maker venue (maker fee 25 bps). Prices in ticks of 0.01, quantities in lots of
 * 0.0001.
 */
class XemmStrategyTest {
    private static final long UNIT = 1_000_000_000L;
    private static final int HEDGE = 0;
    private static final int MAKER = 1;

    private DepthMarketView view;
    private XemmStrategy xemm;
    private RecordedTakers takers;

    @BeforeEach
    void setUp() {
        view = new DepthMarketView(2, 5).fees(HEDGE, 2, 10).fees(MAKER, 25, 40);
        // bids 100.00 x 0.4, 99.90 x 0.4, 99.80 x 1.0; asks 100.10 x 0.2, 100.20 x 1.0
        view.levels(HEDGE, Side.BUY, 10_000, 4_000, 9_990, 4_000, 9_980, 10_000);
        view.levels(HEDGE, Side.SELL, 10_010, 2_000, 10_020, 10_000);
        view.levels(MAKER, Side.BUY, 9_900, 10_000);
        view.levels(MAKER, Side.SELL, 10_100, 10_000);
        xemm = new XemmStrategy();
        assertThat(xemm.setParameter(XemmStrategy.SIZE_NANOS, UNIT)).isNull();
        assertThat(xemm.setParameter(XemmStrategy.MAX_UNHEDGED_NANOS, 3 * UNIT)).isNull();
        xemm.start(view);
        takers = new RecordedTakers();
    }

    private QuoteTargets quote() {
        QuoteTargets out = new QuoteTargets(2, 1);
        out.clear();
        xemm.quote(out);
        return out;
    }

    @Test
    void theBidIsWhatItsSizeSellsForOnTheHedgeVenueWalkingItsLevelsNetOfBothFeesAndTheMinimumProfit() {
        QuoteTargets out = quote();
        // selling 1.0 into the hedge bids: 0.4 at 100.00, 0.4 at 99.90, 0.2 at 99.80
        double sellVwap = (0.4 * 100.00 + 0.4 * 99.90 + 0.2 * 99.80) * UNIT;
        double bid = sellVwap * (1 - 0.0010) * (1 - 0.0005) / (1 + 0.0025);
        assertThat(out.priceNanos(MAKER, Side.BUY, 0)).isCloseTo(bid, within(1.0));
        // buying 1.0 from the hedge asks: 0.2 at 100.10, 0.8 at 100.20
        double buyVwap = (0.2 * 100.10 + 0.8 * 100.20) * UNIT;
        double ask = buyVwap * (1 + 0.0010) * (1 + 0.0005) / (1 - 0.0025);
        assertThat(out.priceNanos(MAKER, Side.SELL, 0)).isCloseTo(ask, within(1.0));
        assertThat(out.sizeNanos(MAKER, Side.BUY, 0)).isEqualTo(UNIT);
        assertThat(out.sizeNanos(MAKER, Side.SELL, 0)).isEqualTo(UNIT);
        // never quoted on the hedge venue
        assertThat(out.sizeNanos(HEDGE, Side.BUY, 0)).isZero();
        assertThat(out.sizeNanos(HEDGE, Side.SELL, 0)).isZero();
    }

    @Test
    void aFilledBidHedgedAtTheWalkedPriceEarnsAtLeastTheMinimumProfitAfterFees() {
        double bid = quote().priceNanos(MAKER, Side.BUY, 0);
        double sellVwap = (0.4 * 100.00 + 0.4 * 99.90 + 0.2 * 99.80) * UNIT;
        double cost = bid * (1 + 0.0025);
        double proceeds = sellVwap * (1 - 0.0010);
        assertThat((proceeds - cost) / cost * 10_000).isGreaterThanOrEqualTo(5 - 1e-6);
    }

    @Test
    void aRebateOnTheMakerVenueRaisesTheBid() {
        double withFee = quote().priceNanos(MAKER, Side.BUY, 0);
        view.fees(MAKER, -2, 40);
        assertThat(quote().priceNanos(MAKER, Side.BUY, 0)).isGreaterThan(withFee);
    }

    @Test
    void withATouchOnlyViewTheSizeBeyondTheTouchIsMissingLiquidityAndTheQuoteShrinks() {
        view = new DepthMarketView(2, 1).fees(HEDGE, 2, 10).fees(MAKER, 25, 40);
        view.levels(HEDGE, Side.BUY, 10_000, 4_000, 9_990, 4_000);
        view.levels(HEDGE, Side.SELL, 10_010, 2_000, 10_020, 10_000);
        xemm = new XemmStrategy();
        xemm.setParameter(XemmStrategy.SIZE_NANOS, UNIT);
        xemm.setParameter(XemmStrategy.MAX_UNHEDGED_NANOS, 3 * UNIT);
        xemm.start(view);
        QuoteTargets out = quote();
        assertThat(out.sizeNanos(MAKER, Side.BUY, 0)).isEqualTo(4_000 * DepthMarketView.LOT);
        assertThat(out.priceNanos(MAKER, Side.BUY, 0)).isCloseTo(100.00 * UNIT * 0.999 * 0.9995 / 1.0025, within(1.0));
        assertThat(out.sizeNanos(MAKER, Side.SELL, 0)).isEqualTo(2_000 * DepthMarketView.LOT);
    }

    @Test
    void theQuotesMoveWhenTheHedgeBookMoves() {
        double before = quote().priceNanos(MAKER, Side.BUY, 0);
        view.levels(HEDGE, Side.BUY, 10_050, 20_000);
        assertThat(quote().priceNanos(MAKER, Side.BUY, 0)).isCloseTo(100.50 * UNIT * 0.999 * 0.9995 / 1.0025, within(1.0))
                .isGreaterThan(before);
    }

    @Test
    void aMakerFillIsHedgedAtOnceWithAnIocOnTheHedgeVenueForItsWholeSize() {
        view.position(MAKER, 6_000 * DepthMarketView.LOT);
        xemm.onFill(MAKER, Side.BUY, 9_950, 6_000, false, view.time);
        xemm.take(takers);
        assertThat(takers.taken).hasSize(1);
        RecordedTakers.Take hedge = takers.last();
        assertThat(hedge.instrument()).isEqualTo(HEDGE);
        assertThat(hedge.side()).isEqualTo(Side.SELL);
        assertThat(hedge.sizeNanos()).isEqualTo(6_000 * DepthMarketView.LOT);
        // the walk for 0.6 reaches 99.90; the limit allows 20 bps beyond it
        assertThat(hedge.limitPriceNanos()).isCloseTo(99.90 * UNIT * (1 - 0.0020), within(1.0));
        // one hedge in flight at a time
        xemm.take(takers);
        assertThat(takers.taken).hasSize(1);
        assertThat(xemm.report(XemmStrategy.HEDGES_SENT)).isEqualTo(1);
    }

    @Test
    void aShortFromAFilledAskIsHedgedWithABuyWhoseLimitIsAboveTheWalkedAsks() {
        view.position(MAKER, -5_000 * DepthMarketView.LOT);
        xemm.onFill(MAKER, Side.SELL, 10_060, 5_000, false, view.time);
        xemm.take(takers);
        assertThat(takers.last().side()).isEqualTo(Side.BUY);
        assertThat(takers.last().limitPriceNanos()).isCloseTo(100.20 * UNIT * 1.0020, within(1.0));
    }

    @Test
    void partialFillsOfTheMakerAndTheHedgeLeaveOnlyTheRestToHedgeAfterTheIocExpires() {
        view.position(MAKER, 3_000 * DepthMarketView.LOT);
        xemm.onFill(MAKER, Side.BUY, 9_950, 3_000, false, view.time);
        xemm.take(takers);
        long first = takers.last().id();
        assertThat(takers.last().sizeNanos()).isEqualTo(3_000 * DepthMarketView.LOT);
        // the hedge fills 0.1 of 0.3; the rest expires
        view.position(HEDGE, -1_000 * DepthMarketView.LOT);
        xemm.onFill(HEDGE, Side.SELL, 10_000, 1_000, true, view.time);
        assertThat(xemm.hedgeOrderId()).isEqualTo(first);
        xemm.onTakerUpdate(first, HEDGE, Side.SELL, OrderUpdate.EXPIRED, 1_000, 2_000, 0, view.time);
        assertThat(xemm.hedgeOrderId()).isZero();
        // a second maker fill meanwhile: the next hedge covers both rests, after the retry delay
        view.position(MAKER, 5_000 * DepthMarketView.LOT);
        xemm.take(takers);
        assertThat(takers.taken).hasSize(1);
        view.time += 200 * Fixture.MS;
        xemm.take(takers);
        assertThat(takers.taken).hasSize(2);
        assertThat(takers.last().sizeNanos()).isEqualTo(4_000 * DepthMarketView.LOT);
        assertThat(xemm.report(XemmStrategy.UNHEDGED_NANOS)).isEqualTo(4_000 * DepthMarketView.LOT);
    }

    @Test
    void aRejectedHedgeIsCountedAndRetriedAfterTheRetryDelayForWhatIsStillUnhedged() {
        view.position(MAKER, 2_000 * DepthMarketView.LOT);
        xemm.take(takers);
        xemm.onTakerUpdate(takers.last().id(), HEDGE, Side.SELL, OrderUpdate.REJECTED, 0, 2_000, 1_020, view.time);
        assertThat(xemm.report(XemmStrategy.HEDGES_REJECTED)).isEqualTo(1);
        view.time += 199 * Fixture.MS;
        xemm.take(takers);
        assertThat(takers.taken).hasSize(1);
        view.time += Fixture.MS;
        xemm.take(takers);
        assertThat(takers.taken).hasSize(2);
        assertThat(takers.last().sizeNanos()).isEqualTo(2_000 * DepthMarketView.LOT);
    }

    @Test
    void aHedgeVenueThatIsNotValidStopsBothSidesAndTheHedge() {
        view.status(HEDGE, BookStatus.INVALID);
        QuoteTargets out = quote();
        assertThat(out.sizeNanos(MAKER, Side.BUY, 0)).isZero();
        assertThat(out.sizeNanos(MAKER, Side.SELL, 0)).isZero();
        view.position(MAKER, 2_000 * DepthMarketView.LOT);
        xemm.take(takers);
        assertThat(takers.taken).isEmpty();
        view.status(HEDGE, BookStatus.VALID);
        xemm.take(takers);
        assertThat(takers.taken).hasSize(1);
    }

    @Test
    void aSideStopsWhenItsFullFillWouldTakeTheUnhedgedInventoryPastTheLimit() {
        view.position(MAKER, 2 * UNIT + 1);
        QuoteTargets out = quote();
        assertThat(out.sizeNanos(MAKER, Side.BUY, 0)).isZero();
        assertThat(out.sizeNanos(MAKER, Side.SELL, 0)).isEqualTo(UNIT);
    }

    @Test
    void aRoundTripReportsItsEdgeAndTheHedgeSlippageAgainstTheTouch() {
        // bought 0.4 at 99.50 on the maker venue (25 bps), sold 0.4 at 99.90 on the hedge venue (10 bps), touch 100.00
        view.position(MAKER, 4_000 * DepthMarketView.LOT);
        xemm.onFill(MAKER, Side.BUY, 9_950, 4_000, false, view.time);
        xemm.take(takers);
        view.position(HEDGE, -4_000 * DepthMarketView.LOT);
        xemm.onFill(HEDGE, Side.SELL, 9_990, 4_000, true, view.time);
        assertThat(xemm.hedgeOrderId()).isZero();
        assertThat(xemm.report(XemmStrategy.ROUND_TRIPS)).isEqualTo(1);
        double edge = 0.4 * 99.90 * (1 - 0.0010) - 0.4 * 99.50 * (1 + 0.0025);
        assertThat(xemm.report(XemmStrategy.REALISED_EDGE_NANOS)).isCloseTo(Math.round(edge * UNIT), within(2L));
        assertThat(xemm.report(XemmStrategy.EDGE_PER_ROUND_TRIP_NANOS)).isCloseTo(Math.round(edge * UNIT), within(2L));
        assertThat(xemm.report(XemmStrategy.HEDGE_SLIPPAGE_NANOS)).isEqualTo(Math.round(0.4 * 0.10 * UNIT));
        assertThat(xemm.report(XemmStrategy.UNHEDGED_NANOS)).isZero();
    }

    @Test
    void aHedgeVenueIndexBeyondTheVenuesIsRefusedAtStartNamingTheKey() {
        XemmStrategy bad = new XemmStrategy();
        assertThat(bad.setParameter(XemmStrategy.HEDGE_VENUE_INDEX, 2)).isNull();
        assertThatThrownBy(() -> bad.start(view)).hasMessageContaining(XemmStrategy.HEDGE_VENUE_INDEX + "=2");
        assertThat(xemm.setParameter(XemmStrategy.HEDGE_VENUE_INDEX, 1)).contains("fixed once the strategy started");
        assertThat(xemm.setParameter(XemmStrategy.HEDGE_VENUE_INDEX, xemm.parameter(XemmStrategy.HEDGE_VENUE_INDEX)))
                .as("a restored state sets the same hedge venue again").isNull();
        assertThat(xemm.setParameter(XemmStrategy.MIN_PROFIT_BPS, -1)).contains("between 0 and 10000");
    }
}
