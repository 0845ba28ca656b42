package io.mme.connectors.binance;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineConfig;
import io.mme.core.runtime.TimerSource;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.RingFeedSink;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected into the replayed Binance stream, end to end: the real feed publishes into the
 * inbound ring, the market data engine judges the books, and a probe at the strategy stage checks
 * what a strategy would see. Each fault must be detected (the book goes INVALID), healed (VALID
 * again after a resync), no price of an INVALID book may reach the probe, and nothing may reach it
 * from inside a venue message (a book view on a slot that does not end a message) nor a crossed
 * top. The share of the run (event time) the book was VALID is printed.
 */
class BinanceFeedFaultTest {
    /**
     * The faults of the market data issue, on the first connection: a gap (drop, reorder), a
     * malformed message (corrupt), a closed socket, silence (the engine's stale check), and two
     * the engine finds itself: a crossed book (a bid rewritten above the asks) and a book over
     * its capacity (a message with thousands of extra bids).
     */
    enum Fault {
        DROP, REORDER, CORRUPT, CLOSE, SILENT, CROSSED, CAPACITY
    }

    /** the engine's levels per side in the CAPACITY case: the replay's books (snapshots of 1,000 levels) fit, 2,500 extra bids alone do not */
    private static final int SMALL_CAPACITY = 2_000;

    /** 2,500 bids from 0.0001 to 0.25 (NKNUSDT trades near 0.35), before the message's own */
    private static String manyBids(String message) {
        StringBuilder bids = new StringBuilder("\"b\":[");
        for (int k = 1; k <= 2_500; k++) {
            bids.append(String.format("[\"%d.%04d0000\",\"1.00000000\"],", k / 10_000, k % 10_000));
        }
        return message.replaceFirst("\"b\":\\[", java.util.regex.Matcher.quoteReplacement(bids.toString()));
    }

    private BinanceRecordingReplay replay;
    private Pipeline pipeline;
    private TimerSource timer;

    /**
     * What a strategy sees for one instrument: every state change, any price of a non-VALID book,
     * any book view inside a venue message and any crossed top; and how long, in event time, it
     * was told the book was VALID. Written on the strategy stage's thread; the counters are atomic
     * for the test thread, the times are read after the pipeline stopped.
     */
    static final class StrategyProbe implements Engine<InboundEvent> {
        private final int instrumentId;
        final List<BookState> states = new CopyOnWriteArrayList<>();
        final AtomicLong pricesFromInvalidBooks = new AtomicLong();
        final AtomicLong validTops = new AtomicLong();
        final AtomicLong viewsInsideMessages = new AtomicLong();
        final AtomicLong crossedTops = new AtomicLong();
        private boolean valid;
        private long firstNanos = Long.MIN_VALUE;
        private long lastNanos;
        private long validNanos;

        StrategyProbe(int instrumentId) {
            this.instrumentId = instrumentId;
        }

        @Override
        public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
            BookView view = event.book();
            long now = event.timestampNanos();
            if (firstNanos == Long.MIN_VALUE) {
                firstNanos = now;
            } else if (valid && now > lastNanos) {
                validNanos += now - lastNanos;
            }
            lastNanos = Math.max(lastNanos, now);
            boolean published = view.instrumentId() >= 0 || view.changes() > 0 || view.pair() >= 0;
            if (published && event.type() == InboundEventType.MARKET_DATA && !event.marketData().endOfMessage()) {
                viewsInsideMessages.incrementAndGet();
            }
            for (int i = 0; i < view.changes(); i++) {
                if (view.changedInstrument(i) == instrumentId) {
                    states.add(view.changedState(i));
                    valid = view.changedState(i) == BookState.VALID;
                }
            }
            if (view.instrumentId() == instrumentId) {
                if (view.state() == BookState.VALID) {
                    validTops.incrementAndGet();
                    if (view.bidTicks() != L2Book.NO_PRICE && view.askTicks() != L2Book.NO_PRICE && view.bidTicks() >= view.askTicks()) {
                        crossedTops.incrementAndGet();
                    }
                } else if (view.bidTicks() != L2Book.NO_PRICE || view.askTicks() != L2Book.NO_PRICE) {
                    pricesFromInvalidBooks.incrementAndGet();
                }
            }
        }

