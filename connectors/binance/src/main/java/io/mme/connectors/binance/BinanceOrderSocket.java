package io.mme.connectors.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mme.core.venue.RequestBudget;
import org.java_websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One persistent connection to the Binance WS API for order entry (VENUES.md §1.4): sends
 * {@code {"id","method","params"}} requests, correlates each answer by {@code id}, gives up on an
 * answer after the request timeout or when the connection drops (the request's outcome is then
 * unknown to the caller), and reconnects with a doubling backoff (each connect spends its weight
 * from the budget).
 *
 * <p>Owns: the connection and the map of requests waiting for their answer. Threads: requests are
 * sent from any thread (the client queues frames); answers and closes arrive on the WebSocket reader
 * thread and are handed to the gateway's callback executor (completing a request publishes reports,
 * which may wait); timeouts and reconnects run on the gateway's scheduler.
 */
final class BinanceOrderSocket extends BinanceConnection {
    private static final Logger LOG = LoggerFactory.getLogger(BinanceOrderSocket.class);

    /** the request got no answer: timeout, connection lost, or the connection was down when it was sent */
    static final class NoAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoAnswer(String why) {
            super(why, null, false, false);
        }
    }

    private final Duration requestTimeout;
    private final ScheduledExecutorService scheduler;
    private final Executor callbacks;
    private final ObjectMapper mapper;
    private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean connected;
    /** the open connection requests go on; null while down */
    private volatile WebSocketClient client;

    BinanceOrderSocket(URI uri, LongSupplier wallMillis, RequestBudget budget, RequestBudget.Charge connectCharge, Duration requestTimeout,
                       Duration minBackoff, Duration maxBackoff, ScheduledExecutorService scheduler, Executor callbacks, ObjectMapper mapper) {
        super("binance order-entry connection", uri, wallMillis, budget, connectCharge, minBackoff, maxBackoff, scheduler);
        this.requestTimeout = requestTimeout;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.mapper = mapper;
    }

    boolean connected() {
        return connected;
    }

    @Override
    void opened(WebSocketClient c) {
        succeeded();
        client = c;
        connected = true;
        LOG.info("binance order-entry connection open ({})", uri());
    }

    /**
     * Sends one request; the future completes with the whole answer message, or exceptionally with
     * {@link NoAnswer} when none came. Never sends twice.
     */
    CompletableFuture<JsonNode> request(String method, ObjectNode params) {
        String id = "o" + requestIds.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        WebSocketClient c = client;
        if (!connected || c == null) {
            answer.completeExceptionally(new NoAnswer("the order-entry connection is down"));
            return answer;
        }
        ObjectNode request = mapper.createObjectNode().put("id", id).put("method", method);
        request.set("params", params);
        waiting.put(id, answer);
        scheduler.schedule(() -> giveUp(id, "no answer within " + requestTimeout.toMillis() + " ms"), requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            c.send(request.toString());
        } catch (RuntimeException e) {
            giveUp(id, "not sent: " + e);
        }
        return answer;
    }

    private void giveUp(String id, String why) {
        CompletableFuture<JsonNode> f = waiting.remove(id);
        if (f != null) {
            callbacks.execute(() -> f.completeExceptionally(new NoAnswer(why)));
        }
    }

    @Override
    void message(WebSocketClient c, String text) {
        JsonNode msg;
        try {
            msg = mapper.readTree(text);
        } catch (Exception e) {
            LOG.warn("binance order socket: malformed message ignored: {}", BinanceUserStream.truncate(text));
            return;
        }
        CompletableFuture<JsonNode> f = waiting.remove(msg.path("id").asText(""));
        if (f == null) {
            LOG.warn("binance order socket: answer to no waiting request (late or unknown id): {}", BinanceUserStream.truncate(text));
            return;
        }
        callbacks.execute(() -> f.complete(msg));
    }

    @Override
    void dropped(String why) {
        connected = false;
        client = null;
        List<String> lost = new ArrayList<>(waiting.keySet());
        lost.forEach(id -> giveUp(id, "connection lost before the answer (" + why + ")"));
        if (!lost.isEmpty()) {
            LOG.warn("binance order-entry connection down: {} requests lost their answer", lost.size());
        }
    }

    @Override
    public void close() {
        connected = false;
        super.close();
    }
}
