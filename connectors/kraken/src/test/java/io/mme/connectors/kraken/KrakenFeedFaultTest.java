package io.mme.connectors.kraken;

import io.mme.strategy.ChainSink;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.marketdata.replay.Recording;
import io.mme.marketdata.replay.ReplayWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The faults of the market data issue on the replayed Kraken v1 feed, through the real feed: each
 * is detected (a failed checksum, a malformed book message, a closed socket, or the engine's
 * stale-feed resync request), the books go invalid, the feed resubscribes the pair (an unsubscribe
 * that this replay server, which plays a recording and cannot make a snapshot of the moment, never
 * answers, so after the feed's unsubscribe timeout it reconnects), and the new connection's books
 * pass their checksums. The answered per-pair path is {@link KrakenEngineRebuildTest}'s. Behind the feed the real market data and strategy
 * engines run on what it says ({@link ChainSink}): through the fault and the healing no intent is
 * written inside a venue message or from a book that is crossed, INVALID or priced through; the
 * share of the run's slots in which each book was VALID is printed.
 */
class KrakenFeedFaultTest {
    enum Fault {
        DROP, REORDER, CORRUPT, CLOSE, SILENT,
        /** a level with a negative volume: the decoder refuses the message and drops the book */
        NEGATIVE_VOLUME,
        /** a price finer than the pair's tick: refused likewise */
        OFF_GRID_PRICE
    }

    private ReplayWebSocketServer server;
    private KrakenFeed feed;

    @AfterEach
    void stop() throws InterruptedException {
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.stop(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultIsDetectedAndTheFeedResubscribesAndHeals(Fault fault) throws Exception {
        Recording recording = Recording.read(KrakenRecordings.file(KrakenRecordings.V1_BOOK));
        List<String> received = recording.received();
        InstrumentRegistry registry = KrakenRecordings.registry(KrakenRecordings.messages());
        // the checksum covers the top ten levels only: pick, offline, the first update well into the
        // stream whose loss or corruption the checksum does catch
        int target = -1;
        for (int i = 300; i < received.size() && target < 0; i++) {
            if (fault == Fault.CLOSE || fault == Fault.SILENT || (malformed(fault) && losesTheBook(received, i, fault, registry))
                    || (!malformed(fault) && caughtByChecksum(received, i, fault, registry))) {
                target = i;
            }
        }
        assertThat(target).isPositive();
        ReplayWebSocketServer.Faults faults = switch (fault) {
            case DROP -> new ReplayWebSocketServer.Faults(target, -1, -1, s -> s, -1, -1);
            case REORDER -> new ReplayWebSocketServer.Faults(-1, target, -1, s -> s, -1, -1);
            case CORRUPT -> new ReplayWebSocketServer.Faults(-1, -1, target, CORRUPT_FIRST_PRICE, -1, -1);
            case CLOSE -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, target, -1);
            case SILENT -> new ReplayWebSocketServer.Faults(-1, -1, -1, s -> s, -1, target);
            case NEGATIVE_VOLUME -> new ReplayWebSocketServer.Faults(-1, -1, target, NEGATIVE_FIRST_VOLUME, -1, -1);
            case OFF_GRID_PRICE -> new ReplayWebSocketServer.Faults(-1, -1, target, OFF_GRID_FIRST_PRICE, -1, -1);
        };
        KrakenFeedSessionTest.CountingSink sink = new KrakenFeedSessionTest.CountingSink();
        ChainSink chain = new ChainSink(registry, KrakenBooks.MAX_DEPTH + KrakenBooks.MAX_LEVELS_PER_MESSAGE, sink);
        server = new ReplayWebSocketServer(recording, ReplayWebSocketServer.Gate.NONE, faults, true);
        String url = server.startAndGetUrl();
        feed = new KrakenFeed(new KrakenFeed.Settings(URI.create(url), KrakenFeed.Protocol.V1, 1000,
                Duration.ofMillis(50), Duration.ofMillis(200)), registry, chain).start();

        if (fault == Fault.SILENT) {
            // the market data engine finds the feed stale and asks for a resync
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.session().messages() >= server.sent() && server.sent() > 0);
            feed.request(0, "stale feed");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.connections() >= 2);
        assertThat(server.awaitFinished(30, TimeUnit.SECONDS)).isTrue();
        long passedBefore = feed.checksumsPassed();
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.checksumsPassed() >= passedBefore && feed.session().messages() > 0
                && allValid(registry));
        feed.close();
        switch (fault) {
            case DROP, REORDER, CORRUPT -> {
                assertThat(feed.checksumsFailed()).isPositive();
                assertThat(feed.checksumResyncs()).isPositive();
                assertThat(feed.pairResubscribes()).isPositive();
                assertThat(feed.resyncReconnects()).isPositive();
                assertThat(sink.invalidations).anySatisfy(r -> assertThat(r).containsIgnoringCase("checksum"));
            }
            case CLOSE, SILENT -> assertThat(sink.invalidations).anySatisfy(r -> assertThat(r).startsWith("disconnected"));
            case NEGATIVE_VOLUME, OFF_GRID_PRICE -> {
                // no checksum can catch it (the book's later updates are dropped): the feed itself resubscribes
                assertThat(feed.booksLostToMalformed()).isEqualTo(1);
                assertThat(feed.malformedResyncs()).isEqualTo(1);
                assertThat(feed.pairResubscribes()).isEqualTo(1);
                assertThat(feed.resyncReconnects()).isEqualTo(1);
                assertThat(feed.checksumsFailed()).isZero();
                assertThat(sink.invalidations).anySatisfy(r -> assertThat(r).startsWith("malformed book message"));
            }
        }
        assertThat(feed.malformed()).isEqualTo(malformed(fault) ? 1 : 0);
        assertThat(chain.violations()).as("intents from a book the engine does not vouch for").isEmpty();
        assertThat(chain.intents()).as("the strategies quoted").isPositive();
        StringBuilder shares = new StringBuilder("kraken " + fault + ": share of the run's slots in which each book was VALID:");
        for (int id = 0; id < registry.size(); id++) {
            shares.append(String.format(java.util.Locale.ROOT, " %s %.3f", registry.get(id).venueSymbol(), chain.validShare(id)));
        }
        System.out.println(shares);
    }

    private static boolean malformed(Fault fault) {
        return fault == Fault.NEGATIVE_VOLUME || fault == Fault.OFF_GRID_PRICE;
    }

    /**
     * replays the messages up to {@code index}, that one spoilt, through a bare decoder: does it
     * refuse the message and drop a valid book? (A volume of 0 turned into -0 would still parse.)
     */
    private static boolean losesTheBook(List<String> messages, int index, Fault fault, InstrumentRegistry registry) {
        KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(registry, new KrakenFeedSessionTest.CountingSink());
        for (int i = 0; i < index; i++) {
            decoder.onMessage(messages.get(i));
        }
        decoder.onMessage((fault == Fault.NEGATIVE_VOLUME ? NEGATIVE_FIRST_VOLUME : OFF_GRID_FIRST_PRICE).apply(messages.get(index)));
        return decoder.booksLostToMalformed() == 1 && decoder.checksumsFailed() == 0;
    }

    private static final java.util.function.UnaryOperator<String> NEGATIVE_FIRST_VOLUME =
            s -> s.replaceFirst("\\[\"([0-9.]+)\",\"([0-9.]+)\"", "[\"$1\",\"-$2\"");
    private static final java.util.function.UnaryOperator<String> OFF_GRID_FIRST_PRICE =
            s -> s.replaceFirst("\\[\"([0-9]+\\.[0-9]+)\"", "[\"$1000000000001\"");

    private static final java.util.function.UnaryOperator<String> CORRUPT_FIRST_PRICE = s -> s.replaceFirst("\\[\"([0-9]+)\\.", "[\"9$1.");

    /** replays the messages with the fault at {@code index} through a bare decoder: did a checksum fail? */
    private static boolean caughtByChecksum(List<String> messages, int index, Fault fault, InstrumentRegistry registry) {
        KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(registry, new KrakenFeedSessionTest.CountingSink());
        for (int i = 0; i < messages.size() && i <= index + 50; i++) {
            String m = messages.get(i);
            if (i == index) {
                switch (fault) {
                    case DROP -> {
                        continue;
                    }
                    case REORDER -> {
                        if (i + 1 < messages.size()) {
                            decoder.onMessage(messages.get(i + 1));
                        }
                        decoder.onMessage(m);
                        i++;
                        continue;
                    }
                    case CORRUPT -> m = CORRUPT_FIRST_PRICE.apply(m);
                    default -> {
                    }
                }
            }
            decoder.onMessage(m);
        }
        return decoder.checksumsFailed() > 0;
    }

    private boolean allValid(InstrumentRegistry registry) {
        for (int id = 0; id < registry.size(); id++) {
            if (!feed.valid(id)) {
                return false;
            }
        }
        return true;
    }
}
