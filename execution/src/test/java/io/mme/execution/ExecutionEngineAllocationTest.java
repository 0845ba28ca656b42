package io.mme.execution;

import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.RejectCodes;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN.md principle 4: the order flow through the engine allocates nothing once warmed up. */
class ExecutionEngineAllocationTest {
    private final ExecutionEngine engine = new ExecutionEngine(ExecutionConfig.defaults(), (type, cause, draft) -> 0, report -> { });
    private final InboundEvent event = new InboundEvent();
    private long sequence;
    private long now = 1_700_000_000_000_000_000L;

    @Test
    void placeAckFillReplaceCancelRejectAndTimerAllocateNothing() {
        for (int i = 0; i < 20_000; i++) {
            cycle();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++) {
            cycle();
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(engine.openOrders()).isZero();
        // the measuring call itself may allocate a few bytes; 10,000 cycles of real allocation would be far more
        assertThat(allocated).isLessThan(1_000);
    }

    private void cycle() {
        next(InboundEventType.MARKET_DATA);
        event.addIntent().set(QuoteAction.PLACE, 0, 1, Side.BUY, 0, 100, 4, 0).approve();
        event.addIntent().set(QuoteAction.PLACE, 0, 1, Side.SELL, 0, 90, 4, 0).reject(RejectCodes.RISK_BASE + 1);
        feed();
        long id = ClientOrderIds.of(event.sequence(), 0);
        report(ExecType.ACCEPTED, id, 100, 4, 0);
        report(ExecType.PARTIALLY_FILLED, id, 100, 3, 1);
        next(InboundEventType.MARKET_DATA);
        event.addIntent().set(QuoteAction.REPLACE, 0, 1, Side.BUY, 0, 101, 3, id).approve();
        feed();
        report(ExecType.REPLACED, id, 101, 3, 0);
        next(InboundEventType.TIMER);
        feed();
        next(InboundEventType.MARKET_DATA);
        event.addIntent().set(QuoteAction.CANCEL, 0, 1, Side.BUY, 0, 0, 0, id).approve();
        feed();
        report(ExecType.CANCELLED, id, 101, 0, 0);
        report(ExecType.PARTIALLY_FILLED, id, 101, 0, 1);
    }

    private void next(InboundEventType type) {
        now += 1_000_000;
        event.begin(++sequence, type, now);
    }

    private void report(ExecType type, long id, long price, long leaves, long fill) {
        next(InboundEventType.EXECUTION_REPORT);
        event.executionReport().set(type, 0, 1, id, id, Side.BUY, price, leaves, now).owner(1).fill(sequence, price, fill, true);
        feed();
    }

    private void feed() {
        engine.onEvent(event, event.sequence(), true);
    }
}
