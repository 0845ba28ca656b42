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

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarketDataEngineTest {
    private static final long MS = 1_000_000L;
    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
            .add(new InstrumentSpec(Venue.KRAKEN, "BTC/USD", "BTC", "USD", "0.1", "0.00000001", null, null, null, null))
            .build();
    private final List<String> resyncs = new ArrayList<>();
    private final MarketDataEngine engine = new MarketDataEngine(registry, 1000, 5_000 * MS, (id, why) -> resyncs.add(id + ": " + why));
    private final InboundEvent event = new InboundEvent();
    private long sequence;

    private InboundEvent md(long time, MarketDataKind kind, int id, Side side, long price, long qty, boolean end) {
        event.begin(sequence++, InboundEventType.MARKET_DATA, time);
        event.marketData().set(kind, 0, id, side, price, qty, sequence, time, time, end);
        engine.onEvent(event, sequence, true);
        return event;
    }

    private InboundEvent timer(long time) {
        event.begin(sequence++, InboundEventType.TIMER, time);
        engine.onEvent(event, sequence, true);
        return event;
    }

    private void snapshot(long time, int id, long bid, long ask) {
        md(time, MarketDataKind.CLEAR, id, null, 0, 0, false);
        md(time, MarketDataKind.LEVEL, id, Side.BUY, bid, 5, false);
        md(time, MarketDataKind.LEVEL, id, Side.SELL, ask, 7, true);
    }

    @Test
    void aCompletedSnapshotMakesTheBookValidAndTheSlotSaysSo() {
        md(0, MarketDataKind.CLEAR, 0, null, 0, 0, false);
        assertThat(event.book().changes()).isZero(); // it starts SYNCING
        md(0, MarketDataKind.LEVEL, 0, Side.BUY, 100, 5, false);
        assertThat(engine.state(0)).isEqualTo(BookState.SYNCING);
        InboundEvent last = md(0, MarketDataKind.LEVEL, 0, Side.SELL, 101, 7, true);
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        assertThat(last.book().changes()).isEqualTo(1);
        assertThat(last.book().changedState(0)).isEqualTo(BookState.VALID);
        assertThat(last.book().instrumentId()).isZero();
        assertThat(last.book().bidTicks()).isEqualTo(100);
        assertThat(last.book().askLots()).isEqualTo(7);
    }

    @Test
    void theItemsInsideAMessagePublishNothingAndTheFairValueWaitsForItsEnd() {
        snapshot(0, 0, 10_000, 10_010);
        int pair = engine.consolidated().pairOf(0);
        long before = engine.fairValue(pair);
        assertThat(before).isNotEqualTo(ConsolidatedView.NO_VALUE);
        // a diff that moves both sides up: crossed after its first item
        InboundEvent first = md(MS, MarketDataKind.LEVEL, 0, Side.BUY, 10_020, 1, false);
        assertThat(engine.book(0).crossed()).isTrue();
        assertThat(first.book().instrumentId()).isEqualTo(-1);
        assertThat(first.book().changes()).isZero();
        assertThat(first.book().pair()).isEqualTo(-1);
        assertThat(engine.fairValue(pair)).as("an open message is not in the fair value").isEqualTo(before);
        InboundEvent tick = timer(2 * MS);
        assertThat(tick.book().changes()).isZero();
        assertThat(engine.view().bidTicks(0)).as("the console shows the last complete message").isEqualTo(10_000);
        md(3 * MS, MarketDataKind.LEVEL, 0, Side.SELL, 10_010, 0, false);
        InboundEvent last = md(3 * MS, MarketDataKind.LEVEL, 0, Side.SELL, 10_030, 2, true);
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        assertThat(last.book().instrumentId()).isZero();
        assertThat(last.book().bidTicks()).isEqualTo(10_020);
        assertThat(last.book().askTicks()).isEqualTo(10_030);
        assertThat(last.book().pair()).isEqualTo(pair);
        assertThat(last.book().fairValue()).isEqualTo(engine.fairValue(pair)).isGreaterThan(before);
    }

    @Test
    void aSnapshotsPassingSyncingIsNeverPublished() {
        snapshot(0, 0, 100, 101);
        InboundEvent clear = md(MS, MarketDataKind.CLEAR, 0, null, 0, 0, false);
        assertThat(engine.state(0)).isEqualTo(BookState.SYNCING);
        assertThat(clear.book().changes()).isZero();
        md(MS, MarketDataKind.LEVEL, 0, Side.BUY, 99, 5, false);
        InboundEvent end = md(MS, MarketDataKind.LEVEL, 0, Side.SELL, 102, 5, true);
        assertThat(end.book().changes()).as("VALID before, VALID after").isZero();
        assertThat(end.book().bidTicks()).isEqualTo(99);
    }

    @Test
    void aCrossedBookAtAMessageEndIsInvalidAndResynced() {
        snapshot(0, 0, 100, 101);
        InboundEvent crossed = md(MS, MarketDataKind.LEVEL, 0, Side.BUY, 102, 1, true);
        assertThat(engine.state(0)).isEqualTo(BookState.INVALID);
        assertThat(engine.reason(0)).isEqualTo("crossed book");
        assertThat(crossed.book().state()).isEqualTo(BookState.INVALID);
        assertThat(crossed.book().bidTicks()).isEqualTo(L2Book.NO_PRICE); // an invalid book shows no prices
        assertThat(resyncs).containsExactly("0: crossed book");
        assertThat(engine.resyncs(0)).isEqualTo(1);
        // a crossing level inside a message is fine as long as the message ends uncrossed
        snapshot(2 * MS, 0, 100, 101);
        md(3 * MS, MarketDataKind.LEVEL, 0, Side.BUY, 102, 1, false);
        md(3 * MS, MarketDataKind.LEVEL, 0, Side.SELL, 103, 1, false);
        md(3 * MS, MarketDataKind.LEVEL, 0, Side.SELL, 101, 0, true);
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
    }

    @Test
    void aFeedReportedProblemInvalidatesUntilTheNextSnapshot() {
        snapshot(0, 1, 100, 101);
        event.begin(sequence++, InboundEventType.MARKET_DATA, MS);
        event.marketData().set(MarketDataKind.BOOK_STATE, 2, 1, null, 0, 0, 0, MS, MS, true).bookValid(false);
        engine.onEvent(event, sequence, true);
        assertThat(engine.state(1)).isEqualTo(BookState.INVALID);
        assertThat(resyncs).isEmpty(); // the feed that reported it is already resyncing
        md(2 * MS, MarketDataKind.LEVEL, 1, Side.BUY, 99, 1, true);
        assertThat(engine.state(1)).isEqualTo(BookState.INVALID);
        snapshot(3 * MS, 1, 100, 101);
        assertThat(engine.state(1)).isEqualTo(BookState.VALID);
    }

    @Test
    void aQuietFeedGoesStaleOnTheTimer() {
        snapshot(0, 0, 100, 101);
        snapshot(0, 1, 100, 101);
        timer(4_000 * MS);
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        md(4_500 * MS, MarketDataKind.LEVEL, 1, Side.BUY, 99, 2, true);
        InboundEvent tick = timer(5_001 * MS);
        assertThat(engine.state(0)).isEqualTo(BookState.INVALID);
        assertThat(engine.state(1)).isEqualTo(BookState.VALID);
        assertThat(tick.book().changes()).isEqualTo(1);
        assertThat(tick.book().changedInstrument(0)).isZero();
        assertThat(resyncs).singleElement().asString().startsWith("0: stale feed");
        assertThat(engine.validNanos(0)).isEqualTo(5_001 * MS);
    }
}
