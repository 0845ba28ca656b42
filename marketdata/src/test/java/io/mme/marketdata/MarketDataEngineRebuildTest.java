package io.mme.marketdata;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's rebuild rule: whatever made a book INVALID (a problem the feed reported, such as a
 * gap, a failed checksum or a malformed message; or one the engine found: crossed, over capacity,
 * stale), a book still INVALID after the stale limit is asked for again, every stale limit, until
 * a snapshot makes it valid; then the asking stops. Time is the events' timestamps.
 */
class MarketDataEngineRebuildTest {
    private static final long MS = 1_000_000L;
    private static final long STALE = 5_000 * MS;

    enum Cause {
        FEED_REPORTED, CROSSED, CAPACITY, STALE
    }

    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.KRAKEN, "BTC/USD", "BTC", "USD", "0.1", "0.00000001", null, null, null, null))
            .build();
    private final List<String> asks = new ArrayList<>();
    /** two levels a side: a third overflows */
    private final MarketDataEngine engine = new MarketDataEngine(registry, 2, STALE, (id, why) -> asks.add(why));
    private final InboundEvent event = new InboundEvent();
    private long sequence;

    private void md(long time, MarketDataKind kind, Side side, long price, long qty, boolean end) {
        event.begin(sequence++, InboundEventType.MARKET_DATA, time);
        event.marketData().set(kind, 0, 0, side, price, qty, sequence, time, time, end);
        engine.onEvent(event, sequence, true);
    }

    private void timer(long time) {
        event.begin(sequence++, InboundEventType.TIMER, time);
        engine.onEvent(event, sequence, true);
    }

    private void snapshot(long time) {
        md(time, MarketDataKind.CLEAR, null, 0, 0, false);
        md(time, MarketDataKind.LEVEL, Side.BUY, 100, 5, false);
        md(time, MarketDataKind.LEVEL, Side.SELL, 101, 7, true);
    }

    /** makes the valid book INVALID at {@code time}; returns how many asks that cause makes at once */
    private int breakBook(Cause cause, long time) {
        switch (cause) {
            case FEED_REPORTED -> {
                event.begin(sequence++, InboundEventType.MARKET_DATA, time);
                event.marketData().set(MarketDataKind.BOOK_STATE, 0, 0, null, 0, 0, sequence, time, time, true).bookValid(false);
                engine.onEvent(event, sequence, true);
                return 0; // the feed that reported it is rebuilding
            }
            case CROSSED -> {
                md(time, MarketDataKind.LEVEL, Side.BUY, 102, 1, true);
                return 1;
            }
            case CAPACITY -> {
                md(time, MarketDataKind.LEVEL, Side.BUY, 99, 1, false);
                md(time, MarketDataKind.LEVEL, Side.BUY, 98, 1, true);
                return 1;
            }
            case STALE -> {
                timer(time);
                return 1;
            }
            default -> throw new IllegalStateException();
        }
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void aBookStillInvalidAfterTheStaleLimitIsAskedForAgainUntilASnapshotHealsIt(Cause cause) {
        snapshot(0);
        long broken = cause == Cause.STALE ? STALE + MS : MS;
        int first = breakBook(cause, broken);
        assertThat(engine.state(0)).isEqualTo(BookState.INVALID);
        assertThat(asks).hasSize(first);

        timer(broken + STALE); // exactly the limit: not yet
        assertThat(asks).hasSize(first);
        timer(broken + STALE + MS);
        assertThat(asks).hasSize(first + 1);
        assertThat(asks.get(first)).startsWith("still invalid 5001 ms after going invalid or the last ask");
        long asked = broken + STALE + MS;
        timer(asked + STALE + MS); // then it backs off: twice the stale limit
        assertThat(asks).hasSize(first + 1);
        timer(asked + 2 * STALE);
        assertThat(asks).hasSize(first + 1);
        timer(asked + 2 * STALE + MS);
        assertThat(asks).hasSize(first + 2);
        asked += 2 * STALE + MS;
        timer(asked + 4 * STALE); // four times
        assertThat(asks).hasSize(first + 2);
        timer(asked + 4 * STALE + MS);
        assertThat(asks).hasSize(first + 3);
        assertThat(engine.resyncs(0)).isEqualTo(first + 3);

        long healed = asked + 4 * STALE + 2 * MS;
        snapshot(healed);
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        md(healed + STALE / 2, MarketDataKind.LEVEL, Side.BUY, 99, 1, true); // keeps the feed fresh
        timer(healed + STALE + MS);
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        assertThat(asks).hasSize(first + 3);
        // a new episode starts with the short wait again
        int before = asks.size();
        breakBook(Cause.FEED_REPORTED, healed + STALE + 2 * MS);
        timer(healed + 2 * STALE + 3 * MS);
        assertThat(asks).hasSize(before + 1);
    }

    @org.junit.jupiter.api.Test
    void aBookThatWasNeverValidIsAskedForTooWithTheSameBackoff() {
        event.begin(sequence++, InboundEventType.MARKET_DATA, 0);
        event.marketData().set(MarketDataKind.BOOK_STATE, 0, 0, null, 0, 0, sequence, 0, 0, true).bookValid(false);
        engine.onEvent(event, sequence, true);
        assertThat(engine.state(0)).isEqualTo(BookState.INVALID);
        List<Long> askedAt = new ArrayList<>();
        for (long t = STALE / 2; t <= 100 * STALE; t += STALE / 2) {
            int before = asks.size();
            timer(t);
            if (asks.size() > before) {
                askedAt.add(t / (STALE / 2));
            }
        }
        // in half stale limits: first after one stale limit, then waits of 2, 4, 8, 16, 32, 32 (the cap)
        assertThat(askedAt).containsExactly(3L, 8L, 17L, 34L, 67L, 132L, 197L);
        assertThat(asks).allSatisfy(why -> assertThat(why).startsWith("still invalid"));
        assertThat(engine.resyncs(0)).isEqualTo(7);

        snapshot(100 * STALE + MS); // its first snapshot ends the asking
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        timer(100 * STALE + 2 * MS);
        assertThat(asks).hasSize(7);
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void theWaitBetweenAsksStopsGrowingAtItsCap(Cause cause) {
        snapshot(0);
        long t = cause == Cause.STALE ? STALE + MS : MS;
        int first = breakBook(cause, t);
        for (int i = 0; i < 12; i++) {
            t += STALE * MarketDataEngine.MAX_ASK_BACKOFF + MS;
            timer(t);
        }
        // every step is at least the cap, so each asks once
        assertThat(asks).hasSize(first + 12);
        timer(t + STALE * MarketDataEngine.MAX_ASK_BACKOFF); // exactly the cap: not yet
        assertThat(asks).hasSize(first + 12);
    }
}
