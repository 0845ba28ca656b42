package io.mme.app.metrics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.mme.analytics.LatencyEngine;
import io.mme.analytics.redis.RedisHotStatePublisher;
import io.mme.app.api.EngineAccess;
import io.mme.audit.store.AuditStore;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The Prometheus endpoint of a running engine: a registry (Prometheus Java client 1.x) holding the
 * JVM's metrics and one {@link EngineCollector} that reads, at scrape time, what the engines already
 * publish for any thread (their views, the pipeline's health, the latency recorder, the store
 * tiers' counters). No engine thread does anything for a scrape. {@link #install(Javalin)} serves it
 * as GET {@value #PATH}: the Prometheus text format 0.0.4, or OpenMetrics when the Accept header
 * asks for it.
 *
 * <p>Latency: the {@link LatencyEngine}'s {@code sample()} may be called by one thread at a time. The
 * exporter calls it at every scrape under {@link #latencyLock()}, and reads the cumulative histograms
 * right after under the same lock, exported as Prometheus histograms (so that {@code rate()} over a
 * window gives that window's latency). Anything else that samples (the app's console, the
 * {@link LatencyWindow} of the web page's tiles) must sample and read the recorder inside
 * {@code synchronized (exporter.latencyLock())} while the exporter exists. Every reader works on the cumulative histograms
 * (its interval is the difference of two copies), so samplers do not disturb each other.
 *
 * <p>The JVM's metrics: one set for the process ({@link JvmMetrics} registers them once in a
 * registry of the class), read into each exporter's scrape. Registering them in the exporter's own registry
 * would pin the engine for the life of the JVM: {@code JvmMetrics} keeps every registry it was
 * registered with in a static set (and adds GC listeners for each), so the registry, its
 * {@link EngineCollector} and through it the stopped engine's rings and journals would never be
 * collected.
 *
 * <p>Thread-safe: Jetty's handler threads may scrape concurrently.
 */
public final class MetricsExporter {
    /** where {@link #install(Javalin)} serves the metrics */
    public static final String PATH = "/metrics";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Object latencyLock = new Object();
    private final LatencyWindow window;

    /**
     * @param access  the engine's views and health
     * @param latency the latency recorder, or null (a replay, or none configured)
     * @param audit   the PostgreSQL tier when configured: a supplier that may be null or return null
     * @param redis   the Redis tier when configured: a supplier that may be null or return null
     */
    public MetricsExporter(EngineAccess access, LatencyEngine latency, Supplier<AuditStore> audit,
                           Supplier<RedisHotStatePublisher> redis) {
        this.window = latency == null ? null : new LatencyWindow(latency, latencyLock);
        registry.register(new EngineCollector(access, latency, latencyLock, nullSafe(audit), nullSafe(redis)));
        registry.register(JVM_METRICS);
    }

    /** the process's JVM metrics, registered once: {@code JvmMetrics} holds this registry for good, it holds no engine */
    private static final class Jvm {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }

    /** the JVM's metrics in an exporter's scrape (a scrape's name filter passed on) */
    private static final MultiCollector JVM_METRICS = new MultiCollector() {
        @Override
        public MetricSnapshots collect() {
            return Jvm.REGISTRY.scrape();
        }

        @Override
        public MetricSnapshots collect(java.util.function.Predicate<String> includedNames) {
            return Jvm.REGISTRY.scrape(includedNames);
        }
    };

    private static <T> Supplier<T> nullSafe(Supplier<T> supplier) {
        return supplier == null ? () -> null : supplier;
    }

    /** adds a collector's families to every scrape (the API's and the stream's: {@link ApiMetrics}) */
    public MetricsExporter register(MultiCollector collector) {
        registry.register(collector);
        return this;
    }

    /** adds GET {@value #PATH} to the server (before it starts): {@code apiServer.install(exporter::install)} */
    public void install(Javalin app) {
        app.get(PATH, this::handle);
    }

    private void handle(Context ctx) {
        Exposition exposition = expose(ctx.header("Accept"));
        ctx.contentType(exposition.contentType()).result(exposition.body());
    }

    /** one scrape rendered in the format the Accept header asks for (null: the Prometheus text format) */
    public Exposition expose(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(body, scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(writer.getContentType(), body.toByteArray());
    }

    /** every metric family, as of now */
    public MetricSnapshots scrape() {
        return registry.scrape();
    }

    /** tick-to-quote over the last seconds for the web page (started by the owner), or null without a latency recorder */
    public LatencyWindow latencyWindow() {
        return window;
    }

    /** the lock under which the latency recorder is sampled and its reader-side histograms read */
    public Object latencyLock() {
        return latencyLock;
    }

    /** a rendered scrape */
    public record Exposition(String contentType, byte[] body) {
    }
}
