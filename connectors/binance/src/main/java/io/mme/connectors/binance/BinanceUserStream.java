package io.mme.connectors.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mme.core.venue.Credentials;
import io.mme.core.venue.RequestBudget;
import org.java_websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The Binance user data stream over the WS API: connects, subscribes with
 * {@code userDataStream.subscribe.signature} (params apiKey and timestamp signed sorted by name,
 * VENUES.md §1.4), hands every event to its {@link Listener}, and reconnects with a doubling backoff
 * when the connection drops or the subscription is refused.
 *
 * <p>Threads: the WebSocket client's reader thread delivers messages and closes; connects and
 * reconnects run on the gateway's scheduler. The current client is a volatile reference replaced on
 * each connect.
 */
final class BinanceUserStream extends BinanceConnection {
    private static final Logger LOG = LoggerFactory.getLogger(BinanceUserStream.class);
    private static final int LOGGED_TEXT = 300;

    /** what the stream tells the gateway; called on the WebSocket reader thread */
    interface Listener {
        /** the subscription is live; {@code subscriptions} counts them since start (1 = the first) */
        void subscribed(long subscriptions);

        /** one user data event (the object under {@code "event"}) */
        void event(JsonNode event);

        /** the venue refused the subscription's timestamp (-1021): the clock offset needs measuring again */
        void timestampRefused();
    }

    private final Credentials credentials;
    private final BinanceSigner signer;
    private final LongSupplier venueMillis;
    private final LongSupplier wallMillis;
    private final RequestBudget budget;
    private final Duration maxBackoff;
    private final Listener listener;
    private final ObjectMapper mapper;
    private volatile boolean subscribed;
    private long subscriptions;
    private long requestIds;

    BinanceUserStream(URI uri, Credentials credentials, BinanceSigner signer, LongSupplier venueMillis, LongSupplier wallMillis,
                      RequestBudget budget, RequestBudget.Charge connectCharge, Duration minBackoff, Duration maxBackoff,
                      ScheduledExecutorService scheduler, Listener listener, ObjectMapper mapper) {
        super("binance user stream", uri, wallMillis, budget, connectCharge, minBackoff, maxBackoff, scheduler);
        this.credentials = credentials;
        this.signer = signer;
        this.venueMillis = venueMillis;
        this.wallMillis = wallMillis;
        this.budget = budget;
        this.maxBackoff = maxBackoff;
        this.listener = listener;
        this.mapper = mapper;
    }

    boolean subscribed() {
        return subscribed;
    }

    @Override
    void opened(WebSocketClient c) {
        subscribe(c);
    }

    @Override
    void dropped(String why) {
        subscribed = false;
    }

    private void subscribe(WebSocketClient c) {
        long timestamp = venueMillis.getAsLong();
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("apiKey", credentials.keyId());
        signed.put("timestamp", Long.toString(timestamp));
        ObjectNode request = mapper.createObjectNode();
        synchronized (this) {
            request.put("id", "subscribe-" + (++requestIds));
        }
        request.put("method", "userDataStream.subscribe.signature");
        request.putObject("params").put("apiKey", credentials.keyId()).put("timestamp", timestamp)
                .put("signature", signer.sign(BinanceSigner.webSocketPayload(signed)));
        c.send(request.toString());
    }

    @Override
    void message(WebSocketClient c, String text) {
        JsonNode msg;
        try {
            msg = mapper.readTree(text);
        } catch (Exception e) {
            LOG.warn("binance user stream: malformed message ignored: {}", truncate(text));
            return;
        }
        if (msg.has("event")) {
            try {
                listener.event(msg.get("event"));
            } catch (RuntimeException e) {
                LOG.warn("binance user stream: event not understood ({}): {}", e.toString(), truncate(text));
            }
            return;
        }
        if (msg.has("id")) {
            int status = msg.path("status").asInt(0);
            if (status == 200 && msg.path("result").has("subscriptionId")) {
                long n;
                succeeded();
                synchronized (this) {
                    n = ++subscriptions;
                }
                subscribed = true;
                LOG.info("binance user stream subscribed (key {}, subscription {})", credentials.maskedKey(), n);
                listener.subscribed(n);
                return;
            }
            JsonNode error = msg.path("error");
            long retryAfter = error.path("data").path("retryAfter").asLong(0);
            if (status == 429 || status == 418) {
                budget.backOff(retryAfter > 0 ? retryAfter : wallMillis.getAsLong() + maxBackoff.toMillis(),
                        status + " on the WS API: " + error.path("msg").asText());
                notBefore(retryAfter);
            }
            LOG.error("binance user stream request refused (key {}): status {} code {} {}", credentials.maskedKey(), status,
                    error.path("code").asInt(), error.path("msg").asText());
            if (error.path("code").asInt() == -1021) {
                listener.timestampRefused();
            }
            c.close();
            return;
        }
        LOG.warn("binance user stream: message not understood: {}", truncate(text));
    }

    static String truncate(String text) {
        return text == null || text.length() <= LOGGED_TEXT ? text : text.substring(0, LOGGED_TEXT) + "...";
    }

    @Override
    public void close() {
        subscribed = false;
        super.close();
    }
}
