package io.mme.connectors.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Kraken spot venue on 127.0.0.1 for tests: the private REST calls ({@code /0/private/...}, form
 * bodies, Kraken's {@code {"error":[],"result":{}}} envelope), {@code /0/public/Time}, and the
 * authenticated WebSocket v2 with the {@code executions} channel. It checks every private request
 * as Kraken does (API-Key, API-Sign recomputed independently of the gateway's signer, nonces
 * strictly increasing), keeps orders (they rest until a test fills or cancels them), enforces the
 * per-pair trading counter, and injects faults on demand: answers delayed past the client's
 * timeout (the request still executes), 5xx (not executed), HTTP 429 with Retry-After, Kraken's
 * rate-limit error strings, a dropped or refused private stream, held / repeated / reordered
 * execution messages, and orders nobody placed through the gateway. It counts every request with
 * its receive time.
 *
 * <p>Threads: the HTTP server's threads and the WebSocket server's thread; all state is guarded by
 * this object's monitor. Public so that other modules' tests can use it (test-jar).
 */
public final class FakeKrakenVenue implements AutoCloseable {
    public static final String KEY = "fake-kraken-key";
    /** the secret of VENUES.md's test vector */
    public static final String SECRET = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==";
    private static final Set<String> TRADING = Set.of("AddOrder", "CancelOrder", "AmendOrder");

    /** one request as received */
    public record Received(String method, Map<String, String> form, long receivedMillis) {
    }

    /** one resting or finished order; fields read by tests under the venue's monitor */
    public static final class Order {
        public final String txid;
        public final String clOrdId;
        public final String pair;
        public final String symbol;
        public final String side;
        public volatile String price;
        public volatile BigDecimal volume;
        public volatile BigDecimal executed = BigDecimal.ZERO;
        public volatile String status = "open";
        public final String oflags;

        Order(String txid, String clOrdId, String pair, String symbol, String side, String price, BigDecimal volume, String oflags) {
            this.txid = txid;
            this.clOrdId = clOrdId;
            this.pair = pair;
            this.symbol = symbol;
            this.side = side;
            this.price = price;
            this.volume = volume;
            this.oflags = oflags;
        }
    }

    private final Map<String, String> symbolByPair;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer http;
    private final Stream ws;
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final Map<String, double[]> tradingCounters = new HashMap<>();
    private final Map<String, String> balances = new LinkedHashMap<>();
    private final Set<String> tokens = new HashSet<>();
    private final Set<WebSocket> subscribed = new HashSet<>();
    private long lastNonce;
    private long sequence;
    private int delayNext;
    private long delayMillis;
    private int fail5xxNext;
    private int http429Next;
    private int retryAfterSeconds;
    private int rateLimitErrorNext;
    private String nextAddError;
    private int rateLimitErrorsSent;
    private int authFailures;
    private int subscriptions;
    private boolean refuseStream;
    private double tradingMax = 60;
    private double tradingDecayPerSecond = 1;

    /**
     * @param symbolByPair Kraken REST pair names to WS v2 symbols, e.g. {@code XBTUSD -> BTC/USD}
     */
    public FakeKrakenVenue(Map<String, String> symbolByPair) throws IOException, InterruptedException {
        this.symbolByPair = Map.copyOf(symbolByPair);
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.http.setExecutor(Executors.newFixedThreadPool(4));
        this.http.createContext("/0/private/", this::onPrivate);
        this.http.createContext("/0/public/Time", this::onTime);
        this.http.start();
        this.ws = new Stream();
        this.ws.setReuseAddr(true);
        this.ws.start();
        if (!ws.started.await(10, TimeUnit.SECONDS)) {
            throw new IOException("the fake Kraken WebSocket server did not start");
        }
        balances.put("XXBT", "1.5000000000");
        balances.put("ZUSD", "100000.0000");
    }

    public URI restBase() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    public URI streamUri() {
        return URI.create("ws://127.0.0.1:" + ws.getPort() + "/v2");
    }

    // ---- faults ----

    /** the next {@code n} trading requests execute but are answered only after {@code millis} */
    public synchronized void delayNextTrading(int n, long millis) {
        delayNext = n;
        delayMillis = millis;
    }

    /** the next {@code n} trading requests are answered 500 without being executed */
    public synchronized void fail5xxNextTrading(int n) {
        fail5xxNext = n;
    }

    /** the next {@code n} private requests are answered 429 with Retry-After */
    public synchronized void http429Next(int n, int retryAfter) {
        http429Next = n;
        retryAfterSeconds = retryAfter;
    }

    /** the next {@code n} trading requests are answered {@code EOrder:Rate limit exceeded} without being executed */
    public synchronized void rateLimitErrorNextTrading(int n) {
        rateLimitErrorNext = n;
    }

    /** the next AddOrder is refused with this Kraken error string */
    public synchronized void refuseNextAdd(String error) {
        nextAddError = error;
    }

    /** the per-pair trading counter the fake enforces */
    public synchronized void tradingLimit(double max, double decayPerSecond) {
        tradingMax = max;
        tradingDecayPerSecond = decayPerSecond;
    }

    /** while true, new private-stream connections are closed at once */
    public synchronized void refuseStream(boolean refuse) {
        refuseStream = refuse;
    }

    /** closes every private-stream connection */
    public void dropStream() {
        for (WebSocket c : new ArrayList<>(ws.getConnections())) {
            c.close(1001, "dropped by the test");
        }
    }

    /** sends a raw message to every subscribed connection (repeats, reorders) */
    public synchronized void push(String message) {
        for (WebSocket c : subscribed) {
            if (c.isOpen()) {
                c.send(message);
            }
        }
    }

    // ---- orders ----

    /** an open order placed behind the gateway's back (another process, an earlier run) */
    public synchronized String placeDirectly(String clOrdId, String pair, String side, String price, String volume) {
        Order o = new Order(nextTxid(), clOrdId, pair, symbolByPair.get(pair), side, price, new BigDecimal(volume), "");
        orders.put(o.txid, o);
        return o.txid;
    }

    /**
     * Fills {@code quantity} of the open order with this client id at its price (as maker) and
     * returns the execution messages ({@code trade}, then {@code filled} when complete), pushed to
     * the stream only when {@code push}.
     */
    public synchronized List<String> fill(String clOrdId, String quantity, boolean push) {
        Order o = byClientId(clOrdId);
        if (o == null || !o.status.equals("open")) {
            throw new IllegalStateException("no open order " + clOrdId);
        }
        BigDecimal q = new BigDecimal(quantity);
        o.executed = o.executed.add(q);
        boolean complete = o.executed.compareTo(o.volume) >= 0;
        if (complete) {
            o.status = "closed";
        }
        long trade = ++sequence;
        List<String> messages = new ArrayList<>();
        messages.add(execution(o, "trade", complete ? "filled" : "partially_filled",
                ",\"exec_id\":\"T" + trade + "-FAKE\",\"trade_id\":" + trade + ",\"last_qty\":" + q.toPlainString()
                        + ",\"last_price\":" + o.price + ",\"liquidity_ind\":\"m\",\"cum_qty\":" + o.executed.toPlainString()));
        if (complete) {
            messages.add(execution(o, "filled", "filled", ",\"cum_qty\":" + o.executed.toPlainString()));
        }
        if (push) {
            messages.forEach(this::push);
        }
        return messages;
    }

    public synchronized Order order(String clOrdId) {
        return byClientId(clOrdId);
    }

    public synchronized Order orderByTxid(String txid) {
        return orders.get(txid);
    }

    // ---- counters ----

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String method) {
        return received.stream().filter(r -> r.method().equals(method)).toList();
    }

    /** AddOrder requests that carried this client id */
    public long addOrders(String clOrdId) {
        return received.stream().filter(r -> r.method().equals("AddOrder") && clOrdId.equals(r.form().get("cl_ord_id"))).count();
    }

    public synchronized int rateLimitErrorsSent() {
        return rateLimitErrorsSent;
    }

    public synchronized int authFailures() {
        return authFailures;
    }

    public synchronized int subscriptions() {
        return subscriptions;
    }

    @Override
    public void close() {
        ws.closing = true;
        try {
            ws.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        delayed.shutdownNow();
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }

    // ---- HTTP ----

    private void onTime(HttpExchange exchange) throws IOException {
        long now = System.currentTimeMillis();
        respond(exchange, 200, "{\"error\":[],\"result\":{\"unixtime\":" + now / 1000 + ",\"rfc1123\":\"\"}}", null);
    }

    private void onPrivate(HttpExchange exchange) throws IOException {
        long now = System.currentTimeMillis();
        String path = exchange.getRequestURI().getPath();
        String method = path.substring("/0/private/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = parseForm(body);
        received.add(new Received(method, form, now));
        String answer;
        long delay = 0;
        synchronized (this) {
            String authError = authenticate(exchange, path, body, form);
            if (authError != null) {
                authFailures++;
                respond(exchange, 200, error(authError), null);
                return;
            }
            if (http429Next > 0) {
                http429Next--;
                respond(exchange, 429, "{\"error\":[\"EAPI:Rate limit exceeded\"]}", String.valueOf(retryAfterSeconds));
                return;
            }
            boolean trading = TRADING.contains(method);
            if (trading && fail5xxNext > 0) {
                fail5xxNext--;
                respond(exchange, 502, "<html>bad gateway</html>", null);
                return;
            }
            if (trading && rateLimitErrorNext > 0) {
                rateLimitErrorNext--;
                rateLimitErrorsSent++;
                respond(exchange, 200, error("EOrder:Rate limit exceeded"), null);
                return;
            }
            answer = execute(method, form, now);
            if (trading && delayNext > 0) {
                delayNext--;
                delay = delayMillis;
            }
        }
        if (delay > 0) {
            String late = answer;
            delayed.schedule(() -> {
                try {
                    respond(exchange, 200, late, null);
                } catch (IOException e) {
                    // the client gave up waiting: that is the point of the delay
                    exchange.close();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } else {
            respond(exchange, 200, answer, null);
        }
    }

    private String authenticate(HttpExchange exchange, String path, String body, Map<String, String> form) {
        if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
            return "EGeneral:Invalid arguments:User-Agent";
        }
        if (!KEY.equals(exchange.getRequestHeaders().getFirst("API-Key"))) {
            return "EAPI:Invalid key";
        }
        String nonceText = form.get("nonce");
        if (nonceText == null) {
            return "EAPI:Invalid nonce";
        }
        String expected = sign(path, nonceText, body);
        if (!expected.equals(exchange.getRequestHeaders().getFirst("API-Sign"))) {
            return "EAPI:Invalid signature";
        }
        long nonce = Long.parseLong(nonceText);
        if (nonce <= lastNonce) {
            return "EAPI:Invalid nonce";
        }
        lastNonce = nonce;
        return null;
    }

    /** Kraken's API-Sign, written out here independently of the gateway's signer */
    static String sign(String path, String nonce, String body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((nonce + body).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET), "HmacSHA512"));
            mac.update(path.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(hash));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String execute(String method, Map<String, String> form, long now) {
        return switch (method) {
            case "AddOrder" -> addOrder(form, now);
            case "CancelOrder" -> cancelOrder(form, now);
            case "CancelAll" -> {
                int n = 0;
                for (Order o : orders.values()) {
                    if (o.status.equals("open")) {
                        cancel(o);
                        n++;
                    }
                }
                yield ok("{\"count\":" + n + "}");
            }
            case "AmendOrder" -> amendOrder(form, now);
            case "OpenOrders" -> ok("{\"open\":" + listOrders(true, form.get("cl_ord_id")) + "}");
            case "ClosedOrders" -> ok("{\"closed\":" + listOrders(false, form.get("cl_ord_id")) + ",\"count\":0}");
            case "QueryOrders" -> {
                StringBuilder b = new StringBuilder("{");
                for (String txid : form.getOrDefault("txid", "").split(",")) {
                    Order o = orders.get(txid);
                    if (o != null) {
                        b.append(b.length() > 1 ? "," : "").append('"').append(txid).append("\":").append(restOrder(o));
                    }
                }
                yield ok(b.append('}').toString());
            }
            case "BalanceEx" -> {
                StringBuilder b = new StringBuilder("{");
                balances.forEach((asset, amount) -> b.append(b.length() > 1 ? "," : "").append('"').append(asset)
                        .append("\":{\"balance\":\"").append(amount).append("\",\"hold_trade\":\"0.0000\"}"));
                yield ok(b.append('}').toString());
            }
            case "TradeVolume" -> ok("{\"currency\":\"ZUSD\",\"volume\":\"0.0000\",\"fees\":{\"XXBTZUSD\":{\"fee\":\"0.4000\"}},"
                    + "\"fees_maker\":{\"XXBTZUSD\":{\"fee\":\"0.2500\"}}}");
            case "GetWebSocketsToken" -> {
                String token = "tok" + (++sequence);
                tokens.add(token);
                yield ok("{\"token\":\"" + token + "\",\"expires\":900}");
            }
            default -> error("EGeneral:Unknown method");
        };
    }

    private String addOrder(Map<String, String> form, long now) {
        String pair = form.get("pair");
        if (!symbolByPair.containsKey(pair)) {
            return error("EQuery:Unknown asset pair");
        }
        if (nextAddError != null) {
            String e = nextAddError;
            nextAddError = null;
            return error(e);
        }
        if (!spend(pair, 1, now)) {
            return error("EOrder:Rate limit exceeded");
        }
        Order o = new Order(nextTxid(), form.get("cl_ord_id"), pair, symbolByPair.get(pair), form.get("type"), form.get("price"),
                new BigDecimal(form.get("volume")), form.getOrDefault("oflags", ""));
        orders.put(o.txid, o);
        push(execution(o, "pending_new", "pending_new", ""));
        push(execution(o, "new", "new", ""));
        return ok("{\"descr\":{\"order\":\"" + o.side + " " + o.volume + " " + pair + " @ limit " + o.price + "\"},\"txid\":[\"" + o.txid + "\"]}");
    }

    private String cancelOrder(Map<String, String> form, long now) {
        Order o = form.containsKey("txid") ? orders.get(form.get("txid")) : byClientId(form.get("cl_ord_id"));
        if (o == null || !o.status.equals("open")) {
            return error("EOrder:Unknown order");
        }
        if (!spend(o.pair, 8, now)) {
            return error("EOrder:Rate limit exceeded");
        }
        cancel(o);
        return ok("{\"count\":1}");
    }

    private String amendOrder(Map<String, String> form, long now) {
        Order o = form.containsKey("txid") ? orders.get(form.get("txid")) : byClientId(form.get("cl_ord_id"));
        if (o == null || !o.status.equals("open")) {
            return error("EOrder:Unknown order");
        }
        if (!spend(o.pair, 8, now)) {
            return error("EOrder:Rate limit exceeded");
        }
        if (form.containsKey("order_qty")) {
            o.volume = new BigDecimal(form.get("order_qty"));
        }
        if (form.containsKey("limit_price")) {
            o.price = form.get("limit_price");
        }
        push(execution(o, "amended", "new", ""));
        return ok("{\"amend_id\":\"TAMEND-" + (++sequence) + "\"}");
    }

    private void cancel(Order o) {
        o.status = "canceled";
        push(execution(o, "canceled", "canceled", ",\"cum_qty\":" + o.executed.toPlainString()));
    }

    /** Kraken's trading counter: refuses what would take the pair's counter over its maximum */
    private boolean spend(String pair, double cost, long now) {
        double[] counter = tradingCounters.computeIfAbsent(pair, p -> new double[]{0, now});
        counter[0] = Math.max(0, counter[0] - (now - counter[1]) / 1000.0 * tradingDecayPerSecond);
        counter[1] = now;
        if (counter[0] + cost > tradingMax) {
            rateLimitErrorsSent++;
            return false;
        }
        counter[0] += cost;
        return true;
    }

    private String listOrders(boolean open, String clOrdId) {
        StringBuilder b = new StringBuilder("{");
        for (Order o : orders.values()) {
            if (o.status.equals("open") == open && (clOrdId == null || clOrdId.equals(o.clOrdId))) {
                b.append(b.length() > 1 ? "," : "").append('"').append(o.txid).append("\":").append(restOrder(o));
            }
        }
        return b.append('}').toString();
    }

    private static String restOrder(Order o) {
        return "{\"refid\":null,\"userref\":0" + (o.clOrdId != null ? ",\"cl_ord_id\":\"" + o.clOrdId + "\"" : "")
                + ",\"status\":\"" + o.status + "\",\"opentm\":1721900000.1,\"starttm\":0,\"expiretm\":0,\"descr\":{\"pair\":\"" + o.pair
                + "\",\"type\":\"" + o.side + "\",\"ordertype\":\"limit\",\"price\":\"" + o.price + "\",\"price2\":\"0\",\"leverage\":\"none\"}"
                + ",\"vol\":\"" + o.volume.toPlainString() + "\",\"vol_exec\":\"" + o.executed.toPlainString()
                + "\",\"cost\":\"0\",\"fee\":\"0\",\"price\":\"0\",\"oflags\":\"" + o.oflags + "\"}";
    }

    private String execution(Order o, String execType, String status, String extra) {
        return "{\"channel\":\"executions\",\"type\":\"update\",\"data\":[" + executionEntry(o, execType, status, extra) + "]}";
    }

    private static String executionEntry(Order o, String execType, String status, String extra) {
        return "{\"exec_type\":\"" + execType + "\",\"order_id\":\"" + o.txid + "\""
                + (o.clOrdId != null ? ",\"cl_ord_id\":\"" + o.clOrdId + "\"" : "")
                + ",\"symbol\":\"" + o.symbol + "\",\"side\":\"" + o.side + "\",\"order_type\":\"limit\",\"order_qty\":"
                + o.volume.toPlainString() + ",\"limit_price\":" + o.price + ",\"order_status\":\"" + status + "\",\"timestamp\":\""
                + Instant.now() + "\"" + extra + "}";
    }

    private Order byClientId(String clOrdId) {
        Order found = null;
        for (Order o : orders.values()) {
            if (clOrdId != null && clOrdId.equals(o.clOrdId)) {
                found = o;
            }
        }
        return found;
    }

    private String nextTxid() {
        return String.format("O%05d-FAKE-%06d", ++sequence % 100_000, sequence);
    }

    private static String ok(String result) {
        return "{\"error\":[],\"result\":" + result + "}";
    }

    private static String error(String error) {
        return "{\"error\":[\"" + error + "\"]}";
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String part : body.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---- WebSocket ----

    private final class Stream extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        volatile boolean closing;

        Stream() {
            super(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            synchronized (FakeKrakenVenue.this) {
                if (refuseStream) {
                    conn.close(1013, "try again later");
                }
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            synchronized (FakeKrakenVenue.this) {
                subscribed.remove(conn);
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            JsonNode root;
            try {
                root = mapper.readTree(message);
            } catch (IOException e) {
                conn.send("{\"error\":\"bad json\",\"success\":false}");
                return;
            }
            String method = root.path("method").asText();
            synchronized (FakeKrakenVenue.this) {
                if (method.equals("ping")) {
                    conn.send("{\"method\":\"pong\",\"req_id\":" + root.path("req_id").asLong() + "}");
                } else if (method.equals("subscribe")) {
                    JsonNode params = root.path("params");
                    if (!params.path("channel").asText().equals("executions") || !tokens.contains(params.path("token").asText())) {
                        conn.send("{\"method\":\"subscribe\",\"error\":\"EAccount:Invalid token\",\"success\":false}");
                        return;
                    }
                    subscriptions++;
                    conn.send("{\"method\":\"subscribe\",\"result\":{\"channel\":\"executions\",\"snapshot\":true},\"success\":true}");
                    StringBuilder snapshot = new StringBuilder();
                    for (Order o : orders.values()) {
                        if (o.status.equals("open")) {
                            snapshot.append(snapshot.isEmpty() ? "" : ",").append(executionEntry(o, "status",
                                    o.executed.signum() > 0 ? "partially_filled" : "new", ",\"cum_qty\":" + o.executed.toPlainString()));
                        }
                    }
                    conn.send("{\"channel\":\"executions\",\"type\":\"snapshot\",\"data\":[" + snapshot + "]}");
                    subscribed.add(conn);
                }
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null && !closing) {
                started.countDown();
            }
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
