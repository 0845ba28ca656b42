package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.BookState;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Strategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.mme.strategy.Fixture.COINBASE;
import static io.mme.strategy.Fixture.KRAKEN;
import static io.mme.strategy.Fixture.OTHER;
import static io.mme.strategy.Fixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One strategy engine hosting a desk: "btc" quotes BTC/USD on Coinbase and Kraken (pair 0), "eth"
 * quotes ETH/USDT on Binance (pair 1). Events go only to the strategies they concern; a strategy
 * whose code throws is halted alone.
 */
class StrategyDeskTest {
    static final int BTC_PAIR = 0;
    static final int ETH_PAIR = 1;
    /** 50,000.005 USD */
    static final long BTC_FV = 50_000_005_000_000L;
    /** 3,000 USDT */
    static final long ETH_FV = 3_000_000_000_000L;

    /** counts quote calls and throws from quote() once told to */
    static final class CountingStrategy implements Strategy {
        final ScriptedStrategy quotes = new ScriptedStrategy(5_000_000_000.0, 5_000_000_000.0, 1_000_000);
        int quoteCalls;
        boolean fail;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void start(MarketView market) {
            quotes.start(market);
        }

        @Override
        public void quote(Quotes out) {
            quoteCalls++;
            if (fail) {
                throw new IllegalStateException("model blew up");
            }
            quotes.quote(out);
        }

        @Override
        public List<String> parameterKeys() {
            return List.of();
        }

        @Override
        public String setParameter(String key, long value) {
            return "no parameters";
        }

        @Override
        public long parameter(String key) {
            throw new IllegalArgumentException(key);
        }

    }

    final CountingStrategy btc = new CountingStrategy();
    final CountingStrategy eth = new CountingStrategy();
    final StrategyEngine engine = desk(btc, eth);
    final InboundEvent event = new InboundEvent();
    long sequence;

    static StrategyEngine desk(Strategy btc, Strategy eth) {
        return new StrategyEngine(List.of(
                new HostedStrategy("btc", StrategyEngineConfig.of(BTC_PAIR, List.of(COINBASE, KRAKEN)).withAntiChurn(0, 0, 0, 0)
                        .withMaxLevels(1), btc),
                new HostedStrategy("eth", StrategyEngineConfig.of(ETH_PAIR, List.of(OTHER)).withAntiChurn(0, 0, 0, 0)
                        .withMaxLevels(1), eth)), Fixture.registry());
    }

    List<QuoteIntent> book(int instrument, long bid, long ask, int pair, long fair) {
        event.begin(sequence++, InboundEventType.MARKET_DATA, T0 + sequence);
        event.book().reset();
        event.book().top(instrument, BookState.VALID, bid, 1, ask, 1);
        event.book().fairValue(pair, fair);
        return deliver();
    }

    List<QuoteIntent> control(String command, int instrument) {
        event.begin(sequence++, InboundEventType.CONTROL, T0 + sequence);
        event.book().reset();
        event.control().set(command, 1, "alice", "test").target(-1, instrument);
        return deliver();
    }

    List<QuoteIntent> accepted(QuoteIntent placed, long placedBy, int index) {
        event.begin(sequence++, InboundEventType.EXECUTION_REPORT, T0 + sequence);
        event.book().reset();
        event.executionReport().set(ExecType.ACCEPTED, placed.venueId(), placed.instrumentId(), ClientOrderIds.of(placedBy, index),
                99, placed.side(), placed.priceTicks(), placed.quantityLots(), T0).owner(1);
        return deliver();
    }

    List<QuoteIntent> deliver() {
        engine.onEvent(event, event.sequence(), true);
        List<QuoteIntent> out = new ArrayList<>();
        for (int i = 0; i < event.intentCount(); i++) {
            QuoteIntent q = event.intent(i);
            QuoteIntent copy = new QuoteIntent();
            copy.set(q.action(), q.venueId(), q.instrumentId(), q.side(), q.level(), q.priceTicks(), q.quantityLots(),
                    q.targetClientOrderId());
            out.add(copy);
        }
        return out;
    }

