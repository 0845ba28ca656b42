package io.mme.risk;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md principle 4 for the risk engine: once warmed up, the checks, the open order book-keeping,
 * fills into positions and PnL, the fair value's moves and timers allocate nothing on the engine's
 * thread (the bytes this thread allocates over thousands of cycles stay below a small allowance
 * for the measurement itself).
 */
class RiskEngineAllocationTest {
    private static final long ALLOWANCE_BYTES = 1024;
    private final RiskFixture f = new RiskFixture();
    private long tradeId = 1;
    private int approved;

    @Test
    void checksOrderTrackingFillsAndTimersAllocateNothing() {
        f.fairValues();
        for (int i = 0; i < 20_000; i++) {
            cycle(i);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        approved = 0;
        long approvedBefore = f.engine.approvedIntents();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            cycle(i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(approved).as("every intent of 10,000 cycles approved").isEqualTo(4 * 10_000);
        assertThat(f.engine.approvedIntents() - approvedBefore).isEqualTo(4L * 10_000);
        assertThat(f.engine.openOrders()).isZero();
        assertThat(allocated).as("bytes allocated in 10,000 cycles").isLessThan(ALLOWANCE_BYTES);
    }

    /**
     * A buy placed, accepted, partly filled, replaced and cancelled; a sell placed and filled against
     * the bought lots (the position goes back to flat); the fair value moves; a timer.
     */
    private void cycle(int i) {
        f.now += 1_000_000;
        f.fairValue(0, FAIR + (i % 3) * 1_000_000_000L);
        long bid = FAIR_TICKS - 100;
        count(f.place(BTCUSDT, Side.BUY, bid, 5));
        long buy = f.lastId();
        f.report(ExecType.ACCEPTED, buy, BTCUSDT, Side.BUY, bid, 5);
        f.fill(buy, BTCUSDT, Side.BUY, bid, 2, tradeId++, true, false, 3);
        count(f.replace(buy, BTCUSDT, Side.BUY, bid + 1, 3));
        f.report(ExecType.REPLACED, buy, BTCUSDT, Side.BUY, bid + 1, 3);
        count(f.cancel(buy, BTCUSDT, Side.BUY));
        f.report(ExecType.CANCELLED, buy, BTCUSDT, Side.BUY, bid + 1, 0);

        long ask = FAIR_TICKS + 100;
        count(f.place(BTCUSDT, Side.SELL, ask, 2));
        long sell = f.lastId();
        f.report(ExecType.ACCEPTED, sell, BTCUSDT, Side.SELL, ask, 2);
        f.fill(sell, BTCUSDT, Side.SELL, ask, 2, tradeId++, true, true, 0);
        f.timer();
    }

    private void count(QuoteIntent intent) {
        if (intent.verdict() == RiskVerdict.APPROVED) {
            approved++;
        }
    }
}
