package io.mme.marketdata;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md principle 4 for the market data engine: once warmed up, book levels of several
 * instruments, messages of several items, trades, best bid/offer, snapshots that rebuild a book,
 * the consolidated fair value and timers allocate nothing on the engine's thread (the bytes this
 * thread allocates over thousands of rounds stay below a small allowance for the measurement
 * itself).
 */
class MarketDataEngineAllocationTest {
    private static final long ALLOWANCE_BYTES = 1024;
    private static final long MS = 1_000_000L;
    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
            .add(new InstrumentSpec(Venue.KRAKEN, "BTC/USD", "BTC", "USD", "0.1", "0.00000001", null, null, null, null))
            .build();
    private long resyncs;
    private final MarketDataEngine engine = new MarketDataEngine(registry, 1000, 5_000 * MS, (id, why) -> resyncs++);
    private final InboundEvent event = new InboundEvent();
    private long sequence;
    private long now;
    /** messages whose end published a book's outcome into the slot */
    private long booksPublished;

    @Test
    void levelsTradesSnapshotsAndTimersAllocateNothing() {
        snapshot(0, 10_000, 10_010);
        snapshot(1, 1_000, 1_001);
        for (int i = 0; i < 20_000; i++) {
            round(i);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        booksPublished = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            round(i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        assertThat(engine.state(1)).isEqualTo(BookState.VALID);
        assertThat(booksPublished).as("each round's three book messages published").isGreaterThanOrEqualTo(10_000L * 3);
        assertThat(engine.book(0).bestPrice(Side.BUY)).isEqualTo(10_000);
        assertThat(resyncs).isZero();
        assertThat(allocated).as("bytes allocated in 10,000 rounds").isLessThan(ALLOWANCE_BYTES);
    }

    /**
     * A two-item diff on one book, a one-item diff and a trade on the other, a best bid/offer, a
     * timer; every hundredth round a snapshot rebuilds the first book.
     */
    private void round(int i) {
        now += MS;
        int step = i % 5;
        md(MarketDataKind.LEVEL, 0, Side.BUY, 9_990 + step, 1 + step, false);
        md(MarketDataKind.LEVEL, 0, Side.SELL, 10_020 + step, 2 + step, true);
        md(MarketDataKind.LEVEL, 1, Side.BUY, 990 + step, 100 + step, true);
        md(MarketDataKind.TRADE, 1, Side.SELL, 1_001, 3, true);
        md(MarketDataKind.BEST_BID_OFFER, 0, Side.BUY, 10_000, 5, true);
        timer();
        if (i % 100 == 99) {
            snapshot(0, 10_000, 10_010);
        }
    }

    private void snapshot(int id, long bid, long ask) {
        md(MarketDataKind.CLEAR, id, null, 0, 0, false);
        md(MarketDataKind.LEVEL, id, Side.BUY, bid, 5, false);
        md(MarketDataKind.LEVEL, id, Side.SELL, ask, 7, true);
    }

    private void md(MarketDataKind kind, int id, Side side, long price, long qty, boolean end) {
        event.begin(sequence++, InboundEventType.MARKET_DATA, now);
        event.marketData().set(kind, 0, id, side, price, qty, sequence, now, now, end);
        engine.onEvent(event, sequence, true);
        if (end && event.book().instrumentId() == id) {
            booksPublished++;
        }
    }

    private void timer() {
        event.begin(sequence++, InboundEventType.TIMER, now);
        engine.onEvent(event, sequence, true);
    }
}
