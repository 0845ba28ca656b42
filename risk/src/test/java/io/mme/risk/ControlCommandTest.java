package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static org.assertj.core.api.Assertions.assertThat;

class ControlCommandTest {

    @Test
    void anAppliedLimitChangeIsRecordedWithWhoWhenWhyAndOldAndNewValue() {
        RiskFixture f = new RiskFixture();
        long before = f.engine.limit(LimitKind.MAX_POSITION, BTCUSDT);
        f.now += 123;
        f.control(ControlCommands.SET_LIMIT, 41, "alice", "tighten before CPI", -1, BTCUSDT, "maxPosition", 7);
        assertThat(f.engine.limit(LimitKind.MAX_POSITION, BTCUSDT)).isEqualTo(7);
        ChangeRecord change = f.engine.outcome(41).orElseThrow();
        assertThat(change.applied()).isTrue();
        assertThat(change.sequence()).isEqualTo(f.event.sequence());
        assertThat(change.timestampNanos()).isEqualTo(f.now);
        assertThat(change.principal()).isEqualTo("alice");
        assertThat(change.reason()).isEqualTo("tighten before CPI");
        assertThat(change.what()).isEqualTo("maxPosition");
        assertThat(change.target()).isEqualTo("instrument 0 (BINANCE BTCUSDT)");
        assertThat(change.oldValue()).isEqualTo(before);
        assertThat(change.newValue()).isEqualTo(7);
        assertThat(f.engine.changeLog()).containsExactly(change);
        // the answer is in the slot too, for the audit journal and the API
        assertThat(f.event.control().answered()).isTrue();
        assertThat(f.event.control().applied()).isTrue();
        assertThat(f.event.control().oldValue()).isEqualTo(before);
        assertThat(f.event.control().message()).isNull();
    }

    @Test
    void limitsOfEachScopeTakeTheirOwnTarget() {
        RiskFixture f = new RiskFixture();
        f.control(ControlCommands.SET_LIMIT, 1, "alice", "x", Venue.KRAKEN.id(), -1, "maxOpenOrdersPerVenue", 3);
        f.control(ControlCommands.SET_LIMIT, 2, "alice", "x", -1, -1, "dailyLossLimit", 9);
        f.control(ControlCommands.SET_LIMIT, 3, "alice", "x", -1, BTCUSD, "maxAssetPosition", 11);
        f.control(ControlCommands.SET_LIMIT, 4, "alice", "x", Venue.COINBASE.id(), BTCUSD, "priceBandBps", 12);
        assertThat(f.engine.limit(LimitKind.MAX_OPEN_ORDERS_PER_VENUE, Venue.KRAKEN.id())).isEqualTo(3);
        assertThat(f.engine.limit(LimitKind.DAILY_LOSS, 0)).isEqualTo(9);
        assertThat(f.engine.limit(LimitKind.MAX_ASSET_POSITION, 0)).isEqualTo(11);
        assertThat(f.engine.limit(LimitKind.PRICE_BAND, BTCUSD)).isEqualTo(12);
        assertThat(f.engine.outcome(1).orElseThrow().target()).isEqualTo("venue KRAKEN");
        assertThat(f.engine.outcome(2).orElseThrow().target()).isEqualTo("global");
        assertThat(f.engine.outcome(3).orElseThrow().target()).isEqualTo("asset BTC");
        assertThat(f.engine.changeLog()).allMatch(ChangeRecord::applied);
    }

