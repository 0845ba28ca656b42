package io.mme.execution;

import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An execution engine with recording sinks and a clock of its own, feeding it one hand-built inbound
 * event at a time, as the pipeline would after risk.
 */
final class Harness {
    static final int VENUE = 0;
    static final int INSTRUMENT = 7;
    static final long OWNER = 1;
    static final long SECOND = 1_000_000_000L;

    final ExecutionEngine engine;
    final List<OrderCommand> commands = new ArrayList<>();
    final List<ExecutionReport> synthetic = new ArrayList<>();
    /** when set, the fake outbound publisher refuses commands that add risk, as a halted pipeline does */
    boolean halted;
    long sequence = 100;
    long now = 1_700_000_000_000_000_000L;
    long tradeIds = 1;

    Harness() {
        this(ExecutionConfig.defaults());
    }

    Harness(ExecutionConfig config) {
        engine = new ExecutionEngine(config, (type, cause, draft) -> {
            if (halted && type.addsRisk()) {
                return -1;
            }
            OrderCommand c = new OrderCommand();
            c.begin(commands.size(), type);
            ExecutionEngine.WRITE_COMMAND.write(c, draft);
            commands.add(c);
            return commands.size() - 1;
        }, report -> {
            ExecutionReport copy = new ExecutionReport();
            copy.copyFrom(report);
            synthetic.add(copy);
        });
    }

    InboundEvent event(InboundEventType type) {
        InboundEvent e = new InboundEvent();
        e.begin(++sequence, type, now);
        e.receivedNanos(sequence * 10);
        return e;
    }

    void feed(InboundEvent e) {
        engine.onEvent(e, e.sequence(), true);
    }

    /** a market data event carrying intents written by {@code intents}; returns the event */
    InboundEvent intents(Consumer<InboundEvent> intents) {
        InboundEvent e = event(InboundEventType.MARKET_DATA);
        intents.accept(e);
        feed(e);
        return e;
    }

    static QuoteIntent place(InboundEvent e, Side side, long price, long qty) {
        return e.addIntent().set(QuoteAction.PLACE, VENUE, INSTRUMENT, side, 0, price, qty, 0);
    }

    /** places one approved order and returns its client order id */
    long placeApproved(Side side, long price, long qty) {
        InboundEvent e = intents(ev -> place(ev, side, price, qty).approve());
        return io.mme.core.ring.ClientOrderIds.of(e.sequence(), 0);
    }

    /** places one order and has the venue accept it */
    long placeAccepted(long price, long qty) {
        long id = placeApproved(Side.BUY, price, qty);
        report(ExecType.ACCEPTED, id, price, qty);
        return id;
    }

    void replace(long target, long price, long qty, boolean approved, int rejectCode) {
        intents(e -> {
            QuoteIntent q = e.addIntent().set(QuoteAction.REPLACE, VENUE, INSTRUMENT, Side.BUY, 0, price, qty, target);
            if (approved) {
                q.approve();
            } else {
                q.reject(rejectCode);
            }
        });
    }

    void cancel(long target) {
        intents(e -> e.addIntent().set(QuoteAction.CANCEL, VENUE, INSTRUMENT, Side.BUY, 0, 0, 0, target).approve());
    }

    /** a venue report of our account (no fill fields) */
    void report(ExecType type, long id, long price, long leaves) {
        InboundEvent e = event(InboundEventType.EXECUTION_REPORT);
        e.executionReport().set(type, VENUE, INSTRUMENT, id, id, Side.BUY, price, leaves, now).owner(OWNER);
        feed(e);
    }

    void fill(ExecType type, long id, long lastQty, long leaves) {
        fill(type, id, lastQty, leaves, tradeIds++);
    }

    void fill(ExecType type, long id, long lastQty, long leaves, long tradeId) {
        InboundEvent e = event(InboundEventType.EXECUTION_REPORT);
        e.executionReport().set(type, VENUE, INSTRUMENT, id, id, Side.BUY, 100, leaves, now).owner(OWNER)
                .fill(tradeId, 100, lastQty, true);
        feed(e);
    }

    void cancelled(long id, long cancelledQty) {
        InboundEvent e = event(InboundEventType.EXECUTION_REPORT);
        e.executionReport().set(ExecType.CANCELLED, VENUE, INSTRUMENT, id, id, Side.BUY, 100, 0, now).owner(OWNER)
                .cancelledQuantity(cancelledQty);
        feed(e);
    }

    void timer(long advanceNanos) {
        now += advanceNanos;
        feed(event(InboundEventType.TIMER));
    }

    void killSwitch() {
        InboundEvent e = event(InboundEventType.CONTROL);
        e.control().set(ControlCommands.KILL_SWITCH, 42, "officer", "test");
        feed(e);
    }

    void reconcile() {
        InboundEvent e = event(InboundEventType.CONTROL);
        e.control().set(ControlCommands.RECONCILE, 0, "mme", "restart");
        feed(e);
    }

    OrderCommand lastCommand() {
        return commands.getLast();
    }

    List<OrderCommandType> commandTypes() {
        return commands.stream().map(OrderCommand::type).toList();
    }

    long count(ExecutionCounter c) {
        return engine.counter(VENUE, c);
    }
}
