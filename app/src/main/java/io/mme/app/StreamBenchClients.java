package io.mme.app;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of {@code ./mme bench stream}, run in its own JVM by {@link StreamBenchmark}: N
 * WebSocket clients on loopback, each subscribed as the web page is (every venue book and each
 * pair's consolidated book, 10 levels; quotes, positions, trades of all venues, trading states;
 * status comes to every client). After a warm-up it counts, over the measured window, each
 * client's data messages, the lag of each (the client's clock at parse minus the message's
 * {@code sentUs}, the time the server built it: the same machine's clock), the gaps in each
 * stream's seq, and whether the client saw trades of every venue. Prints "measuring" when the
 * window starts and one result line at the end ({@link #RESULT}).
 *
 * <p>Threads: the JDK HTTP client's (a few clients share each executor thread); the main thread
 * connects, waits and reports. Each client's counters are its listener's, read after the window.
 *
 * <p>Arguments: port token clients warmupSeconds seconds venue:symbol,... pair,...
 */
public final class StreamBenchClients {
    /** the prefix of the result line */
    static final String RESULT = "stream-bench-result ";
    static final String MEASURING = "stream-bench-measuring";

    private static final Recorder LAG = new Recorder(3_600_000_000L, 3);

    private StreamBenchClients() {
    }

    /** one client: its counters belong to the listener's thread, read by main after the window */
    static final class BenchClient implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final Map<String, Long> seqs = new HashMap<>();
        private final List<String> venues;
        private final boolean[] tradeVenues;
        volatile boolean measuring;
        final AtomicLong messages = new AtomicLong();
        final AtomicLong gaps = new AtomicLong();
        volatile String closed;
        WebSocket socket;

        BenchClient(List<String> venues) {
            this.venues = venues;
            this.tradeVenues = new boolean[venues.size()];
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // no back-pressure from the bench's side: read whatever comes, as fast as it comes
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                message(partial);
                partial.setLength(0);
            }
            return null;
        }

        private void message(CharSequence m) {
            String s = m.toString();
            int sent = s.indexOf("\"sentUs\":");
            if (sent < 0) {
                return; // replies
            }
            java.time.Instant now = java.time.Instant.now();
            long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
            int id = s.indexOf("\"id\":\"");
            int seqAt = s.indexOf("\"seq\":");
            String stream = s.substring(id + 6, s.indexOf('"', id + 6));
            long seq = Long.parseLong(s.substring(seqAt + 6, s.indexOf(',', seqAt)));
            Long before = seqs.put(stream, seq);
            boolean snapshot = s.startsWith("true", s.indexOf("\"snapshot\":") + 11);
            if (!snapshot && (before == null || seq != before + 1)) {
                gaps.incrementAndGet();
            }
            if (s.startsWith("{\"type\":\"trades\"")) {
                for (int v = 0; v < venues.size(); v++) {
                    tradeVenues[v] |= s.contains("\"venue\":\"" + venues.get(v) + "\"");
                }
            }
            if (measuring) {
                messages.incrementAndGet();
                long sentUs = Long.parseLong(s.substring(sent + 9, s.indexOf(',', sent)));
                LAG.recordValue(Math.max(0, nowMicros - sentUs));
            }
        }

        boolean sawEveryVenuesTrades() {
            for (boolean b : tradeVenues) {
                if (!b) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = statusCode + " " + reason;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = "error " + error;
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String token = args[1];
        int n = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        List<String[]> books = new ArrayList<>();
        List<String> venues = new ArrayList<>();
        for (String b : args[5].split(",")) {
            String[] vs = b.split(":", 2);
            books.add(vs);
            if (!venues.contains(vs[0])) {
                venues.add(vs[0]);
            }
        }
        List<String> pairs = args.length > 6 && !args[6].isEmpty() ? Arrays.asList(args[6].split(",")) : List.of();

        // a few HTTP clients, each with its selector thread; the listeners run on a small shared pool
        int groups = Math.max(1, Math.min(8, n / 100));
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-clients");
            t.setDaemon(true);
            return t;
        });
        List<HttpClient> https = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            https.add(HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(30)).build());
        }
        List<BenchClient> clients = new ArrayList<>();
        List<CompletableFuture<WebSocket>> connecting = new ArrayList<>();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/api/v1/stream");
        for (int i = 0; i < n; i++) {
            BenchClient c = new BenchClient(venues);
            clients.add(c);
            connecting.add(https.get(i % groups).newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .connectTimeout(Duration.ofSeconds(60)).buildAsync(uri, c));
            if (connecting.size() % 100 == 0) {
                CompletableFuture.allOf(connecting.subList(connecting.size() - 100, connecting.size()).toArray(new CompletableFuture<?>[0]))
                        .get(120, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(connecting.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            BenchClient c = clients.get(i);
            c.socket = connecting.get(i).join();
            for (String[] b : books) {
                c.socket.sendText("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"" + b[0] + "\",\"symbol\":\"" + b[1]
                        + "\",\"nLevels\":10}", true).join();
            }
            for (String p : pairs) {
                c.socket.sendText("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"pair\":\"" + p + "\",\"nLevels\":10}", true).join();
            }
            for (String channel : List.of("quotes", "positions", "trades", "tradingStates")) {
                c.socket.sendText("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}", true).join();
            }
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        LAG.getIntervalHistogram();
        for (BenchClient c : clients) {
            c.measuring = true;
        }
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        System.out.println(MEASURING);
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        for (BenchClient c : clients) {
            c.measuring = false;
        }
        double window = (System.nanoTime() - start) / 1e9;
        double cpu = (cpuNanos() - cpuStart) / 1e9;
        Histogram lag = LAG.getIntervalHistogram();
        double[] rates = new double[n];
        long gaps = 0;
        int closed = 0;
        int allVenues = 0;
        for (int i = 0; i < n; i++) {
            BenchClient c = clients.get(i);
            rates[i] = c.messages.get() / window;
            gaps += c.gaps.get();
            closed += c.closed == null ? 0 : 1;
            allVenues += c.sawEveryVenuesTrades() ? 1 : 0;
        }
        Arrays.sort(rates);
        double mean = Arrays.stream(rates).average().orElse(0);
        System.out.println(String.format(Locale.ROOT, RESULT + "clients=%d seconds=%.2f rateMin=%.2f rateP50=%.2f rateMean=%.2f rateMax=%.2f"
                        + " lagP50Us=%d lagP99Us=%d lagMaxUs=%d lagCount=%d gaps=%d closed=%d allVenueTrades=%d cpuSeconds=%.2f",
                n, window, rates[0], rates[n / 2], mean, rates[n - 1], lag.getValueAtPercentile(50), lag.getValueAtPercentile(99),
                lag.getMaxValue(), lag.getTotalCount(), gaps, closed, allVenues, cpu));
        System.out.flush();
        for (BenchClient c : clients) {
            c.socket.abort();
        }
        System.exit(0);
    }
}