    @Test
    void refusedCommandsChangeNothingAndSayWhatWasWrong() {
        RiskFixture f = new RiskFixture();
        long limit = f.engine.limit(LimitKind.MAX_POSITION, BTCUSDT);
        f.control(ControlCommands.SET_LIMIT, 10, "alice", "x", -1, BTCUSDT, "maxPositon", 7);
        assertThat(f.event.control().answered()).isTrue();
        assertThat(f.event.control().applied()).isFalse();
        assertThat(f.event.control().message()).contains("maxPositon");
        f.control(ControlCommands.SET_LIMIT, 11, "alice", "x", -1, BTCUSDT, "maxPosition", -1);
        f.control(ControlCommands.SET_LIMIT, 12, "alice", "x", Venue.BINANCE.id(), -1, "maxPosition", 7);
        f.control(ControlCommands.SET_LIMIT, 13, "alice", "x", Venue.KRAKEN.id(), BTCUSDT, "maxPosition", 7);
        f.control(ControlCommands.SET_LIMIT, 14, null, "x", -1, BTCUSDT, "maxPosition", 7);
        f.control(ControlCommands.SET_LIMIT, 15, "alice", " ", -1, BTCUSDT, "maxPosition", 7);
        f.control(ControlCommands.SET_LIMIT, 16, "alice", "x", Venue.BINANCE.id(), -1, "orderRatePerMinute", 2_000_000);
        f.control(ControlCommands.SET_TRADING_STATE, 17, "alice", "x", -1, -1, null, 3);
        f.control(ControlCommands.SET_TRADING_STATE, 18, "alice", "x", 9, -1, null, 1);
        assertThat(f.engine.limit(LimitKind.MAX_POSITION, BTCUSDT)).isEqualTo(limit);
        assertThat(f.engine.globalState()).isEqualTo(TradingState.ACTIVE);
        assertThat(f.engine.changeLog()).hasSize(9).noneMatch(ChangeRecord::applied);
        assertThat(f.engine.outcome(10).orElseThrow().message()).contains("unknown limit key 'maxPositon'").contains("maxPosition");
        assertThat(f.engine.outcome(11).orElseThrow().message()).contains("negative value -1");
        assertThat(f.engine.outcome(12).orElseThrow().message()).contains("bad target venue BINANCE");
        assertThat(f.engine.outcome(13).orElseThrow().message()).contains("bad target");
        assertThat(f.engine.outcome(14).orElseThrow().message()).isEqualTo("principal is missing");
        assertThat(f.engine.outcome(15).orElseThrow().message()).isEqualTo("reason is missing");
        assertThat(f.engine.outcome(16).orElseThrow().message()).contains("above the largest orderRatePerMinute");
        assertThat(f.engine.outcome(17).orElseThrow().message()).contains("trading state 3 is not one of");
        assertThat(f.engine.outcome(18).orElseThrow().message()).contains("bad target");
        assertThat(f.engine.outcome(14).orElseThrow().principal()).isNull();
    }

    @Test
    void tradingStateChangesAreRecordedAsOrdinals() {
        RiskFixture f = new RiskFixture();
        f.control(ControlCommands.SET_TRADING_STATE, 20, "carol", "venue incident", Venue.COINBASE.id(), -1, null,
                TradingState.HALTED.ordinal());
        assertThat(f.engine.venueState(Venue.COINBASE.id())).isEqualTo(TradingState.HALTED);
        ChangeRecord change = f.engine.outcome(20).orElseThrow();
        assertThat(change.what()).isEqualTo(RiskEngine.TRADING_STATE);
        assertThat(change.target()).isEqualTo("venue COINBASE");
        assertThat(change.oldValue()).isEqualTo(TradingState.ACTIVE.ordinal());
        assertThat(change.newValue()).isEqualTo(TradingState.HALTED.ordinal());
    }

    @Test
    void otherEnginesCommandsAreNotRecorded() {
        RiskFixture f = new RiskFixture();
        f.control(ControlCommands.SET_STRATEGY_PARAMETER, 30, "alice", "x", -1, -1, "spreadBps", 5);
        assertThat(f.engine.changeLog()).isEmpty();
        assertThat(f.engine.outcome(30)).isEmpty();
    }

    @Test
    void theLogAndTheLookupAreBoundedButTheCountIsNot() {
        RiskFixture f = new RiskFixture(RiskFixture.permissive(RiskFixture.registry()).withCapacities(16, 4, 3));
        for (int r = 1; r <= 5; r++) {
            f.setLimit(r, -1, BTCUSDT, LimitKind.MAX_POSITION, r);
        }
        assertThat(f.engine.changeLog()).extracting(ChangeRecord::requestId).containsExactly(3L, 4L, 5L);
        assertThat(f.engine.outcome(1)).isEmpty();
        assertThat(f.engine.outcome(2)).isEmpty();
        assertThat(f.engine.outcome(5).orElseThrow().oldValue()).isEqualTo(4);
        assertThat(f.engine.changesRecorded()).isEqualTo(5);
    }
}
