package io.mme.audit.store;

import io.mme.audit.DecisionJournalEngine;
import io.mme.audit.JournalEngine;
import io.mme.audit.OrderJournalEngine;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.RejectCodes;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.ring.TradingState;

import java.nio.file.Path;

/**
 * A run directory's three journals fed with hand-made events, as the audit engines would see them:
 * per inbound sequence one of market data, a fill of ours, a fill of someone else, or a quote
 * with one approved and one rejected intent (plus its order command); and a few control commands.
 * One thread.
 */
final class JournalFixture implements AutoCloseable {
    static final long ACCOUNT = 1;
    static final long BASE_TIME = 1_700_000_000_000_000_000L;
    /** BINANCE BTCUSDT: tick 0.01, lot 0.00001 */
    static final InstrumentRegistry INSTRUMENTS = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
            .build();

    final JournalEngine inputs;
    final DecisionJournalEngine decisions;
    final OrderJournalEngine orders;
    private final InboundEvent event = new InboundEvent();
    private final OrderCommand command = new OrderCommand();
    private long nextSequence;

    /** counts of what was appended, to check the tables against */
    long ourExecutions;
    long rejectedIntents;
    long approvedIntents;
    long orderCommands;

    JournalFixture(Path runDirectory) {
        inputs = new JournalEngine(runDirectory.resolve("queue"));
        decisions = new DecisionJournalEngine(runDirectory.resolve("decisions"));
        orders = new OrderJournalEngine(runDirectory.resolve("orders"));
        inputs.onStart(null);
        decisions.onStart(null);
        orders.onStart(null);
    }

    long nextSequence() {
        return nextSequence;
    }

    /** appends {@code n} events cycling through the four kinds */
    void append(int n) {
        for (int i = 0; i < n; i++) {
            long seq = nextSequence;
            switch ((int) (seq % 4)) {
                case 0 -> marketData(seq);
                case 1 -> ourFill(seq);
                case 2 -> otherFill(seq);
                default -> quote(seq);
            }
        }
    }

    void marketData(long seq) {
        begin(seq, InboundEventType.MARKET_DATA);
        event.marketData().set(MarketDataKind.BEST_BID_OFFER, 0, 0, Side.BUY, 6_400_001, 12, seq, 1, 2, true);
        publish();
    }

    /** a partial fill of ours at 64000.01 for 0.00150 with 0.00350 left */
    void ourFill(long seq) {
        begin(seq, InboundEventType.EXECUTION_REPORT);
        event.executionReport().set(ExecType.PARTIALLY_FILLED, 0, 0, 1_000 + seq, 9_000 + seq, Side.SELL, 6_400_001, 350, 5)
                .fill(70_000 + seq, 6_400_001, 150, true).reason(0).owner(ACCOUNT);
        publish();
        ourExecutions++;
    }

    void otherFill(long seq) {
        begin(seq, InboundEventType.EXECUTION_REPORT);
        event.executionReport().set(ExecType.FILLED, 0, 0, 5, 6, Side.BUY, 6_400_000, 0, 5)
                .fill(1, 6_400_000, 1, false).reason(0).owner(ACCOUNT + 1);
        publish();
    }

    /** a synthetic REJECTED report of ours (execution refused a risk-rejected intent) */
    void syntheticReject(long seq) {
        begin(seq, InboundEventType.EXECUTION_REPORT);
        event.executionReport().set(ExecType.REJECTED, 0, 0, 42, 0, Side.BUY, 6_399_999, 0, 0)
                .fill(0, 0, 0, false).reason(RejectCodes.RISK_BASE + 4).owner(ACCOUNT);
        publish();
        ourExecutions++;
    }

    /** intent 0 approved (a PLACE sent as order command ordinal 0), intent 1 rejected with RISK_BASE + 4 */
    void quote(long seq) {
        begin(seq, InboundEventType.MARKET_DATA);
        event.marketData().set(MarketDataKind.BEST_BID_OFFER, 0, 0, Side.BUY, 6_400_001, 12, seq, 1, 2, true);
        event.addIntent().set(QuoteAction.PLACE, 0, 0, Side.BUY, 0, 6_399_999, 250, 0).approve();
        event.addIntent().set(QuoteAction.PLACE, 0, 0, Side.SELL, 0, 6_400_123, 100_000, 0).reject(RejectCodes.RISK_BASE + 4);
        approvedIntents++;
        rejectedIntents++;
        publish();
        command.begin(seq, OrderCommandType.NEW);
        command.set(BASE_TIME + seq, seq, 0, 0, ACCOUNT, seq << 4, 0, Side.BUY, 6_399_999, 250, TimeInForce.GTC, true);
        orders.onEvent(command, seq, true);
        orderCommands++;
    }

    void control(long seq, String name, String key, long value, boolean applied, long oldValue, String message) {
        begin(seq, InboundEventType.CONTROL);
        event.control().set(name, 900 + seq, "ann", "why: " + name + "\twith a tab").target(-1, 0).argument(key, value);
        event.control().answer(applied, oldValue, message);
        publish();
    }

    void limit(long seq) {
        control(seq, ControlCommands.SET_LIMIT, "maxPosition", 500, true, 900, null);
    }

    void tradingState(long seq) {
        control(seq, ControlCommands.SET_TRADING_STATE, null, TradingState.REDUCING.ordinal(), true, TradingState.ACTIVE.ordinal(), null);
    }

    void strategyParameter(long seq) {
        control(seq, ControlCommands.SET_STRATEGY_PARAMETER, "spread.ticks", 12, false, 10, "spread.ticks=12 must be between 1 and 10");
    }

    void killSwitch(long seq) {
        control(seq, ControlCommands.KILL_SWITCH, null, 0, true, 0, "halted");
    }

    /** a cancel-all on instrument 0 that found 3 open orders of ours there */
    void cancelAll(long seq) {
        control(seq, ControlCommands.CANCEL_ALL, null, 0, true, 3, "");
    }

    private void begin(long seq, InboundEventType type) {
        if (seq != nextSequence) {
            throw new IllegalArgumentException("sequence " + seq + ", expected " + nextSequence);
        }
        event.begin(seq, type, BASE_TIME + seq);
    }

    private void publish() {
        inputs.onEvent(event, event.sequence(), true);
        decisions.onEvent(event, event.sequence(), true);
        nextSequence++;
    }

    @Override
    public void close() {
        inputs.onShutdown();
        decisions.onShutdown();
        orders.onShutdown();
    }
}
