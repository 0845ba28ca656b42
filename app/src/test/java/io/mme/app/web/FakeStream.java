package io.mme.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the engine's streaming API (protocol v1, /api/v1/stream) and its GET /api/v1/feeds,
 * for the page's browser test: two venue books of one pair and their consolidated book, quotes,
 * positions, trades and status, with prices that move on every 100 ms tick. Books go as the engine's
 * do: a snapshot, then deltas numbered by seq ({@link #skipBookMessage()} makes one gap). It answers
 * auth (closing with 1008 on a wrong token or a message before auth), subscribe and unsubscribe (by
 * id), and records what each client asked for. Jetty's threads run the handlers; one scheduler thread publishes; sends to a client are
 * serialized on its context.
 */
final class FakeStream implements AutoCloseable {
    static final String PAIR = "BTC/USD";
    /** venue, symbol of the fake's instruments (both of {@link #PAIR}) */
    static final List<List<String>> INSTRUMENTS = List.of(List.of("binance", "BTCUSDT"), List.of("kraken", "XBTUSD"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-stream");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    /** every client's messages, in arrival order, across reconnects */
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger authenticated = new AtomicInteger();
    private final AtomicInteger tick = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean skipBook = new java.util.concurrent.atomic.AtomicBoolean();

    /** one book subscription: its id, the seq sent last (0: nothing yet) and the levels it was sent */
    private static final class BookSub {
        final JsonNode request;
        final String id;
        long seq;
        Map<String, String> bids = Map.of();
        Map<String, String> asks = Map.of();

        BookSub(JsonNode request) {
            this.request = request;
            this.id = "l2Book:" + (request.hasNonNull("venue") ? request.get("venue").asText() + ":" + request.path("symbol").asText()
                    : "pair:" + request.path("pair").asText()) + ":" + request.path("nLevels").asInt(10);
        }
    }

    private static final class Client {
        final WsContext ctx;
        volatile boolean authed;
        final List<BookSub> books = new CopyOnWriteArrayList<>();
        volatile boolean quotes;
        volatile boolean positions;
        volatile boolean trades;
        volatile boolean tradingStates;

        Client(WsContext ctx) {
            this.ctx = ctx;
        }
    }

    FakeStream(String token) {
        this.token = token;
    }

    /** the routes; starts publishing */
    void install(Javalin app) {
        app.get("/api/v1/feeds", this::feeds);
        app.ws("/api/v1/stream", ws -> {
            ws.onConnect(ctx -> clients.put(ctx.sessionId(), new Client(ctx)));
            ws.onMessage(ctx -> onMessage(clients.get(ctx.sessionId()), ctx.message()));
            ws.onClose(ctx -> clients.remove(ctx.sessionId()));
            ws.onError(ctx -> clients.remove(ctx.sessionId()));
        });
        publisher.scheduleAtFixedRate(() -> safely(this::publishBooks), 100, 100, TimeUnit.MILLISECONDS);
        publisher.scheduleAtFixedRate(() -> safely(this::publishStatus), 0, 1, TimeUnit.SECONDS);
    }

    /**
     * A failed publish must not end the schedule. Exception, not RuntimeException: Javalin's (Kotlin)
     * WsContext.send passes Jetty's IOException on undeclared, e.g. for a client that just went away.
     */
    private static void safely(Runnable publish) {
        try {
            publish.run();
        } catch (Exception e) {
            // the next tick publishes again
        }
    }

    /** how many connections authenticated so far */
    int authenticated() {
        return authenticated.get();
    }

    /** what the fake is doing, for a failing test's message */
    String describe() {
        StringBuilder out = new StringBuilder("fake stream at tick " + tick.get() + ", clients:");
        for (Client c : clients.values()) {
            out.append(" [authed ").append(c.authed).append(", books ").append(c.books.size()).append(", open ")
                    .append(c.ctx.session.isOpen()).append(']');
        }
        return out.toString();
    }

    List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** the next book message of one subscription is not sent (its seq is used up): the client sees a gap */
    void skipBookMessage() {
        skipBook.set(true);
    }

    /** closes every client's connection as a restarting server would */
    void dropAll() {
        for (Client c : clients.values()) {
            synchronized (c.ctx) {
                c.ctx.closeSession(1001, "going away");
            }
        }
    }

    private void feeds(Context ctx) throws Exception {
        if (!("Bearer " + token).equals(ctx.header("Authorization"))) {
            ctx.status(401).contentType("application/json").result("{\"error\":\"missing or unknown token\",\"field\":null}");
            return;
        }
        List<Object> feeds = new ArrayList<>();
        for (List<String> i : INSTRUMENTS) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("venue", i.get(0));
            f.put("symbol", i.get(1));
            f.put("pair", PAIR);
            f.put("state", "VALID");
            f.put("bid", Map.of("price", "64000.00", "priceTicks", 6400000, "size", "1.0", "sizeLots", 10));
            f.put("ask", Map.of("price", "64000.50", "priceTicks", 6400050, "size", "1.0", "sizeLots", 10));
            feeds.add(f);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("feeds", feeds);
        body.put("fairValues", List.of(Map.of("pair", PAIR, "fairValue", "64000.25", "fairValueNanos", 64_000_250_000_000L)));
        body.put("publishedAtNanos", 0);
        ctx.contentType("application/json").result(JSON.writeValueAsString(body));
    }

    private void onMessage(Client client, String text) throws Exception {
        if (client == null) {
            return;
        }
        JsonNode msg = JSON.readTree(text);
        received.add(msg);
        String op = msg.path("op").asText();
        if (!client.authed) {
            if (op.equals("auth") && token.equals(msg.path("token").asText())) {
                client.authed = true;
                authenticated.incrementAndGet();
            } else {
                synchronized (client.ctx) {
                    client.ctx.closeSession(1008, "unauthorized");
                }
            }
            return;
        }
        if (op.equals("unsubscribe") && msg.has("id")) {
            String id = msg.get("id").asText();
            boolean removed = client.books.removeIf(b -> b.id.equals(id));
            send(client, removed ? Map.of("type", "unsubscribed", "channel", "l2Book", "id", id)
                    : Map.of("type", "error", "message", "not subscribed to " + id, "field", "id"));
            return;
        }
        if (!op.equals("subscribe")) {
            send(client, Map.of("type", "error", "message", "unknown op " + op, "field", "op"));
            return;
        }
        String channel = msg.path("channel").asText();
        switch (channel) {
            case "l2Book" -> client.books.add(new BookSub(msg));
            case "quotes" -> client.quotes = true;
            case "positions" -> client.positions = true;
            case "trades" -> client.trades = true;
            case "tradingStates" -> client.tradingStates = true;
            default -> {
                send(client, Map.of("type", "error", "message", "unknown channel " + channel, "field", "channel"));
                return;
            }
        }
        send(client, Map.of("type", "subscribed", "channel", channel, "id", String.valueOf(received.size())));
        if (channel.equals("tradingStates")) {
            send(client, tradingStates());
        }
    }

    private void publishBooks() {
        int n = tick.incrementAndGet();
        for (Client c : clients.values()) {
            if (!c.authed) {
                continue;
            }
            for (BookSub sub : c.books) {
                Map<String, Object> book = book(sub.request, n);
                if (sub.seq > 0 && skipBook.compareAndSet(true, false)) {
                    sub.seq++; // this message is lost on the way
                }
                sendBook(c, sub, book);
            }
            if (c.quotes) {
                send(c, quotes(n));
            }
            if (c.positions) {
                send(c, positions(n));
            }
            if (c.trades && n % 5 == 0) {
                send(c, trades(n));
            }
        }
    }

    private void publishStatus() {
        int n = tick.get();
        List<Object> feeds = new ArrayList<>();
        for (List<String> i : INSTRUMENTS) {
            feeds.add(Map.of("venue", i.get(0), "symbol", i.get(1), "state", "VALID"));
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("type", "status");
        status.put("engines", List.of(Map.of("name", "marketdata", "state", "RUNNING"), Map.of("name", "strategy", "state", "RUNNING")));
        status.put("feeds", feeds);
        status.put("tickToQuote", Map.of("p50Micros", 12.5 + n % 7, "p99Micros", 48.0 + n % 11));
        for (Client c : clients.values()) {
            if (c.authed) {
                send(c, status);
            }
        }
    }

    /** the best bid moves by one cent every tick; venues differ by a few cents */
    static BigDecimal bestBid(int venueIndex, int n) {
        return BigDecimal.valueOf(6_400_000 + (n % 500) + 3L * venueIndex, 2);
    }

    private static Map<String, Object> book(JsonNode sub, int n) {
        int levels = sub.path("nLevels").asInt(10);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "l2Book");
        int venueIndex;
        if (sub.hasNonNull("venue")) {
            m.put("venue", sub.get("venue").asText());
            m.put("symbol", sub.path("symbol").asText());
            venueIndex = sub.get("venue").asText().equals("binance") ? 0 : 1;
        } else {
            venueIndex = 1;
        }
        m.put("pair", PAIR);
        m.put("state", "VALID");
        BigDecimal bid = bestBid(venueIndex, n);
        BigDecimal step = new BigDecimal("0.50");
        List<List<String>> bids = new ArrayList<>();
        List<List<String>> asks = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            BigDecimal size = BigDecimal.valueOf(100 + ((n + l) % 9) * 25L, 3);
            bids.add(List.of(bid.subtract(step.multiply(BigDecimal.valueOf(l))).toPlainString(), size.toPlainString()));
            asks.add(List.of(bid.add(step.multiply(BigDecimal.valueOf(l + 1))).toPlainString(), size.toPlainString()));
        }
        m.put("bids", bids);
        m.put("asks", asks);
        m.put("ts", 1_700_000_000_000L + n * 100L);
        return m;
    }

    private static Map<String, Object> quotes(int n) {
        List<Object> quotes = new ArrayList<>();
        for (int v = 0; v < INSTRUMENTS.size(); v++) {
            BigDecimal bid = bestBid(v, n).subtract(new BigDecimal("1.00"));
            quotes.add(Map.of("venue", INSTRUMENTS.get(v).get(0), "symbol", INSTRUMENTS.get(v).get(1),
                    "bid", bid.toPlainString(), "bidSize", "0.010", "ask", bid.add(new BigDecimal("2.50")).toPlainString(),
                    "askSize", "0.010"));
        }
        return Map.of("type", "quotes", "quotes", quotes, "fairValue", bestBid(0, n).add(new BigDecimal("0.25")).toPlainString(),
                "inventory", "0.0" + (n % 10));
    }

    private static Map<String, Object> trades(int n) {
        Map<String, Object> trade = Map.of("price", bestBid(0, n).toPlainString(), "size", "0.004",
                "side", n % 10 == 0 ? "buy" : "sell", "ts", 1_700_000_000_000L + n * 100L);
        return Map.of("type", "trades", "venue", "binance", "symbol", "BTCUSDT", "trades", List.of(trade));
    }

    /** every scope ACTIVE (the engine's stream sends the message on subscribing and on every change) */
    private static Map<String, Object> tradingStates() {
        List<Object> venues = new ArrayList<>();
        List<Object> instruments = new ArrayList<>();
        for (List<String> i : INSTRUMENTS) {
            venues.add(Map.of("venue", i.get(0), "state", "ACTIVE"));
            instruments.add(Map.of("venue", i.get(0), "symbol", i.get(1), "pair", PAIR, "state", "ACTIVE", "effective", "ACTIVE"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "tradingStates");
        m.put("global", "ACTIVE");
        m.put("pipelineHalted", false);
        m.put("haltReason", null);
        m.put("venues", venues);
        m.put("instruments", instruments);
        return m;
    }

    private static Map<String, Object> positions(int n) {
        List<Object> positions = new ArrayList<>();
        for (List<String> i : INSTRUMENTS) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("venue", i.get(0));
            p.put("symbol", i.get(1));
            p.put("position", "0.020");
            p.put("pnl", "-1.25");
            p.put("realized", "0.75");
            p.put("unrealized", "-2.00");
            p.put("fees", "0.012");
            p.put("fills", n / 10);
            positions.add(p);
        }
        return Map.of("type", "positions", "positions", positions, "totalPnl", "-2.50");
    }

    /** the book as the engine sends it: the first a snapshot, then the levels that changed (size "0": gone) */
    @SuppressWarnings("unchecked")
    private static void sendBook(Client c, BookSub sub, Map<String, Object> book) {
        Map<String, String> bids = new LinkedHashMap<>();
        Map<String, String> asks = new LinkedHashMap<>();
        for (List<String> l : (List<List<String>>) book.get("bids")) {
            bids.put(l.get(0), l.get(1));
        }
        for (List<String> l : (List<List<String>>) book.get("asks")) {
            asks.put(l.get(0), l.get(1));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "l2Book");
        m.put("id", sub.id);
        m.put("seq", ++sub.seq);
        m.put("snapshot", sub.seq == 1);
        m.putAll(book);
        if (sub.seq > 1) {
            m.put("bids", changes(sub.bids, bids));
            m.put("asks", changes(sub.asks, asks));
        }
        sub.bids = bids;
        sub.asks = asks;
        send(c, m);
    }

    private static List<List<String>> changes(Map<String, String> before, Map<String, String> now) {
        List<List<String>> out = new ArrayList<>();
        now.forEach((price, size) -> {
            if (!size.equals(before.get(price))) {
                out.add(List.of(price, size));
            }
        });
        before.keySet().stream().filter(p -> !now.containsKey(p)).forEach(p -> out.add(List.of(p, "0")));
        return out;
    }

    private static void send(Client c, Object message) {
        String text;
        try {
            text = JSON.writeValueAsString(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        synchronized (c.ctx) {
            try {
                if (c.ctx.session.isOpen()) {
                    c.ctx.send(text);
                }
            } catch (Exception e) {
                // the client went away (see safely); its close event removes it, the others still get theirs
            }
        }
    }

    @Override
    public void close() {
        publisher.shutdownNow();
    }
}
