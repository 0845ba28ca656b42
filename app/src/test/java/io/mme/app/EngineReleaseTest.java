package io.mme.app;

import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stopped engine lets go of everything: none of the threads it started outlives it, and nothing
 * keeps it reachable (a JVM that runs engines one after another, such as the app's test suite, once
 * kept every stopped engine with its rings: the Prometheus JVM metrics' static set of registries
 * held the exporter's registry, and the Disruptor's single-producer assertion kept dead engine
 * threads with their processors and rings).
 */
class EngineReleaseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** threads a library keeps once per JVM, whichever engine first needed them (Chronicle, JNA, Prometheus's static scheduler, the JDK) */
    private static final List<String> PROCESS_WIDE = List.of("disk~space~checker", "background~resource~releaser", "JNA Cleaner",
            "prometheus-metrics-scheduler", "process reaper", "Common-Cleaner");

    @TempDir
    Path dir;

    @Test
    void aStoppedEngineLeavesNoThreadAndIsCollected() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "rita risk-officer " + TokenStore.sha256Hex("rita-secret") + "\n");
        for (int run = 0; run < 2; run++) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            WeakReference<EngineAssembly> stopped = startAndStop(tokens, dir.resolve("run" + run));
            await("the engine's threads end").pollInSameThread().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(startedSince(before)).as("threads the engine started, alive after its stop").isEmpty());
            await("the stopped engine is collected").pollInSameThread().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return stopped.get() == null;
            });
        }
    }

    /** an engine as the demo runs it, with its API, metrics, web page and stream on, for a moment */
    private static WeakReference<EngineAssembly> startAndStop(Path tokens, Path run) throws Exception {
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_API_ENABLED", "true", "MME_API_PORT", "0", "MME_API_TOKENS_FILE", tokens.toString()));
        EngineAssembly engine = EngineAssembly.live(settings, run).start();
        try {
            // running: quoting, the latency window ticking, /metrics scraped once
            await().atMost(WAIT).until(() -> engine.execution().view().total(io.mme.execution.ExecutionCounter.ORDERS_SENT) > 0);
            assertThat(scrape(engine)).contains("jvm_threads_current").contains("mme_");
            assertThat(threadsNamed("mme-latency-window")).isNotEmpty();
        } finally {
            engine.stop();
        }
        return new WeakReference<>(engine);
    }

    private static String scrape(EngineAssembly engine) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().executor(Runnable::run).build();
        try (http) {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + engine.api().port() + "/metrics"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static List<String> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(name::equals).toList();
    }

    private static List<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(n -> PROCESS_WIDE.stream().noneMatch(n::contains))
                .sorted().toList();
    }
}
