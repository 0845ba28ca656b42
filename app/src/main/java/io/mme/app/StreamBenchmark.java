package io.mme.app;

import io.mme.analytics.LatencyEngine;
import io.mme.analytics.LatencySummary;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Instrument;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./mme bench stream --clients N}: the streaming API's fan-out against the running demo
 * engine (the built-in demo configuration, API on a loopback port). Two phases, each with its
 * clients in a separate JVM ({@link StreamBenchClients}, plain NIO) subscribed as the web page is: one client
 * (the reference: the full per-client rate, and the engine's tick-to-quote "before"), then N
 * clients ("under load"). It reports the per-client message rate against the reference, the
 * client lag (server built to client parsed) p50/p99, the engine's tick-to-quote p99 in each
 * phase, the gaps clients saw and the stream's drop and conflation counters from /metrics.
 * {@code --smoke} runs 20 clients briefly and fails (exit 1) when a client fell below 80 % of the
 * reference rate, saw a gap, was closed, or did not see every venue's trades.
 *
 * <p>Threads: main drives it; the engine runs its own; the client process is read on main.
 */
public final class StreamBenchmark {
    private StreamBenchmark() {
    }

    /** one phase's figures: what the client process printed, and tick-to-quote over its window */
    record Phase(Map<String, String> result, LatencySummary tickToQuote, Map<String, Long> serverCpuNanos) {
        double number(String key) {
            return Double.parseDouble(result.getOrDefault(key, "NaN"));
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = 200;
        int seconds = 10;
        int warmup = 3;
        boolean smoke = false;
        boolean deflate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = positive(args, ++i, "--clients");
                case "--seconds" -> seconds = positive(args, ++i, "--seconds");
                case "--warmup" -> warmup = positive(args, ++i, "--warmup");
                case "--smoke" -> smoke = true;
                case "--deflate" -> deflate = true;
                case "--help", "-h" -> {
                    System.out.println("usage: ./mme bench stream [--clients N (200)] [--seconds S (10)] [--warmup S (3)] [--deflate] [--smoke]\n"
                            + "  N WebSocket clients in a second JVM on loopback, subscribed as the web page is, against the demo engine;\n"
                            + "  reports per-client message rate (against one client alone), client lag p50/p99, tick-to-quote p99\n"
                            + "  before (one client) and under load, and the stream's drop counters. --deflate: the clients offer\n"
                            + "  permessage-deflate, as browsers do. --smoke: 20 clients, 3 s, checked.");
                    return;
                }
                default -> {
                    System.err.println("stream bench: unknown argument '" + args[i] + "' (--help lists them)");
                    System.exit(2);
                }
            }
        }
        if (smoke) {
            clients = 20;
            seconds = 3;
            warmup = 2;
        }
        System.exit(run(clients, seconds, warmup, smoke, deflate));
    }

    private static int positive(String[] args, int i, String name) {
        try {
            int v = Integer.parseInt(args[i]);
            if (v > 0) {
                return v;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        System.err.println("stream bench: " + name + " needs a positive whole number, got " + (i < args.length ? "'" + args[i] + "'" : "nothing"));
        System.exit(2);
        return 0;
    }

    static int run(int clients, int seconds, int warmup, boolean smoke, boolean deflate) throws Exception {
        Path dir = Files.createTempDirectory("mme-stream-bench");
        String token = "bench-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "bench viewer " + TokenStore.sha256Hex(token) + "\n");
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_API_ENABLED", "true", "MME_API_PORT", "0", "MME_API_TOKENS_FILE", tokens.toString()));
        List<String> books = new ArrayList<>();
        Set<String> pairs = new LinkedHashSet<>();
        for (Instrument ins : settings.instruments().all()) {
            books.add(ins.venue().configName() + ":" + ins.venueSymbol());
            pairs.add(ins.pair());
        }
        EngineAssembly engine = EngineAssembly.live(settings, dir.resolve("run")).start();
        int port = engine.api().port();
        try {
            Thread.sleep(2_000);
            System.out.printf(Locale.ROOT, "stream bench: the demo engine (%d books, pairs %s), API on 127.0.0.1:%d; %d cores, JDK %s%n",
                    books.size(), pairs, port, Runtime.getRuntime().availableProcessors(), Runtime.version());
            Phase reference = phase(engine, port, token, 1, warmup, seconds, books, pairs, deflate);
            Phase load = phase(engine, port, token, clients, warmup, seconds, books, pairs, deflate);
            Map<String, Double> stream = streamMetrics(port);
            double full = reference.number("rateMean");
            System.out.printf(Locale.ROOT, "stream bench: %d clients (separate JVM, loopback%s), %d s measured after %d s warm-up%n",
                    clients, deflate ? ", permessage-deflate" : "", seconds, warmup);
            System.out.printf(Locale.ROOT, "  per-client rate: reference (1 client) %.1f msg/s; under load min %.1f, p50 %.1f, mean %.1f msg/s"
                    + " (min %.1f %% of the reference)%n", full, load.number("rateMin"), load.number("rateP50"), load.number("rateMean"),
                    100 * load.number("rateMin") / full);
            System.out.printf(Locale.ROOT, "  client lag (server built -> client parsed): reference p50 %.2f ms, p99 %.2f ms; under load"
                            + " p50 %.2f ms, p99 %.2f ms, max %.2f ms (%.0f messages)%n",
                    reference.number("lagP50Us") / 1e3, reference.number("lagP99Us") / 1e3, load.number("lagP50Us") / 1e3,
                    load.number("lagP99Us") / 1e3, load.number("lagMaxUs") / 1e3, load.number("lagCount"));
            System.out.printf(Locale.ROOT, "  tick-to-quote p50 / p99: before (1 client) %s / %s (n=%d), under load %s / %s (n=%d)%n",
                    LatencySummary.micros(reference.tickToQuote().p50()), LatencySummary.micros(reference.tickToQuote().p99()),
                    reference.tickToQuote().count(), LatencySummary.micros(load.tickToQuote().p50()),
                    LatencySummary.micros(load.tickToQuote().p99()), load.tickToQuote().count());
            System.out.printf(Locale.ROOT, "  clients: %.0f upgraded, %.0f gaps seen, %.0f closed, %.0f of %d saw every venue's trades; stream: trades messages"
                            + " dropped %.0f, book snapshots for clients behind %.0f, full-state messages conflated %.0f, trades lost %.0f,"
                            + " slow clients closed %.0f, messages sent %.0f%n",
                    load.number("upgraded"), load.number("gaps"), load.number("closed"), load.number("allVenueTrades"), clients,
                    stream.getOrDefault("mme_stream_dropped_messages_total", Double.NaN),
                    stream.getOrDefault("mme_stream_conflated_total{kind=\"book\"}", Double.NaN),
                    stream.getOrDefault("mme_stream_conflated_total{kind=\"state\"}", Double.NaN),
                    stream.getOrDefault("mme_stream_trades_lost_total", Double.NaN),
                    stream.getOrDefault("mme_stream_slow_clients_closed_total", Double.NaN),
                    stream.getOrDefault("mme_stream_messages_sent_total", Double.NaN));
            System.out.printf(Locale.ROOT, "  CPU in the measured window: client JVM %.1f s; engine JVM by thread: %s%n",
                    load.number("cpuSeconds"), topCpu(load.serverCpuNanos()));
            if (!smoke) {
                return 0;
            }
            List<String> failed = new ArrayList<>();
            if (!(full > 0)) {
                failed.add("the reference client received nothing");
            }
            if (load.number("rateMin") < 0.8 * full) {
                failed.add("a client got less than 80 % of the reference rate");
            }
            if (load.number("gaps") > 0) {
                failed.add("clients saw gaps in seq");
            }
            if (load.number("upgraded") < clients) {
                failed.add("clients were not let in");
            }
            if (load.number("closed") > 0) {
                failed.add("clients were closed");
            }
            if (load.number("allVenueTrades") < clients) {
                failed.add("clients did not see every venue's trades");
            }
            if (reference.tickToQuote().count() == 0) {
                failed.add("the engine quoted nothing");
            }
            if (!failed.isEmpty()) {
                System.out.println("stream bench smoke: FAILED: " + String.join("; ", failed));
                return 1;
            }
            System.out.println("stream bench smoke: OK");
            return 0;
        } finally {
            engine.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** runs the client process with {@code n} clients, tick-to-quote copied when its window opens and closes */
    private static Phase phase(EngineAssembly engine, int port, String token, int n, int warmup, int seconds, List<String> books,
                               Set<String> pairs, boolean deflate) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Dchronicle.analytics.disable=true", "-Xss256k", "-cp",
                System.getProperty("java.class.path"), StreamBenchClients.class.getName(), Integer.toString(port), token,
                Integer.toString(n), Integer.toString(warmup), Integer.toString(seconds), String.join(",", books), String.join(",", pairs),
                deflate ? "deflate" : "plain"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Histogram before = LatencyEngine.newHistogram();
        Histogram after = LatencyEngine.newHistogram();
        Map<String, String> result = new LinkedHashMap<>();
        Map<String, Long> cpuBefore = Map.of();
        Map<String, Long> cpu = new java.util.TreeMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals(StreamBenchClients.MEASURING)) {
                    copy(engine, before);
                    cpuBefore = cpuByThreadGroup();
                } else if (line.startsWith(StreamBenchClients.RESULT)) {
                    copy(engine, after);
                    Map<String, Long> from = cpuBefore;
                    cpuByThreadGroup().forEach((k, v) -> cpu.put(k, v - from.getOrDefault(k, 0L)));
                    for (String kv : line.substring(StreamBenchClients.RESULT.length()).split(" ")) {
                        int eq = kv.indexOf('=');
                        result.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result.isEmpty()) {
            throw new IllegalStateException("the client process (" + n + " clients) ended with exit " + exit + " and "
                    + (result.isEmpty() ? "no result" : "a result"));
        }
        return new Phase(result, LatencySummary.between(after, before, LatencyEngine.newHistogram()), cpu);
    }

    /** CPU time (ns) of this JVM's live threads, summed by name with numbers dropped (Jetty's pool, the engines, ...) */
    private static Map<String, Long> cpuByThreadGroup() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                String name = info.getThreadName().replaceAll("[-@ ]?[0-9]+$", "").replaceAll("[0-9]+", "#");
                out.merge(name, Math.max(0, mx.getThreadCpuTime(info.getThreadId())), Long::sum);
            }
        }
        return out;
    }

    /** the thread groups that used the most CPU, as "name 1.23 s" */
    private static String topCpu(Map<String, Long> cpu) {
        return cpu.entrySet().stream().filter(e -> e.getValue() > 10_000_000L).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8).map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static void copy(EngineAssembly engine, Histogram into) {
        engine.readLatency(latency -> {
            latency.copyTickToQuote(into);
            return null;
        });
    }

    /** the stream's families of the engine's /metrics, by series */
    private static Map<String, Double> streamMetrics(int port) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith("mme_stream_")) {
                    int space = line.lastIndexOf(' ');
                    out.put(line.substring(0, space).replace("{channel=\"trades\"}", ""), Double.parseDouble(line.substring(space + 1)));
                }
            }
        }
        return out;
    }
}
