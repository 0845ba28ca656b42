package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.CancelDecision;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.ETHUSD;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which open orders risk tells execution to cancel ({@link CancelDecision} in the slot) when a
 * trading state changes, on a kill switch and on a cancel-all: the scope (instrument, venue,
 * global) and, for REDUCING, the side that would take the position further from zero.
 */
class HaltCancelDecisionTest {

    private static String covered(CancelDecision d) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            for (Side side : Side.values()) {
                if (d.covers(i, side)) {
                    out.append(i).append(side == Side.BUY ? 'B' : 'S').append(' ');
                }
            }
        }
        return out.toString().trim();
    }

    @Test
    void haltedCancelsBothSidesOfEveryInstrumentInItsScopeAndNothingElse() {
        RiskFixture f = new RiskFixture();
        f.setState(-1, BTCUSD, TradingState.HALTED);
        assertThat(covered(f.event.cancels())).isEqualTo("1B 1S");
        f.setState(Venue.KRAKEN.id(), -1, TradingState.HALTED);
        assertThat(covered(f.event.cancels())).isEqualTo("2B 2S");
        f.setState(-1, -1, TradingState.HALTED);
        assertThat(covered(f.event.cancels())).isEqualTo("0B 0S 1B 1S 2B 2S");
    }

    @Test
    void activeCancelsNothingAndAnotherScopesHaltStillApplies() {
        RiskFixture f = new RiskFixture();
        f.setState(-1, -1, TradingState.HALTED);
        f.setState(-1, -1, TradingState.ACTIVE);
        assertThat(f.event.cancels().isEmpty()).isTrue();
        // the venue is halted: setting its instrument ACTIVE leaves it HALTED in effect, so it cancels there
        f.setState(Venue.BINANCE.id(), -1, TradingState.HALTED);
        f.setState(-1, BTCUSDT, TradingState.ACTIVE);
        assertThat(covered(f.event.cancels())).isEqualTo("0B 0S");
    }

    @Test
    void reducingCancelsTheSideThatIncreasesThePositionAndKeepsTheReducingSide() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 5);   // long 5
        f.trade(BTCUSD, Side.SELL, FAIR_TICKS, 3);   // short 3
        // ETHUSD flat
        f.setState(-1, -1, TradingState.REDUCING);
        // long: its bids go, its asks stay; short: its asks go; flat: both go
        assertThat(covered(f.event.cancels())).isEqualTo("0B 1S 2B 2S");
        ChangeRecord change = f.engine.changeLog().getLast();
        assertThat(change.newValue()).isEqualTo(TradingState.REDUCING.ordinal());
    }

    @Test
    void reducingOnAVenueLooksAtEachInstrumentsOwnPosition() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSD, Side.BUY, FAIR_TICKS, 2);
        f.setState(Venue.COINBASE.id(), -1, TradingState.REDUCING);
        assertThat(covered(f.event.cancels())).isEqualTo("1B");
        // a REDUCING instrument under a HALTED venue: halted wins, both sides
        f.setState(-1, BTCUSD, TradingState.REDUCING);
        f.setState(Venue.COINBASE.id(), -1, TradingState.HALTED);
        assertThat(covered(f.event.cancels())).isEqualTo("1B 1S");
    }

    @Test
    void theChangeLogSaysHowManyOpenOrdersTheDecisionCovers() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.place(BTCUSDT, Side.BUY, FAIR_TICKS - 10, 1);
        f.place(BTCUSDT, Side.SELL, FAIR_TICKS + 10, 1);
        f.place(BTCUSD, Side.BUY, FAIR_TICKS - 10, 1);
        f.setState(Venue.BINANCE.id(), -1, TradingState.HALTED);
        assertThat(f.engine.changeLog().getLast().message()).contains("cancels 2 open orders");
    }

    @Test
    void aKillSwitchHaltsOnlyItsTargetsScopeAndCancelsAllOfIt() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.control(ControlCommands.KILL_SWITCH, 31, "bob", "binance misbehaves", Venue.BINANCE.id(), -1, null, 0);
        assertThat(f.engine.venueState(Venue.BINANCE.id())).isEqualTo(TradingState.HALTED);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.ACTIVE);
        assertThat(covered(f.event.cancels())).isEqualTo("0B 0S");
        assertThat(f.engine.outcome(31).orElseThrow().target()).isEqualTo("venue BINANCE");
        assertThat(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1).verdict()).isEqualTo(RiskVerdict.APPROVED);
        assertThat(RiskCheck.ofCode(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1).rejectCode())).isEqualTo(RiskCheck.TRADING_HALTED);

        f.control(ControlCommands.KILL_SWITCH, 32, "bob", "eth", -1, ETHUSD, null, 0);
        assertThat(f.engine.instrumentState(ETHUSD)).isEqualTo(TradingState.HALTED);
        assertThat(covered(f.event.cancels())).isEqualTo("2B 2S");

        // a target risk does not know: halting must not depend on the form of the request
        f.control(ControlCommands.KILL_SWITCH, 33, "bob", "typo", 42, -1, null, 0);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.HALTED);
        assertThat(covered(f.event.cancels())).isEqualTo("0B 0S 1B 1S 2B 2S");
        assertThat(f.engine.outcome(33).orElseThrow().message()).contains("halted globally");
    }

    @Test
    void cancelAllCancelsTheScopeWithoutChangingAnyTradingState() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.place(BTCUSD, Side.BUY, FAIR_TICKS - 10, 1);
        f.place(BTCUSD, Side.SELL, FAIR_TICKS + 10, 1);
        f.control(ControlCommands.CANCEL_ALL, 40, "carol", "clean book", Venue.COINBASE.id(), -1, null, 0);
        assertThat(covered(f.event.cancels())).isEqualTo("1B 1S");
        assertThat(f.event.control().applied()).isTrue();
        ChangeRecord change = f.engine.outcome(40).orElseThrow();
        assertThat(change.what()).isEqualTo(RiskEngine.ORDERS);
        assertThat(change.oldValue()).isEqualTo(2);
        assertThat(change.newValue()).isZero();
        assertThat(f.engine.venueState(Venue.COINBASE.id())).isEqualTo(TradingState.ACTIVE);
        assertThat(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1).verdict()).isEqualTo(RiskVerdict.APPROVED);

        f.control(ControlCommands.CANCEL_ALL, 41, "carol", "all", -1, -1, null, 0);
        assertThat(covered(f.event.cancels())).isEqualTo("0B 0S 1B 1S 2B 2S");

        f.control(ControlCommands.CANCEL_ALL, 42, "carol", "bad", 17, -1, null, 0);
        assertThat(f.event.cancels().isEmpty()).isTrue();
        assertThat(f.event.control().applied()).isFalse();
        assertThat(f.engine.outcome(42).orElseThrow().message()).contains("bad target");
    }

    @Test
    void eventsThatChangeNoStateCarryNoDecision() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.setState(-1, -1, TradingState.HALTED);
        assertThat(f.event.cancels().isEmpty()).isFalse();
        f.timer();
        assertThat(f.event.cancels().isEmpty()).isTrue();
        f.setLimit(3, -1, BTCUSDT, LimitKind.MAX_POSITION, 10);
        assertThat(f.event.cancels().isEmpty()).isTrue();
    }

    @Test
    void theViewShowsAHaltAtOnceWithoutWaitingForATimer() {
        RiskFixture f = new RiskFixture();
        f.setState(-1, -1, TradingState.HALTED);
        assertThat(f.engine.view().globalState()).isEqualTo(TradingState.HALTED);
        f.setState(Venue.KRAKEN.id(), -1, TradingState.REDUCING);
        assertThat(f.engine.view().venueState(Venue.KRAKEN.id())).isEqualTo(TradingState.REDUCING);
        f.control(ControlCommands.KILL_SWITCH, 9, "bob", "eth", -1, ETHUSD, null, 0);
        assertThat(f.engine.view().instrumentState(ETHUSD)).isEqualTo(TradingState.HALTED);
    }

    @Test
    void theDailyLossLimitsReducingCancelsTheIncreasingSideOnTheEventThatTriggersIt() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(l -> l.set(LimitKind.DAILY_LOSS, 0, 5_000_000)));
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 100);
        f.fairValue(0, RiskFixture.FAIR - 50_000_000L);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.REDUCING);
        // long BTCUSDT: its bids; the flat ones: both sides
        assertThat(covered(f.event.cancels())).isEqualTo("0B 1B 1S 2B 2S");
    }
}
