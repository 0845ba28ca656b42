package io.mme.app.stream;

import io.mme.app.api.ApiServer;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out: many clients of one channel all get every message in order, and a client that does
 * not read is conflated and finally closed without holding up the others. Functional only (no
 * timing bounds): how fast it goes is {@code ./mme bench stream}'s to say.
 */
class StreamFanOutTest {
    private static final int CLIENTS = 200;
    private static final String BOOK = "{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":10}";

    private StreamTap tap;
    private StreamServer stream;
    private ApiServer api;
    private HttpClient http;
    private Thread feeder;
    private volatile boolean feeding = true;

    private void start(StreamServer.Settings settings) throws Exception {
        var registry = StreamTestSupport.registry();
        tap = new StreamTap(registry, 1_000, 1_024);
        stream = new StreamServer(tap, new StreamTestSupport.Access(registry, null, null), StreamTestSupport.tokens(), null, settings);
        api = new ApiServer(ApiServer.Settings.loopback(0)).install(stream::install).start();
        http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ws-clients");
            t.setDaemon(true);
            return t;
        })).build();
        StreamTestSupport.Feed feed = new StreamTestSupport.Feed(tap);
        // the tap's own thread: every 20 ms the top 100 levels of each side move (a publication per 100 ms of event time)
        feeder = new Thread(() -> {
            long n = 0;
            while (feeding) {
                n++;
                for (int l = 0; l < 100; l++) {
                    feed.level(0, Side.BUY, 6_400_000 - l, 1 + (n + l) % 50).level(0, Side.SELL, 6_400_001 + l, 1 + (n * 7 + l) % 50);
                }
                feed.nanos += 20_000_000L;
                feed.publish();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "feeder");
        feeder.setDaemon(true);
        feeder.start();
    }

    @AfterEach
    void stop() throws Exception {
        feeding = false;
        feeder.join(2_000);
        stream.close();
        api.close();
        http.close();
    }

    @Test
    void twoHundredClientsOfOneBookAllGetItsMessagesInOrder() throws Exception {
        start(StreamServer.Settings.defaults());
        List<CompletableFuture<StreamTestSupport.Client>> connecting = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            connecting.add(StreamTestSupport.Client.connectAsync(http, api.port(), StreamTestSupport.TOKEN, false));
        }
        List<StreamTestSupport.Client> clients = new ArrayList<>();
        for (CompletableFuture<StreamTestSupport.Client> c : connecting) {
            clients.add(c.get(30, TimeUnit.SECONDS));
        }
        for (StreamTestSupport.Client c : clients) {
            c.send(BOOK);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && clients.stream().anyMatch(c -> c.books.get() < 20)) {
            Thread.sleep(100);
        }
        assertThat(clients).allSatisfy(c -> {
            assertThat(c.books.get()).as("book messages of a client").isGreaterThanOrEqualTo(20);
            assertThat(c.gaps.get()).as("deltas out of sequence").isZero();
        });
        // one channel for all: its messages were serialised once, not once per client
        assertThat(stream.stats().channels()).isEqualTo(1);
        assertThat(stream.sessions()).isEqualTo(CLIENTS);
        for (StreamTestSupport.Client c : clients) {
            c.socket.abort();
        }
    }

    @Test
    void aClientThatStopsReadingIsConflatedToSnapshotsThenClosedWhileTheOthersKeepTheirDeltas() throws Exception {
        start(StreamServer.Settings.defaults().withQueueCapacity(4).withStallNanos(TimeUnit.SECONDS.toNanos(3)));
        StreamTestSupport.Client steady = StreamTestSupport.Client.connect(http, api.port(), StreamTestSupport.TOKEN);
        steady.send(BOOK);
        // a socket with a tiny receive window, subscribed to 60 books of 100 levels: about 2 MB/s it does not read
        StreamTestSupport.RawClient slow = new StreamTestSupport.RawClient(api.port(), 4_096, "Authorization: Bearer " + StreamTestSupport.TOKEN);
        assertThat(slow.response).startsWith("HTTP/1.1 101");
        for (int n = 41; n <= 100; n++) {
            slow.sendText("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":" + n + "}");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stream.stats().booksConflated() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stream.stats().booksConflated()).as("snapshots sent in place of missed deltas").isPositive();
        // what the slow client gets, read now: never a delta after a gap in its stream, a snapshot instead
        java.util.Map<String, StreamTestSupport.BookReplica> replicas = new java.util.HashMap<>();
        String m;
        int read = 0;
        // the conflation was counted, so a second snapshot of some stream is in the pipe: read through
        // what the socket buffers still hold before it (how much that is depends on the machine's pace)
        boolean resnapshot = false;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!resnapshot && System.nanoTime() < deadline && (m = slow.nextText()) != null) {
            if (m.startsWith("{\"type\":\"l2Book\"")) {
                String id = m.substring(m.indexOf("\"id\":\"") + 6, m.indexOf("\",\"seq\""));
                StreamTestSupport.BookReplica replica = replicas.computeIfAbsent(id, k -> new StreamTestSupport.BookReplica());
                replica.apply(m);
                resnapshot = replica.snapshots > 1;
                read++;
            }
        }
        assertThat(read).isPositive();
        assertThat(replicas.values()).anySatisfy(r -> assertThat(r.snapshots).isGreaterThan(1));
        slow.close();

        // one that reads nothing at all: closed after the stall timeout, the steady one untouched
        StreamTestSupport.RawClient stalled = new StreamTestSupport.RawClient(api.port(), 4_096, "Authorization: Bearer " + StreamTestSupport.TOKEN);
        for (int n = 41; n <= 100; n++) {
            stalled.sendText("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":" + n + "}");
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stream.stats().slowClientsClosed() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stream.stats().slowClientsClosed()).isEqualTo(1);
        stalled.close();
        long before = steady.books.get();
        // the steady client keeps receiving: wait for its next book (a bound for a loaded machine, not a speed)
        await().atMost(Duration.ofSeconds(30)).until(() -> steady.books.get() > before);
        assertThat(steady.gaps.get()).isZero();
        assertThat(steady.closed).isNotDone();
    }
}
