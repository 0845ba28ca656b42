package io.mme.bench;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.marketdata.ConsolidatedView;
import io.mme.marketdata.FairValueMethod;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.ResyncRequests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class TouchWalkFeedTest {
    private final InstrumentRegistry registry = PipelineBenchmark.instruments();
    private final ConsolidatedView consolidated = new ConsolidatedView(registry, FairValueMethod.MID, null);
    private final List<String> invalidations = new ArrayList<>();
    private final MarketDataEngine engine = new MarketDataEngine(registry, 16, Long.MAX_VALUE / 4,
            (id, reason) -> invalidations.add(id + ": " + reason), consolidated);
    private final InboundEvent event = new InboundEvent();
    private long sequence;

    private InboundEvent apply(TouchWalkFeed.Update update) {
        event.begin(sequence, InboundEventType.MARKET_DATA, 1_000_000_000L + sequence);
        TouchWalkFeed.WRITE.write(event, update);
        engine.onEvent(event, sequence++, true);
        return event;
    }

    @Test
    void snapshotsMakeEveryBookValid() {
        TouchWalkFeed feed = new TouchWalkFeed(registry);
        for (TouchWalkFeed.Update update : feed.snapshot()) {
            apply(update);
        }
        for (int id = 0; id < registry.size(); id++) {
            assertThat(engine.state(id)).as("instrument %d", id).isEqualTo(BookState.VALID);
        }
    }

    @Test
    void pairedMessagesInterleaveAndTheEngineDecidesOnlyAtEachMessagesEnd() {
        TouchWalkFeed feed = new TouchWalkFeed(registry, true);
        for (TouchWalkFeed.Update update : feed.snapshot()) {
            apply(update);
        }
        TouchWalkFeed.Update update = new TouchWalkFeed.Update();
        int ends = 0;
        int walks = 2 * TouchWalkFeed.CYCLE * registry.size();
        for (int n = 0; n < walks; n++) {
            InboundEvent e = apply(feed.next(update));
            // the instruments take turns, so the first update of each touch move leaves its message
            // open while the other instruments' first updates come; the second ends it
            boolean end = (n / registry.size()) % 2 == 1;
            assertThat(e.marketData().endOfMessage()).as("update %d", n).isEqualTo(end);
            if (end) {
                ends++;
                assertThat(e.book().state()).isEqualTo(BookState.VALID);
                assertThat(e.book().bidTicks()).isLessThan(e.book().askTicks());
            } else {
                assertThat(e.book().instrumentId()).as("update %d publishes nothing", n).isEqualTo(-1);
            }
        }
        assertThat(ends).isEqualTo(walks / 2);
        assertThat(invalidations).isEmpty();
    }

    @Test
    void theWalkMovesEveryTouchWithoutCrossingAndTheFairValueGoesBackAndForth() {
        TouchWalkFeed feed = new TouchWalkFeed(registry);
        for (TouchWalkFeed.Update update : feed.snapshot()) {
            apply(update);
        }
        TouchWalkFeed.Update update = new TouchWalkFeed.Update();
        TreeSet<Long> fairValues = new TreeSet<>();
        long[] lastBid = new long[registry.size()];
        long[] lastAsk = new long[registry.size()];
        int walks = 5 * TouchWalkFeed.CYCLE * registry.size();
        for (int n = 0; n < walks; n++) {
            InboundEvent e = apply(feed.next(update));
            int id = e.marketData().instrumentId();
            assertThat(e.book().state()).as("update %d", n).isEqualTo(BookState.VALID);
            assertThat(e.book().bidTicks()).isLessThan(e.book().askTicks());
            assertThat(e.book().bidTicks() != lastBid[id] || e.book().askTicks() != lastAsk[id])
                    .as("update %d moves a touch", n).isTrue();
            lastBid[id] = e.book().bidTicks();
            lastAsk[id] = e.book().askTicks();
            fairValues.add(e.book().fairValue());
        }
        assertThat(invalidations).isEmpty();
        // the mid walks RANGE_STEPS steps up from the start and back, in half steps
        long startMid = TouchWalkFeed.BASE_BID_NANOS + TouchWalkFeed.SPREAD_STEPS * TouchWalkFeed.STEP_NANOS / 2;
        assertThat(fairValues.first()).isEqualTo(startMid);
        assertThat(fairValues.last()).isEqualTo(startMid + TouchWalkFeed.RANGE_STEPS * TouchWalkFeed.STEP_NANOS);
        assertThat(fairValues.size()).isGreaterThan(2 * TouchWalkFeed.RANGE_STEPS);
        // after whole cycles every book is back at its snapshot touch
        for (int id = 0; id < registry.size(); id++) {
            long tick = registry.get(id).nanosPerTick();
            assertThat(engine.book(id).bestPrice(io.mme.core.ring.Side.BUY)).isEqualTo(TouchWalkFeed.BASE_BID_NANOS / tick);
        }
    }

    @Test
    void optionsNameABadOption() {
        assertThat(PipelineBenchmark.Options.parse(new String[]{"--rate", "10000", "--wait=yielding", "--json-only"}))
                .isEqualTo(new PipelineBenchmark.Options(10_000, 20, 5, io.mme.core.runtime.WaitStrategyKind.YIELDING, true));
        assertThat(PipelineBenchmark.Options.parse(new String[]{"--chain", "threads"}).fused()).isFalse();
        assertThat(PipelineBenchmark.Options.parse(new String[]{"--chain=fused"}).fused()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[]{"--chain", "one"}))
                .hasMessageContaining("--chain").hasMessageContaining("'one'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[]{"--sconds", "3"}))
                .hasMessageContaining("'--sconds'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineBenchmark.Options.parse(new String[]{"--seconds", "x"}))
                .hasMessageContaining("--seconds").hasMessageContaining("'x'");
    }
}
