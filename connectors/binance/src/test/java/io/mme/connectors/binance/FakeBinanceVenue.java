package io.mme.connectors.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A Binance spot venue on loopback for tests: REST order entry ({@code /api/v3/order}, cancel-replace,
 * open orders, account, commission, time) on an {@link HttpServer} and the WS API (user data stream
 * {@code userDataStream.subscribe.signature}; order entry {@code order.place}, {@code order.cancel},
 * {@code order.cancelReplace}, {@code order.status}, executed in the same book as their REST twins
 * and recorded with method {@link #WS}) on a {@link WebSocketServer}, both on 127.0.0.1 with
 * ephemeral ports. It checks every private request as Binance does (API key header, HMAC-SHA256 hex or
 * Ed25519 base64 signature over the query string, timestamp within recvWindow of its clock; the WS API
 * signature over the params sorted by name), keeps orders (they rest until the test fills or
 * cancels them), enforces configurable rate limits, injects faults on demand and records every
 * request it received with its receive time.
 *
 * <p>Threads: HTTP handlers run on a cached pool, WebSocket callbacks on the server's threads, and
 * the test calls in from its own; all state is guarded by this object's monitor.
 */
public final class FakeBinanceVenue implements AutoCloseable {
    /** one request as received: path, the client order id it named (or ""), its decoded params, receive time, answer status */
    public record Received(String method, String path, String clientOrderId, Map<String, String> params, long atMillis, int status) {
    }

    /** an order on the fake venue */
    public static final class Order {
        public final String symbol;
        public final long orderId;
        public final String clientOrderId;
        public final String side;
        public final String type;
        public final String timeInForce;
        public final BigDecimal price;
        public final BigDecimal origQty;
        BigDecimal executed = BigDecimal.ZERO;
        BigDecimal cumulativeQuote = BigDecimal.ZERO;
        String status = "NEW";

        Order(String symbol, long orderId, String clientOrderId, String side, String type, String timeInForce, BigDecimal price,
              BigDecimal origQty) {
            this.symbol = symbol;
            this.orderId = orderId;
            this.clientOrderId = clientOrderId;
            this.side = side;
            this.type = type;
            this.timeInForce = timeInForce;
            this.price = price;
            this.origQty = origQty;
        }

        public synchronized BigDecimal executed() {
            return executed;
        }

        public synchronized String status() {
            return status;
        }

        boolean open() {
            return status.equals("NEW") || status.equals("PARTIALLY_FILLED");
        }
    }

    /** a fault on one request kind; {@code delayMillis} -1 = never answered (WS API only) */
    private record Fault(String method, String path, int status, boolean execute, long delayMillis) {
    }

    /**
     * A request that arrived while the venue had told the client to stay away: {@code signedAtMillis} is
     * its {@code timestamp} parameter (when the client signed it, on its reading of this venue's clock;
     * -1 when it had none), {@code arrivedAtMillis} the host clock when it arrived.
     */
    public record BannedRequest(String method, String path, long signedAtMillis, long arrivedAtMillis) {
    }

    /** the {@link Received#method()} of WS API requests, whose {@link Received#path()} is the WS API method */
    public static final String WS = "WS";
    /** the REST route each WS API order method is executed by (the book treats both transports alike) */
    private static final Map<String, String[]> WS_ROUTES = Map.of(
            "order.place", new String[]{"POST", "/api/v3/order"},
            "order.cancel", new String[]{"DELETE", "/api/v3/order"},
            "order.status", new String[]{"GET", "/api/v3/order"},
            "order.cancelReplace", new String[]{"POST", "/api/v3/order/cancelReplace"});

    private final ObjectMapper mapper = new ObjectMapper();
    private final String apiKey;
    private final String hmacSecret;
    private final PublicKey ed25519;
    private final HttpServer http;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Stream ws;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Order> orders = new ArrayList<>();
    private final Map<String, BigDecimal[]> market = new HashMap<>();
    private final Map<String, BigDecimal> balances = new TreeMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Set<WebSocket> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong orderIds = new AtomicLong(5_000_000);
    private final AtomicLong tradeIds = new AtomicLong(700_000);
    private final AtomicLong subscriptions = new AtomicLong();
    private volatile long clockOffsetMillis;
    private volatile boolean streamSuspended;
    private int ordersPer10s = Integer.MAX_VALUE;
    private int weightPerMinute = Integer.MAX_VALUE;
    private long orderWindow = -1;
    private int ordersInWindow;
    private long weightWindow = -1;
    private int weightInWindow;
    private int throttleNextStatus;
    private int throttleRetryAfterSeconds;
    private long bannedUntil;
    private int throttled;
    private int requestsDuringBackOff;
    private final List<BannedRequest> bannedRequests = new ArrayList<>();
    private int maxOrdersIn10s;
    private int ordersElsewhere;

    /** a venue that checks HMAC-SHA256 signatures made with {@code hmacSecret} */
    public FakeBinanceVenue(String apiKey, String hmacSecret) throws Exception {
        this(apiKey, hmacSecret, null);
    }

    /** a venue that checks Ed25519 signatures against {@code ed25519} */
    public FakeBinanceVenue(String apiKey, PublicKey ed25519) throws Exception {
        this(apiKey, null, ed25519);
    }

    private FakeBinanceVenue(String apiKey, String hmacSecret, PublicKey ed25519) throws Exception {
        this.apiKey = apiKey;
        this.hmacSecret = hmacSecret;
        this.ed25519 = ed25519;
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
        ws = new Stream();
        ws.start();
        if (!ws.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("fake Binance WebSocket server did not start");
        }
    }

    public URI restBase() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    public URI userStream() {
        return URI.create("ws://127.0.0.1:" + ws.getPort() + "/ws-api/v3");
    }

    // ------------------------------------------------------------------ test controls

    /** the venue's clock is ahead of the host's by this much */
    public void clockOffsetMillis(long offset) {
        clockOffsetMillis = offset;
    }

    public long now() {
        return System.currentTimeMillis() + clockOffsetMillis;
    }

    /** enforced limits: more than this answers 429 (epoch-aligned windows, as Binance counts) */
    public synchronized void limits(int ordersPer10Seconds, int requestWeightPerMinute) {
        this.ordersPer10s = ordersPer10Seconds;
        this.weightPerMinute = requestWeightPerMinute;
    }

    /** another session of the account keeps this many orders in every 10 s window: the reported order count includes them */
    public synchronized void ordersElsewhere(int n) {
        ordersElsewhere = n;
    }

    /** the best bid and ask on a symbol: a LIMIT_MAKER crossing them is refused */
    public synchronized void touch(String symbol, String bid, String ask) {
        market.put(symbol, new BigDecimal[]{new BigDecimal(bid), new BigDecimal(ask)});
    }

    public synchronized void balance(String asset, String free) {
        balances.put(asset, new BigDecimal(free));
    }

    /** the next {@code n} requests of {@code method path} are executed (when {@code execute}) but answered after {@code delayMillis} */
    public synchronized void delayNext(String method, String path, int n, long delayMillis) {
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(method, path, 0, true, delayMillis));
        }
    }

    /** the next {@code n} WS API requests of {@code wsMethod} (e.g. "order.place") are executed but never answered */
    public synchronized void dropNextAnswers(String wsMethod, int n) {
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(WS, wsMethod, 0, true, -1));
        }
    }

    /** the next {@code n} requests of {@code method path} are answered {@code status} (5xx), executed or not */
    public synchronized void failNext(String method, String path, int n, int status, boolean execute) {
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(method, path, status, execute, 0));
        }
    }

    /**
     * The next signed request is answered 429 or 418 with Retry-After (REST) or {@code error.data.retryAfter}
     * (WS API); until then every request is a violation.
     */
    public synchronized void throttleNext(int status, int retryAfterSeconds) {
        throttleNextStatus = status;
        throttleRetryAfterSeconds = retryAfterSeconds;
    }

    /** closes every stream connection (the client may reconnect at once) */
    public void dropStream() {
        subscribers.clear();
        for (WebSocket c : ws.getConnections()) {
            c.close();
        }
    }

    /** closes every WebSocket connection (user stream and WS API order entry) and refuses new ones until {@link #resumeStream} */
    public void suspendStream() {
        streamSuspended = true;
        for (WebSocket c : ws.getConnections()) {
            c.close();
        }
        subscribers.clear();
    }

    public void resumeStream() {
        streamSuspended = false;
    }

    /** an order placed behind the engine's back (ours by tag but unknown, or foreign) */
    public synchronized Order placeDirect(String symbol, String clientOrderId, String side, String price, String qty) {
        Order o = new Order(symbol, orderIds.incrementAndGet(), clientOrderId, side, "LIMIT", "GTC", new BigDecimal(price), new BigDecimal(qty));
        orders.add(o);
        return o;
    }

    /** fills part of an open order and pushes the execution report; returns the event */
    public String fill(String clientOrderId, String qty) {
        String event = fillQuietly(clientOrderId, qty);
        push(event);
        return event;
    }

    /** fills part of an open order without telling the stream; returns the event the venue would have sent */
    public synchronized String fillQuietly(String clientOrderId, String qty) {
        Order o = latest(clientOrderId);
        if (o == null || !o.open()) {
            throw new IllegalStateException("no open order " + clientOrderId);
        }
        BigDecimal q = new BigDecimal(qty);
        synchronized (o) {
            if (o.executed.add(q).compareTo(o.origQty) > 0) {
                throw new IllegalStateException("fill of " + qty + " exceeds order " + clientOrderId);
            }
            o.executed = o.executed.add(q);
            o.cumulativeQuote = o.cumulativeQuote.add(q.multiply(o.price));
            o.status = o.executed.compareTo(o.origQty) == 0 ? "FILLED" : "PARTIALLY_FILLED";
        }
        String base = o.symbol.substring(0, 3);
        String quote = o.symbol.substring(3);
        BigDecimal sign = o.side.equals("BUY") ? BigDecimal.ONE : BigDecimal.ONE.negate();
        balances.merge(base, q.multiply(sign), BigDecimal::add);
        balances.merge(quote, q.multiply(o.price).multiply(sign).negate(), BigDecimal::add);
        return executionReport(o, "TRADE", "", q, o.price, tradeIds.incrementAndGet());
    }

    /** the venue expires an open order (an IOC's rest, self-trade prevention) and pushes the EXPIRED report */
    public synchronized void expire(String clientOrderId) {
        Order o = latest(clientOrderId);
        if (o == null || !o.open()) {
            throw new IllegalStateException("no open order " + clientOrderId);
        }
        synchronized (o) {
            o.status = "EXPIRED";
        }
        push(executionReport(o, "EXPIRED", "", BigDecimal.ZERO, BigDecimal.ZERO, -1));
    }

    /** sends one text frame as it is (malformed ones included) to every subscribed stream */
    public void pushRaw(String frame) {
        for (WebSocket c : subscribers) {
            if (c.isOpen()) {
                c.send(frame);
            }
        }
    }

    /** sends one event (as returned by {@link #fill}) to every subscribed stream */
    public void push(String event) {
        String frame = "{\"subscriptionId\":0,\"event\":" + event + "}";
        for (WebSocket c : subscribers) {
            if (c.isOpen()) {
                c.send(frame);
            }
        }
    }

    // ------------------------------------------------------------------ observations

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public long count(String method, String path, String clientOrderId) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().equals(path) && r.clientOrderId().equals(clientOrderId)).count();
    }

    public synchronized Order order(String clientOrderId) {
        return latest(clientOrderId);
    }

    public synchronized List<Order> openOrders() {
        return orders.stream().filter(Order::open).toList();
    }

    /** until when (epoch ms, host clock) the client was told to stay away */
    public synchronized long bannedUntil() {
        return bannedUntil;
    }

    /** 429 / 418 answers given because a limit was exceeded or a throttle was injected */
    public synchronized int throttled() {
        return throttled;
    }

    /** requests that arrived while the venue had told the client to stay away */
    public synchronized int requestsDuringBackOff() {
        return requestsDuringBackOff;
    }

    /** the requests that arrived while the venue had told the client to stay away, in arrival order */
    public synchronized List<BannedRequest> bannedRequests() {
        return List.copyOf(bannedRequests);
    }

    /**
     * Of the requests that arrived while the venue had told the client to stay away, those the client
     * signed after {@code venueMillis} (its reading of this venue's clock; an unsigned request counts).
     * A request already on its way when the client learnt of the back-off is no fault of the client's:
     * a test that knows when the client learnt it counts only what was started afterwards.
     */
    public synchronized List<BannedRequest> bannedRequestsSignedAfter(long venueMillis) {
        return bannedRequests.stream().filter(r -> r.signedAtMillis() < 0 || r.signedAtMillis() > venueMillis).toList();
    }

    /** the largest number of orders seen in one 10 s window */
    public synchronized int maxOrdersIn10s() {
        return maxOrdersIn10s;
    }

    /** successful user data subscriptions so far */
    public long subscriptions() {
        return subscriptions.get();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) throws IOException {
        long at = System.currentTimeMillis();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String rawQuery = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
        Map<String, String> params = parse(rawQuery);
        String clientId = params.getOrDefault("newClientOrderId", params.getOrDefault("origClientOrderId",
                params.getOrDefault("cancelOrigClientOrderId", "")));
        int[] status = {200};
        long[] delay = {0};
        String body;
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            String key = ex.getRequestHeaders().getFirst("X-MBX-APIKEY");
            body = answer(method, path, method, path, params, st -> authenticate(rawQuery, params, key, st), status, delay, headers);
        } catch (RuntimeException e) {
            status[0] = 400;
            body = error(-1100, "fake venue could not process: " + e);
        }
        received.add(new Received(method, path, clientId, Map.copyOf(params), at, status[0]));
        if (delay[0] > 0) {
            try {
                Thread.sleep(delay[0]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.getResponseHeaders().add("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(status[0], bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            ex.close(); // the client gave up waiting: the delayed answer has nobody to go to
        }
    }

    /**
     * Answers one request whichever transport it came by: {@code method path} route it in the book,
     * {@code faultMethod faultPath} ("WS", "order.place" for the WS API) select the injected faults.
     */
    private synchronized String answer(String method, String path, String faultMethod, String faultPath, Map<String, String> params,
                                       Function<int[], String> auth, int[] status, long[] delay, Map<String, String> headers) {
        if (path.equals("/api/v3/time")) {
            return "{\"serverTime\":" + now() + "}";
        }
        long wall = System.currentTimeMillis();
        if (wall < bannedUntil) {
            requestsDuringBackOff++;
            long signedAt = -1;
            try {
                signedAt = Long.parseLong(params.getOrDefault("timestamp", "-1"));
            } catch (NumberFormatException ignored) {
                // unsigned or unreadable: counted as sent during the back-off
            }
            bannedRequests.add(new BannedRequest(faultMethod, faultPath, signedAt, wall));
            status[0] = 418;
            headers.put("Retry-After", Long.toString((bannedUntil - wall + 999) / 1000));
            return error(-1003, "Way too many requests; IP banned until " + bannedUntil + ".");
        }
        if (throttleNextStatus != 0) {
            status[0] = throttleNextStatus;
            throttleNextStatus = 0;
            throttled++;
            bannedUntil = wall + throttleRetryAfterSeconds * 1000L;
            headers.put("Retry-After", Integer.toString(throttleRetryAfterSeconds));
            return error(-1003, "Too many requests; current limit is exceeded.");
        }
        String authError = auth.apply(status);
        if (authError != null) {
            return authError;
        }
        boolean isOrder = method.equals("POST") && (path.equals("/api/v3/order") || path.equals("/api/v3/order/cancelReplace"));
        int weight = switch (path) {
            case "/api/v3/openOrders" -> method.equals("GET") ? 6 : 1;
            case "/api/v3/account", "/api/v3/account/commission" -> 20;
            default -> method.equals("GET") ? 4 : 1;
        };
        if (!count(wall, weight, isOrder)) {
            throttled++;
            status[0] = 429;
            bannedUntil = wall + 1000;
            headers.put("Retry-After", "1");
            return error(-1003, "Too many requests; current limit is exceeded.");
        }
        headers.put("X-MBX-USED-WEIGHT-1M", Integer.toString(weightInWindow));
        if (isOrder) {
            headers.put("X-MBX-ORDER-COUNT-10S", Integer.toString(ordersInWindow + ordersElsewhere));
        }
        Fault fault = takeFault(faultMethod, faultPath);
        if (fault != null && !fault.execute()) {
            status[0] = fault.status();
            return error(-1000, "An unknown error occured while processing the request.");
        }
        String body = route(method, path, params, status);
        if (fault != null) {
            delay[0] = fault.delayMillis();
            if (fault.status() != 0) {
                status[0] = fault.status();
                return error(-1000, "An unknown error occured while processing the request.");
            }
        }
        return body;
    }

    private boolean count(long wall, int weight, boolean isOrder) {
        long w = wall - Math.floorMod(wall, 60_000L);
        if (w != weightWindow) {
            weightWindow = w;
            weightInWindow = 0;
        }
        long o = wall - Math.floorMod(wall, 10_000L);
        if (o != orderWindow) {
            orderWindow = o;
            ordersInWindow = 0;
        }
        if (weightInWindow + weight > weightPerMinute || (isOrder && ordersInWindow + 1 > ordersPer10s)) {
            return false;
        }
        weightInWindow += weight;
        if (isOrder) {
            ordersInWindow++;
            maxOrdersIn10s = Math.max(maxOrdersIn10s, ordersInWindow);
        }
        return true;
    }

    private Fault takeFault(String method, String path) {
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (f.method().equals(method) && f.path().equals(path)) {
                faults.remove(i);
                return f;
            }
        }
        return null;
    }

    private String authenticate(String rawQuery, Map<String, String> params, String key, int[] status) {
        if (key == null || !key.equals(apiKey)) {
            status[0] = 401;
            return error(-2015, "Invalid API-key, IP, or permissions for action.");
        }
        int at = rawQuery.lastIndexOf("&signature=");
        if (at < 0 || !rawQuery.substring(at + 1).startsWith("signature=") || rawQuery.indexOf('&', at + 1) >= 0) {
            status[0] = 400;
            return error(-1022, "Signature for this request is not valid.");
        }
        String payload = rawQuery.substring(0, at);
        String signature = URLDecoder.decode(rawQuery.substring(at + "&signature=".length()), StandardCharsets.UTF_8);
        if (!verify(payload, signature)) {
            status[0] = 400;
            return error(-1022, "Signature for this request is not valid.");
        }
        return timestampError(params, status);
    }

    private String timestampError(Map<String, String> params, int[] status) {
        long ts = Long.parseLong(params.getOrDefault("timestamp", "0"));
        long window = Long.parseLong(params.getOrDefault("recvWindow", "5000"));
        long now = now();
        if (ts >= now + 1000 || now - ts > window) {
            status[0] = 400;
            return error(-1021, "Timestamp for this request is outside of the recvWindow.");
        }
        return null;
    }

    private static Map<String, String> textParams(JsonNode params) {
        Map<String, String> p = new TreeMap<>();
        params.properties().forEach(e -> p.put(e.getKey(), e.getValue().asText()));
        return p;
    }

    /**
     * The WS API's check (VENUES.md §1.4): the API key, the signature over every param but
     * {@code signature} sorted by name and joined as {@code k=v&k=v}, the timestamp within recvWindow.
     */
    private String wsAuthenticate(Map<String, String> p, int[] status) {
        if (!apiKey.equals(p.get("apiKey"))) {
            status[0] = 401;
            return error(-2015, "Invalid API-key, IP, or permissions for action.");
        }
        StringBuilder sorted = new StringBuilder();
        new TreeMap<>(p).forEach((k, v) -> {
            if (!k.equals("signature")) {
                sorted.append(sorted.isEmpty() ? "" : "&").append(k).append('=').append(v);
            }
        });
        if (!verify(sorted.toString(), p.getOrDefault("signature", ""))) {
            status[0] = 400;
            return error(-1022, "Signature for this request is not valid.");
        }
        return timestampError(p, status);
    }

    boolean verify(String payload, String signature) {
        try {
            if (ed25519 != null) {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(ed25519);
                s.update(payload.getBytes(StandardCharsets.UTF_8));
                return s.verify(Base64.getDecoder().decode(signature));
            }
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8))).equals(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private String route(String method, String path, Map<String, String> p, int[] status) {
        switch (method + " " + path) {
            case "POST /api/v3/order" -> {
                return newOrder(p, status);
            }
            case "DELETE /api/v3/order" -> {
                Order o = find(p);
                if (o == null || !o.open()) {
                    status[0] = 400;
                    return error(-2011, "Unknown order sent.");
                }
                return cancel(o).toString();
            }
            case "GET /api/v3/order" -> {
                Order o = find(p);
                if (o == null) {
                    status[0] = 400;
                    return error(-2013, "Order does not exist.");
                }
                return orderJson(o).toString();
            }
            case "POST /api/v3/order/cancelReplace" -> {
                return cancelReplace(p, status);
            }
            case "GET /api/v3/openOrders" -> {
                ArrayNode a = mapper.createArrayNode();
                orders.stream().filter(o -> o.open() && o.symbol.equals(p.get("symbol"))).forEach(o -> a.add(orderJson(o)));
                return a.toString();
            }
            case "DELETE /api/v3/openOrders" -> {
                ArrayNode a = mapper.createArrayNode();
                for (Order o : List.copyOf(orders)) {
                    if (o.open() && o.symbol.equals(p.get("symbol"))) {
                        a.add(cancel(o));
                    }
                }
                if (a.isEmpty()) {
                    status[0] = 400;
                    return error(-2011, "Unknown order sent.");
                }
                return a.toString();
            }
            case "GET /api/v3/account" -> {
                ObjectNode n = mapper.createObjectNode();
                ArrayNode b = n.putArray("balances");
                balances.forEach((asset, free) -> b.addObject().put("asset", asset).put("free", scaled(free)).put("locked", "0.00000000"));
                return n.toString();
            }
            case "GET /api/v3/account/commission" -> {
                ObjectNode n = mapper.createObjectNode().put("symbol", p.get("symbol"));
                n.putObject("standardCommission").put("maker", "0.00100000").put("taker", "0.00100000").put("buyer", "0").put("seller", "0");
                n.putObject("taxCommission").put("maker", "0.00000000").put("taker", "0.00000000").put("buyer", "0").put("seller", "0");
                n.putObject("specialCommission").put("maker", "0.00000000").put("taker", "0.00050000").put("buyer", "0").put("seller", "0");
                return n.toString();
            }
            default -> {
                status[0] = 404;
                return error(-1000, "no such endpoint " + method + " " + path);
            }
        }
    }

    private String newOrder(Map<String, String> p, int[] status) {
        String refusal = refusal(p);
        if (refusal != null) {
            status[0] = 400;
            return refusal;
        }
        Order o = create(p, p.get("newClientOrderId"));
        return ack(o).toString();
    }

    /** why a new order would be refused, as the venue's error body; null when it is fine */
    private String refusal(Map<String, String> p) {
        String type = p.get("type");
        if (type.equals("LIMIT_MAKER") && p.containsKey("timeInForce")) {
            return error(-1106, "Parameter 'timeInForce' sent when not required.");
        }
        if (type.equals("LIMIT") && !p.containsKey("timeInForce")) {
            return error(-1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
        }
        String clientId = p.get("newClientOrderId");
        if (clientId != null && orders.stream().anyMatch(o -> o.open() && o.clientOrderId.equals(clientId))) {
            return error(-2010, "Duplicate order sent.");
        }
        BigDecimal[] touch = market.get(p.get("symbol"));
        if (type.equals("LIMIT_MAKER") && touch != null) {
            BigDecimal price = new BigDecimal(p.get("price"));
            boolean takes = p.get("side").equals("BUY") ? price.compareTo(touch[1]) >= 0 : price.compareTo(touch[0]) <= 0;
            if (takes) {
                return error(-2010, "Order would immediately match and take.");
            }
        }
        return null;
    }

    private Order create(Map<String, String> p, String clientId) {
        Order o = new Order(p.get("symbol"), orderIds.incrementAndGet(), clientId == null ? "web_" + orderIds.get() : clientId, p.get("side"),
                p.get("type"), p.getOrDefault("timeInForce", "GTC"), new BigDecimal(p.getOrDefault("price", "0")), new BigDecimal(p.get("quantity")));
        orders.add(o);
        push(executionReport(o, "NEW", "", BigDecimal.ZERO, BigDecimal.ZERO, -1));
        return o;
    }

    private ObjectNode ack(Order o) {
        return mapper.createObjectNode().put("symbol", o.symbol).put("orderId", o.orderId).put("orderListId", -1)
                .put("clientOrderId", o.clientOrderId).put("transactTime", now());
    }

    private ObjectNode cancel(Order o) {
        synchronized (o) {
            o.status = "CANCELED";
        }
        String cancelId = "cancel" + orderIds.incrementAndGet();
        push(executionReport(o, "CANCELED", o.clientOrderId, BigDecimal.ZERO, BigDecimal.ZERO, -1).replace(
                "\"c\":\"" + o.clientOrderId + "\"", "\"c\":\"" + cancelId + "\""));
        ObjectNode n = orderJson(o);
        n.put("origClientOrderId", o.clientOrderId).put("clientOrderId", cancelId).put("transactTime", now());
        return n;
    }

    private String cancelReplace(Map<String, String> p, int[] status) {
        Map<String, String> cancelParams = new HashMap<>();
        if (p.containsKey("cancelOrderId")) {
            cancelParams.put("orderId", p.get("cancelOrderId"));
        }
        if (p.containsKey("cancelOrigClientOrderId")) {
            cancelParams.put("origClientOrderId", p.get("cancelOrigClientOrderId"));
        }
        cancelParams.put("symbol", p.get("symbol"));
        Order old = find(cancelParams);
        ObjectNode body = mapper.createObjectNode();
        if (old == null || !old.open()) {
            status[0] = 400;
            body.put("code", -2022).put("msg", "Order cancel-replace failed.");
            ObjectNode data = body.putObject("data").put("cancelResult", "FAILURE").put("newOrderResult", "NOT_ATTEMPTED");
            data.putObject("cancelResponse").put("code", -2011).put("msg", "Unknown order sent.");
            data.putNull("newOrderResponse");
            return body.toString();
        }
        ObjectNode cancelled = cancel(old);
        String refusal = refusal(p);
        if (refusal != null) {
            status[0] = 409;
            body.put("code", -2021).put("msg", "Order cancel-replace partially failed.");
            ObjectNode data = body.putObject("data").put("cancelResult", "SUCCESS").put("newOrderResult", "FAILURE");
            data.set("cancelResponse", cancelled);
            try {
                data.set("newOrderResponse", mapper.readTree(refusal));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return body.toString();
        }
        Order replacement = create(p, p.get("newClientOrderId"));
        body.put("cancelResult", "SUCCESS").put("newOrderResult", "SUCCESS");
        body.set("cancelResponse", cancelled);
        body.set("newOrderResponse", ack(replacement));
        return body.toString();
    }

    private Order find(Map<String, String> p) {
        if (p.containsKey("orderId")) {
            long id = Long.parseLong(p.get("orderId"));
            return orders.stream().filter(o -> o.orderId == id && o.symbol.equals(p.get("symbol"))).findFirst().orElse(null);
        }
        return latest(p.get("origClientOrderId"));
    }

    private Order latest(String clientOrderId) {
        Order found = null;
        for (Order o : orders) {
            if (o.clientOrderId.equals(clientOrderId)) {
                found = o;
            }
        }
        return found;
    }

    private ObjectNode orderJson(Order o) {
        synchronized (o) {
            return mapper.createObjectNode().put("symbol", o.symbol).put("orderId", o.orderId).put("orderListId", -1)
                    .put("clientOrderId", o.clientOrderId).put("price", scaled(o.price)).put("origQty", scaled(o.origQty))
                    .put("executedQty", scaled(o.executed)).put("cummulativeQuoteQty", scaled(o.cumulativeQuote)).put("status", o.status)
                    .put("timeInForce", o.timeInForce).put("type", o.type).put("side", o.side).put("time", now()).put("updateTime", now())
                    .put("isWorking", true);
        }
    }

    private String executionReport(Order o, String x, String originalClientId, BigDecimal lastQty, BigDecimal lastPrice, long tradeId) {
        synchronized (o) {
            return mapper.createObjectNode().put("e", "executionReport").put("E", now()).put("s", o.symbol).put("c", o.clientOrderId)
                    .put("S", o.side).put("o", o.type).put("f", o.timeInForce).put("q", scaled(o.origQty)).put("p", scaled(o.price))
                    .put("P", "0.00000000").put("F", "0.00000000").put("g", -1).put("C", originalClientId).put("x", x).put("X", o.status)
                    .put("r", "NONE").put("i", o.orderId).put("l", scaled(lastQty)).put("z", scaled(o.executed)).put("L", scaled(lastPrice))
                    .put("n", "0.00000000").putNull("N").put("T", now()).put("t", tradeId).put("I", tradeId).put("w", o.open())
                    .put("m", tradeId > 0).put("M", false).put("O", now()).put("Z", scaled(o.cumulativeQuote)).put("Y", "0.00000000")
                    .put("Q", "0.00000000").put("W", now()).put("V", "NONE").toString();
        }
    }

    private static String scaled(BigDecimal v) {
        return v.setScale(8, RoundingMode.UNNECESSARY).toPlainString();
    }

    private String error(int code, String msg) {
        return mapper.createObjectNode().put("code", code).put("msg", msg).toString();
    }

    private static Map<String, String> parse(String rawQuery) {
        Map<String, String> m = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return m;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    // ------------------------------------------------------------------ WebSocket API

    private final class Stream extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        Stream() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        /** while suspended the upgrade itself is refused, so a client never sees the connection open */
        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
                throws InvalidDataException {
            if (streamSuspended) {
                throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "the fake venue's WebSocket endpoint is suspended");
            }
            return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            if (streamSuspended) {
                conn.close();
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            subscribers.remove(conn);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            try {
                JsonNode req = mapper.readTree(message);
                String id = req.path("id").asText();
                JsonNode params = req.path("params");
                String wsMethod = req.path("method").asText();
                if (WS_ROUTES.containsKey(wsMethod)) {
                    orderRequest(conn, id, wsMethod, params);
                    return;
                }
                if (!wsMethod.equals("userDataStream.subscribe.signature")) {
                    conn.send(wsError(id, 400, -1100, "unsupported method on the fake"));
                    return;
                }
                Map<String, String> p = textParams(params);
                int[] status = {200};
                String authError = wsAuthenticate(p, status);
                if (authError != null) {
                    JsonNode e = mapper.readTree(authError);
                    conn.send(wsError(id, status[0], e.path("code").asInt(), e.path("msg").asText()));
                    return;
                }
                if (streamSuspended) {
                    conn.close();
                    return;
                }
                subscribers.add(conn);
                subscriptions.incrementAndGet();
                conn.send("{\"id\":\"" + id + "\",\"status\":200,\"result\":{\"subscriptionId\":0}}");
            } catch (IOException | RuntimeException e) {
                conn.send(wsError("", 400, -1100, "fake could not parse: " + e.getMessage()));
            }
        }

        /** one WS API order request: checked, executed in the book as its REST twin would be, answered in the WS API format */
        private void orderRequest(WebSocket conn, String id, String wsMethod, JsonNode params) {
            long at = System.currentTimeMillis();
            Map<String, String> p = textParams(params);
            String clientId = p.getOrDefault("newClientOrderId", p.getOrDefault("origClientOrderId", p.getOrDefault("cancelOrigClientOrderId", "")));
            String[] route = WS_ROUTES.get(wsMethod);
            int[] status = {200};
            long[] delay = {0};
            Map<String, String> headers = new LinkedHashMap<>();
            String body;
            try {
                body = answer(route[0], route[1], WS, wsMethod, p, st -> wsAuthenticate(p, st), status, delay, headers);
            } catch (RuntimeException e) {
                status[0] = 400;
                body = error(-1100, "fake venue could not process: " + e);
            }
            received.add(new Received(WS, wsMethod, clientId, Map.copyOf(p), at, status[0]));
            String frame = wsAnswer(id, status[0], body, headers);
            if (delay[0] < 0) {
                return;
            }
            if (delay[0] == 0) {
                conn.send(frame);
                return;
            }
            pool.execute(() -> {
                try {
                    Thread.sleep(delay[0]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (conn.isOpen()) {
                    conn.send(frame);
                }
            });
        }

        /** {@code {"id","status","result","rateLimits"}} or {@code {"id","status","error":{"code","msg","data"},"rateLimits"}} */
        private String wsAnswer(String id, int status, String body, Map<String, String> headers) {
            ObjectNode n = mapper.createObjectNode().put("id", id).put("status", status);
            JsonNode parsed;
            try {
                parsed = mapper.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (status == 200) {
                n.set("result", parsed);
            } else {
                ObjectNode error = n.putObject("error");
                error.put("code", parsed.path("code").asInt()).put("msg", parsed.path("msg").asText());
                if (parsed.has("data")) {
                    error.set("data", parsed.get("data"));
                } else if (status == 429 || status == 418) {
                    error.putObject("data").put("serverTime", now()).put("retryAfter", bannedUntil());
                }
            }
            int weightLimit;
            int orderLimit;
            synchronized (FakeBinanceVenue.this) {
                weightLimit = weightPerMinute;
                orderLimit = ordersPer10s;
            }
            ArrayNode limits = n.putArray("rateLimits");
            if (headers.containsKey("X-MBX-USED-WEIGHT-1M")) {
                limits.addObject().put("rateLimitType", "REQUEST_WEIGHT").put("interval", "MINUTE").put("intervalNum", 1)
                        .put("limit", weightLimit).put("count", Integer.parseInt(headers.get("X-MBX-USED-WEIGHT-1M")));
            }
            if (headers.containsKey("X-MBX-ORDER-COUNT-10S")) {
                limits.addObject().put("rateLimitType", "ORDERS").put("interval", "SECOND").put("intervalNum", 10)
                        .put("limit", orderLimit).put("count", Integer.parseInt(headers.get("X-MBX-ORDER-COUNT-10S")));
            }
            return n.toString();
        }

        private String wsError(String id, int status, int code, String msg) {
            ObjectNode n = mapper.createObjectNode().put("id", id).put("status", status);
            n.putObject("error").put("code", code).put("msg", msg);
            return n.toString();
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            // a test closing connections abruptly is expected
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        try {
            ws.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
