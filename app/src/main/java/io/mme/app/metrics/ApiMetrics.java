package io.mme.app.metrics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.mme.app.stream.StreamServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The operator surfaces' own metrics: HTTP requests counted by method, route (the matched path
 * template, so one series per route and not per URL) and status, and the streaming API's figures
 * (clients, messages and bytes sent, trades messages dropped for clients behind, conflations, trades
 * lost to a wrapped buffer, slow clients closed, origins refused). Requests are counted by an after
 * handler on Jetty's threads; a scrape (any thread) reads the counters.
 */
public final class ApiMetrics implements MultiCollector {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Supplier<StreamServer.Stats> stream;

    /** @param stream the stream's figures, or a supplier of null while there is no stream server */
    public ApiMetrics(Supplier<StreamServer.Stats> stream) {
        this.stream = stream;
    }

    /** counts every request the server answers (before it starts): {@code apiServer.install(apiMetrics::install)} */
    public void install(Javalin app) {
        app.after(this::count);
    }

    private void count(Context ctx) {
        String route = ctx.endpointHandlerPath();
        // Javalin gives a sentence, not a path, when no route matched
        if (route == null || !route.startsWith("/")) {
            // static files and unknown paths: one series, not one per URL asked for
            route = ctx.path().startsWith("/api/") ? "(unmatched)" : "(static)";
        }
        requests.computeIfAbsent(ctx.method().name() + ' ' + route + ' ' + ctx.statusCode(), k -> new LongAdder()).increment();
    }

    @Override
    public MetricSnapshots collect() {
        Families f = new Families();
        var counted = f.counter("mme_api_requests", "HTTP requests answered, by method, route template and status");
        requests.forEach((key, n) -> {
            int first = key.indexOf(' ');
            int last = key.lastIndexOf(' ');
            counted.add(n.sum(), "method", key.substring(0, first), "route", key.substring(first + 1, last), "status", key.substring(last + 1));
        });
        counted.done();
        StreamServer.Stats s = stream.get();
        if (s != null) {
            f.gauge("mme_stream_clients", "stream connections open").add(s.clients()).done();
            f.gauge("mme_stream_channels", "stream channel instances (a channel with its parameters) created").add(s.channels()).done();
            f.counter("mme_stream_messages_sent", "stream messages handed to clients' connections (data and replies)").add(s.messagesSent()).done();
            f.counter("mme_stream_bytes_sent", "bytes of those messages, before compression").add(s.bytesSent()).done();
            f.counter("mme_stream_messages_deflated", "stream messages compressed for permessage-deflate (once each, shared by every compressing connection)")
                    .add(s.messagesDeflated()).done();
            f.counter("mme_stream_deflated_bytes_sent", "compressed bytes handed to connections with permessage-deflate").add(s.deflatedBytesSent()).done();
            f.counter("mme_stream_dropped_messages", "trades messages a client behind did not get (it sees the gap in seq)")
                    .add(s.tradesDropped(), "channel", "trades").done();
            f.counter("mme_stream_conflated", "messages replaced for a client behind: books by a new snapshot, full-state channels by the latest")
                    .add(s.booksConflated(), "kind", "book").add(s.statesConflated(), "kind", "state").done();
            f.counter("mme_stream_trades_lost", "public trades that left the stream tap's buffer before the stream read them").add(s.tradesLost()).done();
            f.counter("mme_stream_slow_clients_closed", "clients closed because their connection took nothing for the stall timeout")
                    .add(s.slowClientsClosed()).done();
            f.counter("mme_stream_origins_refused", "stream upgrades refused for their Origin (api.allowedOrigins)").add(s.originsRefused()).done();
            f.counter("mme_stream_request_errors", "subscribe and unsubscribe requests answered with an error").add(s.requestErrors()).done();
        }
        return new MetricSnapshots(f.snapshots());
    }
}