        /** the share of event time, first to last event seen, that the book was VALID (after the pipeline stopped) */
        double validShare() {
            return lastNanos > firstNanos ? validNanos / (double) (lastNanos - firstNanos) : 0;
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (timer != null) {
            timer.close();
        }
        if (replay != null) {
            replay.close();
        }
        if (pipeline != null) {
            pipeline.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultIsDetectedTheBookGoesInvalidResyncsAndIsValidAgain(Fault fault) throws Exception {
        java.nio.file.Path ws = BinanceRecordingReplayTest.DATA.resolve("binance-spot.ws.rec");
        java.nio.file.Path http = BinanceRecordingReplayTest.DATA.resolve("binance-spot.http.rec");
        Recording recording = Recording.read(ws, http);
        InstrumentRegistry registry = BinanceRecordingReplayTest.registryFor(BinanceRecordingReplayTest.recording(ws, http));
        int nkn = registry.find(Venue.BINANCE, "NKNUSDT").id();
        List<String> received = recording.received();
        int depth = 0;
        int target = -1;
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i).contains("nknusdt@depth") && ++depth >= 40 && received.get(i).contains("\"b\":[[\"")) {
                target = i;
                break;
            }
        }
        ReplayWebSocketServer.Faults faults = switch (fault) {
            case DROP -> new ReplayWebSocketServer.Faults(target, -1, -1, s -> s, -1, -1);
            case REORDER -> new ReplayWebSocketServer.Faults(-1, target, -1, s -> s, -1, -1);
            case CORRUPT -> new ReplayWebSocketServer.Faults(-1, -1, target, s -> s.replaceFirst("\"b\":\\[\\[\"", "\"b\":[[\"x"), -1, -1);
            case CLOSE -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, target, -1);
            case SILENT -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, -1, target);
            case CROSSED -> new ReplayWebSocketServer.Faults(-1, -1, target, s -> s.replaceFirst("\"b\":\\[\\[\"", "\"b\":[[\"9"), -1, -1);
            case CAPACITY -> new ReplayWebSocketServer.Faults(-1, -1, target, BinanceFeedFaultTest::manyBids, -1, -1);
        };

        // the engine: ring, market data engine (stale after 500 ms, resyncs go to the feed), probe, timer
        BinanceFeed[] feedRef = new BinanceFeed[1];
        List<String> asked = new CopyOnWriteArrayList<>();
        MarketDataEngine marketData = new MarketDataEngine(registry, fault == Fault.CAPACITY ? SMALL_CAPACITY : 10_000, 500_000_000L,
                (id, reason) -> {
                    asked.add(reason);
                    feedRef[0].request(id, reason);
                });
        StrategyProbe probe = new StrategyProbe(nkn);
        pipeline = Pipeline.builder(new PipelineConfig(1 << 14, 1024, Map.of(), Duration.ofSeconds(10)))
                .stage(Pipeline.MARKETDATA, marketData).stage(Pipeline.STRATEGY, probe).build().start();
        timer = new TimerSource(pipeline.inbound(), Duration.ofMillis(50)).start();

        replay = new BinanceRecordingReplay(recording, registry, faults);
        feedRef[0] = replay.startFeed(new RingFeedSink(pipeline.inbound(), registry, EpochClock.system()),
                Duration.ofMillis(50), Duration.ofMillis(200));
        ReplayWebSocketServer server = replay.server();

        // detected: the book went INVALID after having been VALID; healed: VALID again afterwards
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<BookState> s = probe.states;
            int firstValid = s.indexOf(BookState.VALID);
            int invalidAfter = firstValid < 0 ? -1 : s.subList(firstValid, s.size()).indexOf(BookState.INVALID);
            return invalidAfter >= 0 && s.getLast() == BookState.VALID && server.connections() >= 1;
        });
        assertThat(probe.pricesFromInvalidBooks.get()).isZero();
        assertThat(probe.validTops.get()).isPositive();
        assertThat(probe.viewsInsideMessages.get()).as("book views on slots inside a venue message").isZero();
        assertThat(probe.crossedTops.get()).as("crossed tops published as VALID").isZero();
        assertThat(marketData.invalidations(nkn)).isPositive();
        // the causes the engine finds itself: it asked the feed to rebuild, for that reason
        switch (fault) {
            case CROSSED -> assertThat(asked).contains("crossed book");
            case CAPACITY -> assertThat(asked).contains("book capacity exceeded");
            case SILENT -> assertThat(asked).anySatisfy(r -> assertThat(r).startsWith("stale feed"));
            // and those the feed finds (the end of the replay also makes the books stale, so the
            // INVALID state alone would not prove it)
            case DROP, REORDER -> assertThat(feedRef[0].decoder().sync(nkn).gaps()).isPositive();
            case CORRUPT -> assertThat(feedRef[0].decoder().malformed()).isPositive();
            case CLOSE -> assertThat(server.connections()).isGreaterThanOrEqualTo(2);
        }
        // stopped here (and not again after the test) so that the probe's times are read after its thread ended
        timer.close();
        timer = null;
        replay.close();
        replay = null;
        pipeline.shutdown();
        pipeline = null;
        System.out.printf(java.util.Locale.ROOT, "binance %s: NKNUSDT was VALID for %.3f of the run's event time%n", fault,
                probe.validShare());
    }

}
