package io.mme.app.stream;

import io.mme.app.api.ApiServer;
import io.mme.app.metrics.ApiMetrics;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's requests and the stream's figures as Prometheus families ({@code EngineAssembly} registers
 * {@link ApiMetrics} in the engine's exporter; here a registry of its own serves them at /metrics).
 */
class StreamMetricsTest {
    private StreamServer stream;
    private ApiServer api;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        var instruments = StreamTestSupport.registry();
        StreamTap tap = new StreamTap(instruments, 1_000, 1_024);
        StreamTestSupport.Access access = new StreamTestSupport.Access(instruments, null, null);
        stream = new StreamServer(tap, access, StreamTestSupport.tokens(), null, StreamServer.Settings.defaults());
        ApiMetrics apiMetrics = new ApiMetrics(stream::stats);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(apiMetrics);
        api = new ApiServer(ApiServer.Settings.loopback(0)).install(apiMetrics::install)
                .install(app -> app.get("/metrics", ctx -> {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
                    ctx.result(out.toByteArray());
                }))
                .install(app -> app.get("/api/v1/things/{id}", ctx -> ctx.result("thing"))).install(stream::install).start();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        stream.close();
        api.close();
        http.close();
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void requestsByRouteTemplateAndStatusAndTheStreamsClientsAndRefusalsAreExported() throws Exception {
        get("/api/v1/things/1");
        get("/api/v1/things/2");
        get("/api/v1/nothing/here");
        StreamTestSupport.Client c = StreamTestSupport.Client.connect(http, api.port(), StreamTestSupport.TOKEN);
        c.send("{\"op\":\"subscribe\",\"channel\":\"positions\",\"extra\":1}");
        c.next("\"type\":\"error\"");
        try (StreamTestSupport.RawClient evil = new StreamTestSupport.RawClient(api.port(), 0, "Origin: http://evil.example")) {
            assertThat(evil.response).startsWith("HTTP/1.1 403");
        }
        c.next("\"type\":\"status\"");
        get("/metrics");
        String metrics = get("/metrics");
        assertThat(metrics).contains("mme_api_requests_total{method=\"GET\",route=\"/api/v1/things/{id}\",status=\"200\"} 2.0",
                "mme_api_requests_total{method=\"GET\",route=\"(unmatched)\",status=\"404\"} 1.0",
                "mme_api_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"} 1.0",
                "mme_stream_clients 1.0", "mme_stream_origins_refused_total 1.0", "mme_stream_request_errors_total 1.0",
                "mme_stream_dropped_messages_total{channel=\"trades\"} 0.0", "mme_stream_conflated_total{kind=\"book\"} 0.0",
                "mme_stream_trades_lost_total 0.0", "mme_stream_slow_clients_closed_total 0.0");
        assertThat(metrics).containsPattern("mme_stream_messages_sent_total [1-9]");
        c.socket.abort();
    }
}