    /** both strategies quoting, every quote acknowledged */
    void bothQuoting() {
        for (int[] book : new int[][]{{KRAKEN, BTC_PAIR}, {COINBASE, BTC_PAIR}, {OTHER, ETH_PAIR}}) {
            long fair = book[1] == BTC_PAIR ? BTC_FV : ETH_FV;
            long bid = book[0] == KRAKEN ? 499_000 : book[0] == COINBASE ? 4_990_000 : 290_000;
            long ask = book[0] == KRAKEN ? 501_000 : book[0] == COINBASE ? 5_010_000 : 310_000;
            long placedBy = sequence;
            List<QuoteIntent> placed = book(book[0], bid, ask, book[1], fair);
            assertThat(placed).extracting(QuoteIntent::instrumentId).containsOnly(book[0]);
            for (int i = 0; i < placed.size(); i++) {
                accepted(placed.get(i), placedBy, i);
            }
        }
        assertThat(engine.unit("btc").slotState(1, Side.SELL, 0)).isEqualTo(SlotState.LIVE);
        assertThat(engine.unit("eth").slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
    }

    @Test
    void aMarketDataEventOfOnePairReachesOnlyTheStrategyQuotingIt() {
        bothQuoting();
        int btcCalls = btc.quoteCalls;
        int ethCalls = eth.quoteCalls;
        List<QuoteIntent> out = book(OTHER, 290_000, 310_000, ETH_PAIR, ETH_FV + 2_000_000_000L);
        assertThat(out).isNotEmpty().allSatisfy(q -> assertThat(q.instrumentId()).isEqualTo(OTHER));
        assertThat(eth.quoteCalls).isEqualTo(ethCalls + 1);
        assertThat(btc.quoteCalls).as("the BTC strategy did no work for an ETH message").isEqualTo(btcCalls);
    }

    @Test
    void aStrategyWhoseCodeThrowsIsHaltedAloneAndItsQuotesCancelled() {
        bothQuoting();
        btc.fail = true;
        List<QuoteIntent> out = book(KRAKEN, 499_000, 501_000, BTC_PAIR, BTC_FV + 10_000_000_000L);
        assertThat(out).hasSize(4).allSatisfy(q -> assertThat(q.action()).isEqualTo(QuoteAction.CANCEL));
        assertThat(out).extracting(QuoteIntent::instrumentId).containsOnly(COINBASE, KRAKEN);
        StrategyUnit halted = engine.unit("btc");
        assertThat(halted.halted()).isTrue();
        assertThat(halted.quoting()).isFalse();
        assertThat(halted.haltReason()).contains("quote").contains("IllegalStateException: model blew up");
        assertThat(engine.unit("eth").haltReason()).isNull();

        int btcCalls = btc.quoteCalls;
        List<QuoteIntent> ethOut = book(OTHER, 290_000, 310_000, ETH_PAIR, ETH_FV + 2_000_000_000L);
        assertThat(ethOut).isNotEmpty().allSatisfy(q -> assertThat(q.action()).isEqualTo(QuoteAction.REPLACE));
        book(KRAKEN, 499_000, 501_000, BTC_PAIR, BTC_FV);
        assertThat(btc.quoteCalls).as("a halted strategy is not asked again").isEqualTo(btcCalls);

        btc.fail = false;
        control(ControlCommands.START_STRATEGY, KRAKEN);
        assertThat(event.control().applied()).isTrue();
        assertThat(event.control().message()).contains("was halted");
        assertThat(halted.halted()).isFalse();
        assertThat(halted.haltReason()).isNull();
    }

    @Test
    void aStopForOneStrategyNamedByItsInstrumentStopsOnlyThatStrategy() {
        bothQuoting();
        List<QuoteIntent> out = control(ControlCommands.STOP_STRATEGY, OTHER);
        assertThat(event.control().applied()).isTrue();
        assertThat(event.control().oldValue()).isEqualTo(1);
        assertThat(out).hasSize(2).allSatisfy(q -> {
            assertThat(q.action()).isEqualTo(QuoteAction.CANCEL);
            assertThat(q.instrumentId()).isEqualTo(OTHER);
        });
        assertThat(engine.unit("eth").quoting()).isFalse();
        assertThat(engine.unit("btc").quoting()).isTrue();
    }

    @Test
    void aParameterChangeWithoutTargetIsRefusedWhenSeveralStrategiesCouldMeanIt() {
        event.begin(sequence++, InboundEventType.CONTROL, T0);
        event.book().reset();
        event.control().set(ControlCommands.SET_STRATEGY_PARAMETER, 9, "alice", "test").argument(StrategyEngine.REPLACE_TICKS, 3);
        deliver();
        assertThat(event.control().applied()).isFalse();
        assertThat(event.control().message()).contains("btc").contains("eth");
        assertThat(engine.unit("btc").parameter(StrategyEngine.REPLACE_TICKS)).isZero();
        assertThat(engine.lastRefusal()).contains("request 9 by alice");
    }

    @Test
    void twoStrategiesOnOneInstrumentAreRefusedNamingBoth() {
        assertThatThrownBy(() -> new StrategyEngine(List.of(
                new HostedStrategy("btc-a", StrategyEngineConfig.of(BTC_PAIR, List.of(COINBASE)), new CountingStrategy()),
                new HostedStrategy("btc-b", StrategyEngineConfig.of(BTC_PAIR, List.of(KRAKEN, COINBASE)), new CountingStrategy())),
                Fixture.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("btc-a").hasMessageContaining("btc-b").hasMessageContaining("BTC-USD");
        assertThatThrownBy(() -> new HostedStrategy("BTC!", StrategyEngineConfig.of(BTC_PAIR, List.of(COINBASE)), new CountingStrategy()))
                .hasMessageContaining("[a-z0-9-]{1,32}");
    }

    @Test
    void aDeskRestoredFromItsSnapshotHasTheSameDigestAndHaltState() {
        bothQuoting();
        btc.fail = true;
        book(KRAKEN, 499_000, 501_000, BTC_PAIR, BTC_FV + 10_000_000_000L);
        StateWriter out = new StateWriter();
        engine.writeState(out);
        StrategyEngine restored = desk(new CountingStrategy(), new CountingStrategy());
        restored.readState(new StateReader(out.toBytes()));
        assertThat(digest(restored)).isEqualTo(digest(engine));
        assertThat(restored.unit("btc").haltReason()).isEqualTo(engine.unit("btc").haltReason());
        assertThat(restored.unit("eth").slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
    }

    static String digest(StrategyEngine e) {
        StateDigest d = new StateDigest();
        e.digestState(d);
        return d.hex();
    }
}
