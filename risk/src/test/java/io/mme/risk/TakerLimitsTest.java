package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

/** Risk's limits on taker (IOC) orders, beside the checks every order passes. */
class TakerLimitsTest {
    private static final long SECOND = 1_000_000_000L;

    private static void approved(QuoteIntent intent) {
        assertThat(intent.verdict()).isEqualTo(RiskVerdict.APPROVED);
    }

    private static void rejected(QuoteIntent intent, RiskCheck check) {
        assertThat(intent.verdict()).isEqualTo(RiskVerdict.REJECTED);
        assertThat(RiskCheck.ofCode(intent.rejectCode())).isEqualTo(check);
    }

    /** a complete venue message: the book's VALID touch and the pair's fair value */
    private static void touch(RiskFixture f, int instrument, long bidTicks, long askTicks) {
        f.event.begin(f.sequence++, InboundEventType.MARKET_DATA, f.now);
        f.event.book().reset();
        f.event.book().top(instrument, BookState.VALID, bidTicks, 10, askTicks, 10);
        f.event.book().fairValue(instrument, RiskFixture.FAIR);
        f.engine.onEvent(f.event, f.event.sequence(), true);
    }

    private static QuoteIntent taker(RiskFixture f, int instrument, Side side, long priceTicks, long lots) {
        f.event.begin(f.sequence++, InboundEventType.MARKET_DATA, f.now);
        f.event.book().reset();
        QuoteIntent intent = f.event.addIntent().taker(RiskFixture.venueOf(instrument), instrument, side, priceTicks, lots);
        f.engine.onEvent(f.event, f.event.sequence(), true);
        return intent;
    }

    @Test
    void aTakerLimitPriceUpToTheSlippageBeyondTheTouchIsApprovedAndOneTickMoreIsRefused() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        touch(f, BTCUSDT, 5_999_000, FAIR_TICKS);
        // default 50 bps: a buy may pay up to 60,000.00 × 1.005 = 60,300.00
        approved(taker(f, BTCUSDT, Side.BUY, 6_030_000, 1));
        rejected(taker(f, BTCUSDT, Side.BUY, 6_030_001, 1), RiskCheck.MAX_TAKER_SLIPPAGE);
        // a sell down to 59,990.00 × 0.995 = 59,690.05
        approved(taker(f, BTCUSDT, Side.SELL, 5_969_005, 1));
        rejected(taker(f, BTCUSDT, Side.SELL, 5_969_004, 1), RiskCheck.MAX_TAKER_SLIPPAGE);
        // a limit inside the touch (it may not fill) is no slippage
        approved(taker(f, BTCUSDT, Side.BUY, 5_990_000, 1));
    }

    @Test
    void theSlippageLimitIsSetPerVenueThroughTheLimitsControlPath() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        touch(f, BTCUSDT, 5_999_000, FAIR_TICKS);
        f.control(ControlCommands.SET_LIMIT, 7, "alice", "tighter hedges", Venue.BINANCE.id(), -1, "maxTakerSlippageBps", 10);
        assertThat(f.engine.limits().get(LimitKind.MAX_TAKER_SLIPPAGE, Venue.BINANCE.id())).isEqualTo(10);
        rejected(taker(f, BTCUSDT, Side.BUY, 6_030_000, 1), RiskCheck.MAX_TAKER_SLIPPAGE);
        approved(taker(f, BTCUSDT, Side.BUY, 6_006_000, 1));
    }

    @Test
    void takerQuantityPerMinuteCountsEachInstrumentsIocOrdersOverTheLastSixtySecondsOfEventTime() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_TAKER_QUANTITY_PER_MINUTE, BTCUSDT, 10)));
        f.fairValues();
        touch(f, BTCUSDT, 5_999_000, FAIR_TICKS);
        touch(f, BTCUSD, 5_999_000, FAIR_TICKS);
        approved(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 6));
        f.now += 30 * SECOND;
        rejected(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 5), RiskCheck.MAX_TAKER_QUANTITY);
        approved(taker(f, BTCUSDT, Side.SELL, 5_999_000, 4));
        // another instrument has its own count; quotes are not taker orders
        approved(taker(f, BTCUSD, Side.BUY, FAIR_TICKS, 10));
        approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS - 100, 50));
        // sixty seconds after the first, it no longer counts
        f.now += 30 * SECOND;
        approved(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 6));
        rejected(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.MAX_TAKER_QUANTITY);
    }

    @Test
    void aTakerOrderWithoutAValidTouchIsRefused() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        rejected(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.TAKER_NO_TOUCH);
        touch(f, BTCUSDT, 5_999_000, FAIR_TICKS);
        approved(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 1));
        f.event.begin(f.sequence++, InboundEventType.MARKET_DATA, f.now);
        f.event.book().reset();
        f.event.book().changed(BTCUSDT, BookState.INVALID);
        f.engine.onEvent(f.event, f.event.sequence(), true);
        rejected(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.TAKER_NO_TOUCH);
    }

    @Test
    void aTakerOrderPassesEveryCheckAQuotePasses() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.MAX_ORDER_QUANTITY, BTCUSDT, 3)));
        f.fairValues();
        touch(f, BTCUSDT, 5_999_000, FAIR_TICKS);
        rejected(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 4), RiskCheck.MAX_ORDER_QUANTITY);
        f.setState(-1, BTCUSDT, io.mme.core.ring.TradingState.HALTED);
        rejected(taker(f, BTCUSDT, Side.BUY, FAIR_TICKS, 1), RiskCheck.TRADING_HALTED);
    }
}
