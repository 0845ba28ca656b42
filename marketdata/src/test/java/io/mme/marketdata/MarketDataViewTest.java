package io.mme.marketdata;

import io.mme.core.ring.BookState;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class MarketDataViewTest {
    private static final long MS = 1_000_000L;
    private final MarketDataEngine engine = new MarketDataEngine(MarketDataEngineStateProperties.registry(), 100, 5_000 * MS,
            ResyncRequests.NONE);
    private final MarketDataView view = engine.view();
    private final InboundEvent event = new InboundEvent();
    private long sequence;

    private void md(long time, MarketDataKind kind, int id, Side side, long price, long qty, boolean end) {
        event.begin(sequence++, InboundEventType.MARKET_DATA, time);
        event.marketData().set(kind, 0, id, side, price, qty, sequence, time, time, end);
        engine.onEvent(event, sequence, true);
    }

    private void timer(long time) {
        event.begin(sequence++, InboundEventType.TIMER, time);
        engine.onEvent(event, sequence, true);
    }

    private void snapshot(long time, int id, long bid, long bidLots, long ask, long askLots) {
        md(time, MarketDataKind.CLEAR, id, null, 0, 0, false);
        md(time, MarketDataKind.LEVEL, id, Side.BUY, bid, bidLots, false);
        md(time, MarketDataKind.LEVEL, id, Side.SELL, ask, askLots, true);
    }

    @Test
    void startsSyncingWithoutPricesAndNamesEveryInstrumentAndPair() {
        assertThat(view.instruments()).isEqualTo(3);
        assertThat(view.pairs()).isEqualTo(2);
        assertThat(view.pairName(0)).isEqualTo("BTC/USD");
        assertThat(view.pairName(1)).isEqualTo("ETH/USD");
        for (int id = 0; id < 3; id++) {
            assertThat(view.state(id)).isEqualTo(BookState.SYNCING);
            assertThat(view.bidTicks(id)).isEqualTo(MarketDataView.NONE);
            assertThat(view.askLots(id)).isZero();
        }
        assertThat(view.fairValueNanos(0)).isEqualTo(MarketDataView.NONE);
        assertThat(view.publishedAtNanos()).isZero();
    }

    @Test
    void publishesTopsStatesAndFairValuesOnTimerEventsOnly() throws Exception {
        snapshot(MS, 0, 5_000_000, 3, 5_000_010, 4); // 50,000.00 / 50,000.10 USD
        snapshot(MS, 1, 500_002, 7, 500_004, 9);     // 50,000.20 / 50,000.40 USD: crossed with Coinbase's ask only across venues
        assertThat(view.state(0)).as("not before a timer").isEqualTo(BookState.SYNCING);
        assertThat(view.bidTicks(0)).isEqualTo(MarketDataView.NONE);

        timer(2 * MS);
        assertThat(view.state(0)).isEqualTo(BookState.VALID);
        assertThat(view.bidTicks(0)).isEqualTo(5_000_000);
        assertThat(view.bidLots(0)).isEqualTo(3);
        assertThat(view.askTicks(0)).isEqualTo(5_000_010);
        assertThat(view.askLots(0)).isEqualTo(4);
        assertThat(view.bidTicks(1)).isEqualTo(500_002);
        assertThat(view.askLots(1)).isEqualTo(9);
        assertThat(view.state(2)).isEqualTo(BookState.SYNCING);
        assertThat(view.fairValueNanos(0)).isEqualTo(engine.fairValue(0)).isNotEqualTo(MarketDataView.NONE);
        assertThat(view.fairValueNanos(1)).isEqualTo(MarketDataView.NONE);
        assertThat(view.publishedAtNanos()).isEqualTo(2 * MS);

        // a crossed Kraken book: INVALID, and its prices leave the view at the next timer
        md(3 * MS, MarketDataKind.LEVEL, 1, Side.BUY, 500_005, 1, true);
        assertThat(view.state(1)).isEqualTo(BookState.VALID);
        timer(4 * MS);
        assertThat(view.state(1)).isEqualTo(BookState.INVALID);
        assertThat(view.bidTicks(1)).isEqualTo(MarketDataView.NONE);
        assertThat(view.bidLots(1)).isZero();
        assertThat(view.fairValueNanos(0)).isEqualTo(engine.fairValue(0));

        // another thread reads the same numbers
        long[] seen = CompletableFuture.supplyAsync(() -> new long[]{view.state(1).ordinal(), view.bidTicks(0),
                view.fairValueNanos(0), view.publishedAtNanos()}).get();
        assertThat(seen).containsExactly(BookState.INVALID.ordinal(), 5_000_000, engine.fairValue(0), 4 * MS);
    }
}
