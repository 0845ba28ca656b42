package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

class TradingStateTest {

    private static RiskCheck verdict(QuoteIntent intent) {
        return intent.verdict() == RiskVerdict.APPROVED ? null : RiskCheck.ofCode(intent.rejectCode());
    }

    @Test
    void cancelIsAlwaysApprovedEvenWhenHalted() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1);
        long id = f.lastId();
        f.setState(-1, -1, TradingState.HALTED);
        assertThat(f.cancel(id, BTCUSDT, Side.BUY).verdict()).isEqualTo(RiskVerdict.APPROVED);
        // even for an order risk does not know, and without a fair value
        f.fairValue(0, Long.MIN_VALUE);
        assertThat(f.cancel(4242, BTCUSDT, Side.SELL).verdict()).isEqualTo(RiskVerdict.APPROVED);
    }

    @Test
    void haltedRejectsPlaceAndReplace() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1);
        long id = f.lastId();
        f.setState(-1, BTCUSDT, TradingState.HALTED);
        assertThat(verdict(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.TRADING_HALTED);
        assertThat(verdict(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.TRADING_HALTED);
        assertThat(verdict(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1))).isNull();
    }

    @Test
    void reducingAllowsOnlyOrdersThatBringThePositionTowardZeroAndNotBeyond() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 5);
        f.setState(-1, BTCUSDT, TradingState.REDUCING);
        assertThat(verdict(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.REDUCING_ONLY);
        assertThat(verdict(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 6))).isEqualTo(RiskCheck.REDUCING_ONLY);
        assertThat(verdict(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 3))).isNull();
        // the open sell of 3 counts: only 2 more may go
        assertThat(verdict(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 3))).isEqualTo(RiskCheck.REDUCING_ONLY);
        assertThat(verdict(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 2))).isNull();
        // a flat instrument may not open anything
        f.setState(-1, BTCUSD, TradingState.REDUCING);
        assertThat(verdict(f.place(BTCUSD, Side.SELL, FAIR_TICKS, 1))).isEqualTo(RiskCheck.REDUCING_ONLY);
        assertThat(verdict(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.REDUCING_ONLY);
    }

    @Test
    void reducingAllowsBuyingBackAShort() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSDT, Side.SELL, FAIR_TICKS, 4);
        f.setState(Venue.BINANCE.id(), -1, TradingState.REDUCING);
        assertThat(verdict(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 4))).isNull();
        assertThat(verdict(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 1))).isEqualTo(RiskCheck.REDUCING_ONLY);
    }

    @Test
    void theStrictestOfGlobalVenueAndInstrumentStateWins() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 5);
        f.setState(-1, BTCUSDT, TradingState.HALTED);
        f.setState(Venue.BINANCE.id(), -1, TradingState.REDUCING);
        assertThat(f.engine.effectiveState(BTCUSDT)).isEqualTo(TradingState.HALTED);
        assertThat(verdict(f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 1))).isEqualTo(RiskCheck.TRADING_HALTED);

        f.setState(-1, BTCUSDT, TradingState.ACTIVE);
        assertThat(verdict(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.REDUCING_ONLY);

        f.setState(Venue.BINANCE.id(), -1, TradingState.ACTIVE);
        f.setState(-1, -1, TradingState.REDUCING);
        f.setState(-1, BTCUSDT, TradingState.ACTIVE);
        assertThat(f.engine.effectiveState(BTCUSDT)).isEqualTo(TradingState.REDUCING);
        assertThat(verdict(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.REDUCING_ONLY);
        assertThat(verdict(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.REDUCING_ONLY);

        f.setState(-1, -1, TradingState.ACTIVE);
        assertThat(verdict(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isNull();
    }

    @Test
    void killSwitchHaltsEverythingUntilAnOperatorSetsActive() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.control(ControlCommands.KILL_SWITCH, 99, "bob", "runaway", -1, -1, null, 0);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.HALTED);
        assertThat(verdict(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1))).isEqualTo(RiskCheck.TRADING_HALTED);
        ChangeRecord change = f.engine.outcome(99).orElseThrow();
        assertThat(change.applied()).isTrue();
        assertThat(change.principal()).isEqualTo("bob");
        assertThat(change.reason()).isEqualTo("runaway");
        assertThat(change.newValue()).isEqualTo(TradingState.HALTED.ordinal());

        f.setState(-1, -1, TradingState.ACTIVE);
        assertThat(verdict(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1))).isNull();
    }

    @Test
    void killSwitchWithoutPrincipalStillHaltsAndSaysWhatWasMissing() {
        RiskFixture f = new RiskFixture();
        f.control(ControlCommands.KILL_SWITCH, 5, null, "", -1, -1, null, 0);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.HALTED);
        ChangeRecord change = f.engine.outcome(5).orElseThrow();
        assertThat(change.applied()).isTrue();
        assertThat(change.message()).contains("principal is missing").contains("reason is missing");
    }
}
