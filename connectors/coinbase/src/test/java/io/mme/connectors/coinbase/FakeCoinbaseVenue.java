package io.mme.connectors.coinbase;

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
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Coinbase Advanced Trade stand-in on loopback (HTTP and WebSocket on ephemeral ports of
 * 127.0.0.1) for gateway tests here and in other modules (published in the test-jar).
 *
 * <p>It checks every private request's JWT as Coinbase does (ES256 signature with the key's public
 * half, alg, kid, iss, the nbf/exp window on its own clock, and that {@code uri} is exactly the
 * request's method, host and path) and answers 401 otherwise; keeps orders (they rest until the
 * test fills them with {@link #fill}); pushes the {@code user} channel's cumulative order states;
 * enforces 30 private requests per second (fixed one-second windows) with 429; and injects faults
 * on demand: slow or failed creates (executed all the same), failed cancels, 429 with Retry-After,
 * stream drops, repeated and stale order states, orders the engine never placed. It records every
 * request with its receive time.
 *
 * <p>Threads: HTTP requests on the server's pool, WebSocket events on the server's threads, test
 * calls on the test thread; all state is guarded by the instance's lock.
 */
public final class FakeCoinbaseVenue implements AutoCloseable {
    public static final String KEY_NAME = "organizations/0f1e2d3c/apiKeys/9a8b7c6d";
    public static final String BASE_PATH = "/api/v3/brokerage";
    public static final int PRIVATE_LIMIT_PER_SECOND = 30;
    private static final String RECEIVED = "fake.received";

    /** one request as received */
    public record Received(String method, String path, String query, String body, String clientOrderId, long receivedMillis, int status) {
    }

    /** one order on the fake venue */
    public static final class FakeOrder {
        public final String orderId;
        public final String clientOrderId;
        public final String product;
        public final String side;
        public final String configuration;
        public final boolean postOnly;
        public final long createdMillis;
        BigDecimal size;
        BigDecimal limitPrice;
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal filledValue = BigDecimal.ZERO;
        int fills;
        String status = "OPEN";

        FakeOrder(String orderId, String clientOrderId, String product, String side, String configuration, boolean postOnly,
                  BigDecimal size, BigDecimal limitPrice) {
            this.orderId = orderId;
            this.clientOrderId = clientOrderId;
            this.product = product;
            this.side = side;
            this.configuration = configuration;
            this.postOnly = postOnly;
            this.size = size;
            this.limitPrice = limitPrice;
            this.createdMillis = System.currentTimeMillis();
        }

        public synchronized String status() {
            return status;
        }

        public synchronized BigDecimal filled() {
            return filled;
        }

        public synchronized BigDecimal size() {
            return size;
        }

        public synchronized BigDecimal limitPrice() {
            return limitPrice;
        }

        boolean open() {
            return status.equals("OPEN");
        }
    }

    private final String keyName;
    private final PublicKey publicKey;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer http;
    private final ExecutorService httpPool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-coinbase-http");
        t.setDaemon(true);
        return t;
    });
    private final UserServer ws;
    private final Map<String, FakeOrder> byClientId = new LinkedHashMap<>();
    private final Map<String, FakeOrder> byOrderId = new LinkedHashMap<>();
    private final Map<String, BigDecimal[]> balances = new LinkedHashMap<>();
    private final Map<String, BigDecimal[]> markets = new LinkedHashMap<>();
    /** every request, recorded on arrival (before anything it causes); its status is filled in when answered */
    private final List<Arrival> received = new CopyOnWriteArrayList<>();
    private final List<String> authFailures = new CopyOnWriteArrayList<>();
    private final List<String> streamMessages = new CopyOnWriteArrayList<>();
    private long clockOffsetMillis;
    /** the venue's time (epoch ms) before the offset: the system clock, or the test's virtual one */
    private volatile LongSupplier clock = System::currentTimeMillis;
    private long windowStart;
    private int windowCount;
    private int maxWindowCount;
    private int unsolicited429;
    private int injected429;
    private String retryAfter;
    private int delayCreates;
    private long delayMillis;
    private int failCreates;
    private int failCreateStatus;
    private boolean failCreateExecutes;
    private int failCancels;
    private int failCancelStatus;
    private String rejectNextCreate;
    private boolean refuseStream;
    private int pageSize = 2;

    public FakeCoinbaseVenue(PublicKey publicKey) throws IOException, InterruptedException {
        this(KEY_NAME, publicKey);
    }

    public FakeCoinbaseVenue(String keyName, PublicKey publicKey) throws IOException, InterruptedException {
        this.keyName = keyName;
        this.publicKey = publicKey;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        this.http.setExecutor(httpPool);
        this.http.createContext(BASE_PATH, this::handle);
        this.http.start();
        this.ws = new UserServer();
        this.ws.setReuseAddr(true);
        this.ws.start();
        if (!ws.started.await(10, TimeUnit.SECONDS)) {
            throw new IOException("the fake user-channel server did not start");
        }
        balances.put("BTC", new BigDecimal[]{new BigDecimal("10"), BigDecimal.ZERO});
        balances.put("USD", new BigDecimal[]{new BigDecimal("1000000"), BigDecimal.ZERO});
    }

    // ------------------------------------------------------------ keys

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** the key as Coinbase hands it out: SEC1 PEM ({@code BEGIN EC PRIVATE KEY}), cut from the JDK's PKCS#8 */
    public static String sec1Pem(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING (the SEC1 ECPrivateKey) }
        int[] p = {0};
        readHeader(pkcs8, p, 0x30);
        int versionLength = readHeader(pkcs8, p, 0x02);
        p[0] += versionLength;
        int algorithmLength = readHeader(pkcs8, p, 0x30);
        p[0] += algorithmLength;
        int sec1Length = readHeader(pkcs8, p, 0x04);
        byte[] sec1 = Arrays.copyOfRange(pkcs8, p[0], p[0] + sec1Length);
        return pem("EC PRIVATE KEY", sec1);
    }

    public static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static int readHeader(byte[] der, int[] p, int tag) {
        if ((der[p[0]++] & 0xFF) != tag) {
            throw new IllegalArgumentException("unexpected DER tag at " + (p[0] - 1));
        }
        int first = der[p[0]++] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7F); i++) {
            length = (length << 8) | (der[p[0]++] & 0xFF);
        }
        return length;
    }

    // ------------------------------------------------------------ endpoints and set-up

    public URI restBase() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + BASE_PATH);
    }

    public URI userStream() {
        return URI.create("ws://127.0.0.1:" + ws.getPort());
    }

    /**
     * Runs the venue on the test's clock (epoch ms): request arrival times, the rate limit's windows,
     * the JWT's nbf/exp and {@code /time}. A gateway on the same clock then waits for nothing real.
     */
    public void clock(LongSupplier clock) {
        this.clock = clock;
    }

    /** the fake's clock runs this far ahead of the host's */
    public synchronized void clockOffsetMillis(long offset) {
        this.clockOffsetMillis = offset;
    }

    /** best bid and ask of a product: post-only orders that would cross them are refused */
    public synchronized void market(String product, String bid, String ask) {
        markets.put(product, new BigDecimal[]{new BigDecimal(bid), new BigDecimal(ask)});
    }

    public synchronized void balance(String currency, String available, String hold) {
        balances.put(currency, new BigDecimal[]{new BigDecimal(available), new BigDecimal(hold)});
    }

    /** orders per page of /orders/historical/batch (small, so that the cursor is exercised) */
    public synchronized void pageSize(int size) {
        this.pageSize = size;
    }

    // ------------------------------------------------------------ faults

    /** the next {@code n} creates are executed but answered only after {@code millis} */
    public synchronized void delayNextCreates(int n, long millis) {
        this.delayCreates = n;
        this.delayMillis = millis;
    }

    /** the next {@code n} creates answer {@code status}; executed first when {@code execute} */
    public synchronized void failNextCreates(int n, int status, boolean execute) {
        this.failCreates = n;
        this.failCreateStatus = status;
        this.failCreateExecutes = execute;
    }

    /** the next {@code n} batch cancels answer {@code status} without cancelling anything */
    public synchronized void failNextCancels(int n, int status) {
        this.failCancels = n;
        this.failCancelStatus = status;
    }

    /** the next {@code n} private requests answer 429, with Retry-After seconds when not null */
    public synchronized void tooManyRequestsNext(int n, String retryAfterSeconds) {
        this.injected429 = n;
        this.retryAfter = retryAfterSeconds;
    }

    /** the next create is refused with HTTP 200, success=false and this new_order_failure_reason */
    public synchronized void rejectNextCreate(String reason) {
        this.rejectNextCreate = reason;
    }

    /** closes every user-channel connection; with {@code refuse}, new ones are closed at once until {@link #acceptStream} */
    public void dropStream(boolean refuse) {
        synchronized (this) {
            this.refuseStream = refuse;
        }
        for (WebSocket c : ws.getConnections()) {
            c.close(1001, "dropped by the test");
        }
    }

    public synchronized void acceptStream() {
        this.refuseStream = false;
    }

    public boolean streamSubscribed() {
        for (WebSocket c : ws.getConnections()) {
            Connection state = c.getAttachment();
            if (state != null && state.subscribed) {
                return true;
            }
        }
        return false;
    }

    /** repeats the order's current state on the user channel */
    public void pushAgain(String clientOrderId) {
        ObjectNode state;
        synchronized (this) {
            state = streamOrder(byClientId.get(clientOrderId));
        }
        push(state);
    }

    /** pushes an order state as it was at an earlier cumulative quantity (a late message) */
    public void pushStale(String clientOrderId, String cumulative) {
        ObjectNode state;
        synchronized (this) {
            FakeOrder o = byClientId.get(clientOrderId);
            synchronized (o) {
                state = streamOrder(o);
                BigDecimal cum = new BigDecimal(cumulative);
                state.put("status", "OPEN");
                state.put("cumulative_quantity", cum.toPlainString());
                state.put("leaves_quantity", o.size.subtract(cum).toPlainString());
                state.put("filled_value", cum.multiply(o.limitPrice).toPlainString());
            }
        }
        push(state);
    }

    /** sends this text as it is to every subscribed user-channel connection (malformed messages) */
    public void pushRaw(String text) {
        for (WebSocket c : ws.getConnections()) {
            Connection state = c.getAttachment();
            if (state != null && state.subscribed && c.isOpen()) {
                c.send(text);
            }
        }
    }

    /** the next user-channel message of each connection skips a sequence number, as if one had been lost */
    public void loseNextMessage() {
        for (WebSocket c : ws.getConnections()) {
            Connection state = c.getAttachment();
            if (state != null) {
                synchronized (state) {
                    state.sequence++;
                }
            }
        }
    }

    /**
     * Puts an order on the venue that the gateway never sent (a previous run's, or someone else's).
     *
     * @return the venue order id
     */
    public synchronized String holdOrder(String clientOrderId, String product, String side, String size, String price) {
        FakeOrder o = new FakeOrder(UUID.randomUUID().toString(), clientOrderId, product, side, "limit_limit_gtc", true,
                new BigDecimal(size), new BigDecimal(price));
        byClientId.put(clientOrderId, o);
        byOrderId.put(o.orderId, o);
        return o.orderId;
    }

    /**
     * Fills {@code quantity} of the order at its limit price and pushes its new state on the user
     * channel (to no one while the stream is down).
     */
    public void fill(String clientOrderId, String quantity) {
        fill(clientOrderId, quantity, null);
    }

    /** fills at {@code price} (null: the order's limit), as a taker's better price would */
    public void fill(String clientOrderId, String quantity, String price) {
        ObjectNode state;
        synchronized (this) {
            FakeOrder o = byClientId.get(clientOrderId);
            if (o == null) {
                throw new IllegalArgumentException("no order " + clientOrderId);
            }
            synchronized (o) {
                BigDecimal q = new BigDecimal(quantity).min(o.size.subtract(o.filled));
                o.filled = o.filled.add(q);
                o.filledValue = o.filledValue.add(q.multiply(price == null ? o.limitPrice : new BigDecimal(price)));
                o.fills++;
                if (o.filled.compareTo(o.size) >= 0) {
                    o.status = "FILLED";
                }
                BigDecimal[] base = balances.computeIfAbsent(o.product.substring(0, o.product.indexOf('-')), k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
                base[0] = o.side.equals("BUY") ? base[0].add(q) : base[0].subtract(q);
                state = streamOrder(o);
            }
        }
        push(state);
    }

    // ------------------------------------------------------------ inspection

    /** every request received so far, in arrival order; status 0 while it is being answered */
    public List<Received> received() {
        return received.stream().map(Arrival::received).toList();
    }

    public long count(String method, String pathSuffix) {
        return received().stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).count();
    }

    /** create requests that carried this client order id */
    public long creates(String clientOrderId) {
        return received().stream().filter(r -> r.path().endsWith("/orders") && clientOrderId.equals(r.clientOrderId())).count();
    }

    public synchronized FakeOrder order(String clientOrderId) {
        return byClientId.get(clientOrderId);
    }

    public synchronized List<FakeOrder> orders() {
        return List.copyOf(byClientId.values());
    }

    /** requests refused for authentication, with why */
    public List<String> authFailures() {
        return List.copyOf(authFailures);
    }

    /** 429s the fake's own limit produced (not injected ones) */
    public synchronized int unsolicited429() {
        return unsolicited429;
    }

    /** the most private requests one one-second window received */
    public synchronized int maxPerWindow() {
        return maxWindowCount;
    }

    public List<String> streamMessages() {
        return List.copyOf(streamMessages);
    }

    // ------------------------------------------------------------ HTTP

    private long now() {
        synchronized (this) {
            return clock.getAsLong() + clockOffsetMillis;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long receivedAt = clock.getAsLong();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode request = body.isEmpty() ? json.createObjectNode() : json.readTree(body);
        String clientOrderId = request.path("client_order_id").asText(null);
        Arrival arrival = new Arrival(new Received(method, path, exchange.getRequestURI().getRawQuery(), body, clientOrderId, receivedAt, 0));
        received.add(arrival);
        exchange.setAttribute(RECEIVED, arrival);
        if (path.equals(BASE_PATH + "/time")) {
            long t = now();
            respond(exchange, 200, "{\"iso\":\"" + Instant.ofEpochMilli(t) + "\",\"epochSeconds\":\"" + t / 1000
                    + "\",\"epochMillis\":\"" + t + "\"}");
            return;
        }
        String authProblem = checkJwt(exchange, method, path);
        if (authProblem != null) {
            authFailures.add(method + " " + path + ": " + authProblem);
            respond(exchange, 401, "{\"error\":\"UNAUTHENTICATED\",\"message\":\"" + authProblem + "\"}");
            return;
        }
        String retry;
        synchronized (this) {
            long window = receivedAt - Math.floorMod(receivedAt, 1000L);
            if (window != windowStart) {
                windowStart = window;
                windowCount = 0;
            }
            windowCount++;
            maxWindowCount = Math.max(maxWindowCount, windowCount);
            boolean over = windowCount > PRIVATE_LIMIT_PER_SECOND;
            if (over) {
                unsolicited429++;
            }
            boolean injected = !over && injected429 > 0;
            if (injected) {
                injected429--;
            }
            retry = over ? "1" : injected ? (retryAfter == null ? "" : retryAfter) : null;
        }
        if (retry != null) {
            if (!retry.isEmpty()) {
                exchange.getResponseHeaders().add("Retry-After", retry);
            }
            respond(exchange, 429, "{\"error\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Too many requests\"}");
            return;
        }
        route(exchange, method, path, request);
    }

    private void route(HttpExchange exchange, String method, String path, JsonNode request) throws IOException {
        String rest = path.substring(BASE_PATH.length());
        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        String answer;
        int code = 200;
        if (method.equals("POST") && rest.equals("/orders")) {
            create(exchange, request);
            return;
        } else if (method.equals("POST") && rest.equals("/orders/batch_cancel")) {
            synchronized (this) {
                if (failCancels > 0) {
                    failCancels--;
                    code = failCancelStatus;
                }
            }
            answer = code == 200 ? batchCancel(request) : "{\"error\":\"INTERNAL\",\"message\":\"try again\"}";
        } else if (method.equals("POST") && rest.equals("/orders/edit")) {
            answer = edit(request);
        } else if (method.equals("GET") && rest.equals("/orders/historical/batch")) {
            answer = history(query);
        } else if (method.equals("GET") && rest.startsWith("/orders/historical/")) {
            String id = URLDecoder.decode(rest.substring("/orders/historical/".length()), StandardCharsets.UTF_8);
            synchronized (this) {
                FakeOrder o = byOrderId.get(id);
                if (o == null) {
                    code = 404;
                    answer = "{\"error\":\"NOT_FOUND\",\"message\":\"order not found\"}";
                } else {
                    ObjectNode root = json.createObjectNode();
                    root.set("order", restOrder(o));
                    answer = root.toString();
                }
            }
        } else if (method.equals("GET") && rest.equals("/accounts")) {
            answer = accounts();
        } else if (method.equals("GET") && rest.equals("/transaction_summary")) {
            answer = "{\"total_volume\":0,\"total_fees\":0,\"fee_tier\":{\"pricing_tier\":\"Advanced 1\",\"maker_fee_rate\":\"0.006\",\"taker_fee_rate\":\"0.012\"}}";
        } else {
            code = 404;
            answer = "{\"error\":\"NOT_FOUND\",\"message\":\"no route " + method + " " + rest + "\"}";
        }
        respond(exchange, code, answer);
    }

    private void create(HttpExchange exchange, JsonNode request) throws IOException {
        String clientOrderId = request.path("client_order_id").asText("");
        String product = request.path("product_id").asText("");
        String side = request.path("side").asText("");
        JsonNode configs = request.path("order_configuration");
        String configuration = configs.fieldNames().hasNext() ? configs.fieldNames().next() : "";
        JsonNode config = configs.path(configuration);
        boolean postOnly = config.path("post_only").asBoolean(false);
        long delay = 0;
        int failStatus = 0;
        boolean execute = true;
        ObjectNode pushed = null;
        String answer;
        synchronized (this) {
            if (delayCreates > 0) {
                delayCreates--;
                delay = delayMillis;
            }
            if (failCreates > 0) {
                failCreates--;
                failStatus = failCreateStatus;
                execute = failCreateExecutes;
            }
            String reject = rejectNextCreate;
            rejectNextCreate = null;
            BigDecimal[] market = markets.get(product);
            BigDecimal price = new BigDecimal(config.path("limit_price").asText("0"));
            FakeOrder existing = byClientId.get(clientOrderId);
            if (existing != null) {
                // client_order_id is an idempotency key: the existing order, nothing new
                answer = successAnswer(existing);
            } else if (!execute) {
                answer = "";
            } else if (reject != null) {
                answer = failureAnswer(reject);
            } else if (postOnly && market != null && (side.equals("BUY") ? price.compareTo(market[1]) >= 0 : price.compareTo(market[0]) <= 0)) {
                answer = failureAnswer("INVALID_LIMIT_PRICE_POST_ONLY");
            } else {
                FakeOrder o = new FakeOrder(UUID.randomUUID().toString(), clientOrderId, product, side, configuration, postOnly,
                        new BigDecimal(config.path("base_size").asText("0")), price);
                byClientId.put(clientOrderId, o);
                byOrderId.put(o.orderId, o);
                answer = successAnswer(o);
                pushed = streamOrder(o);
            }
        }
        if (pushed != null) {
            push(pushed);
        }
        if (delay > 0) {
            sleep(delay);
        }
        if (failStatus != 0) {
            respond(exchange, failStatus, "{\"error\":\"INTERNAL\",\"message\":\"upstream failure\"}");
            return;
        }
        respond(exchange, 200, answer);
    }

    private String successAnswer(FakeOrder o) {
        ObjectNode root = json.createObjectNode();
        root.put("success", true);
        ObjectNode r = root.putObject("success_response");
        r.put("order_id", o.orderId);
        r.put("product_id", o.product);
        r.put("side", o.side);
        r.put("client_order_id", o.clientOrderId);
        return root.toString();
    }

    private String failureAnswer(String reason) {
        ObjectNode root = json.createObjectNode();
        root.put("success", false);
        ObjectNode r = root.putObject("error_response");
        r.put("error", "UNKNOWN_FAILURE_REASON");
        r.put("message", reason.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        r.put("error_details", "");
        r.put("new_order_failure_reason", reason);
        return root.toString();
    }

    private String batchCancel(JsonNode request) {
        ObjectNode root = json.createObjectNode();
        ArrayNode results = root.putArray("results");
        List<ObjectNode> pushes = new ArrayList<>();
        synchronized (this) {
            for (JsonNode id : request.path("order_ids")) {
                FakeOrder o = byOrderId.get(id.asText());
                ObjectNode r = results.addObject();
                r.put("order_id", id.asText());
                if (o == null) {
                    r.put("success", false);
                    r.put("failure_reason", "UNKNOWN_CANCEL_ORDER");
                    continue;
                }
                synchronized (o) {
                    if (!o.open()) {
                        r.put("success", false);
                        r.put("failure_reason", "UNKNOWN_CANCEL_ORDER");
                        continue;
                    }
                    o.status = "CANCELLED";
                    r.put("success", true);
                    r.put("failure_reason", "UNKNOWN_CANCEL_FAILURE_REASON");
                    pushes.add(streamOrder(o));
                }
            }
        }
        pushes.forEach(this::push);
        return root.toString();
    }

    private String edit(JsonNode request) {
        ObjectNode root = json.createObjectNode();
        ObjectNode pushed = null;
        synchronized (this) {
            FakeOrder o = byOrderId.get(request.path("order_id").asText());
            if (o == null || !o.open()) {
                root.put("success", false);
                root.putArray("errors").addObject().put("edit_failure_reason", "ORDER_NOT_FOUND");
                return root.toString();
            }
            synchronized (o) {
                BigDecimal price = new BigDecimal(request.path("price").asText());
                BigDecimal size = new BigDecimal(request.path("size").asText());
                BigDecimal[] market = markets.get(o.product);
                if (o.postOnly && market != null && (o.side.equals("BUY") ? price.compareTo(market[1]) >= 0 : price.compareTo(market[0]) <= 0)) {
                    root.put("success", false);
                    root.putArray("errors").addObject().put("edit_failure_reason", "INVALID_LIMIT_PRICE_POST_ONLY");
                    return root.toString();
                }
                o.limitPrice = price;
                o.size = size;
                pushed = streamOrder(o);
            }
        }
        push(pushed);
        root.put("success", true);
        return root.toString();
    }

    private synchronized String history(Map<String, List<String>> query) {
        List<String> statuses = query.getOrDefault("order_status", List.of());
        List<String> products = query.getOrDefault("product_ids", List.of());
        List<FakeOrder> matching = new ArrayList<>();
        for (FakeOrder o : byClientId.values()) {
            synchronized (o) {
                if ((statuses.isEmpty() || statuses.contains(o.status)) && (products.isEmpty() || products.contains(o.product))) {
                    matching.add(o);
                }
            }
        }
        int from = query.containsKey("cursor") ? Integer.parseInt(query.get("cursor").getFirst()) : 0;
        int to = Math.min(matching.size(), from + pageSize);
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("orders");
        for (int i = from; i < to; i++) {
            array.add(restOrder(matching.get(i)));
        }
        root.put("has_next", to < matching.size());
        root.put("cursor", to < matching.size() ? Integer.toString(to) : "");
        root.put("sequence", "0");
        return root.toString();
    }

    private synchronized String accounts() {
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("accounts");
        for (Map.Entry<String, BigDecimal[]> e : balances.entrySet()) {
            ObjectNode a = array.addObject();
            a.put("uuid", UUID.nameUUIDFromBytes(e.getKey().getBytes(StandardCharsets.UTF_8)).toString());
            a.put("name", e.getKey() + " Wallet");
            a.put("currency", e.getKey());
            a.putObject("available_balance").put("value", e.getValue()[0].toPlainString()).put("currency", e.getKey());
            a.putObject("hold").put("value", e.getValue()[1].toPlainString()).put("currency", e.getKey());
        }
        root.put("has_next", false);
        root.put("cursor", "");
        root.put("size", balances.size());
        return root.toString();
    }

    private ObjectNode restOrder(FakeOrder o) {
        synchronized (o) {
            ObjectNode n = json.createObjectNode();
            n.put("order_id", o.orderId);
            n.put("product_id", o.product);
            n.put("side", o.side);
            n.put("client_order_id", o.clientOrderId);
            n.put("status", o.status);
            ObjectNode config = n.putObject("order_configuration").putObject(o.configuration);
            config.put("base_size", o.size.toPlainString());
            config.put("limit_price", o.limitPrice.toPlainString());
            config.put("post_only", o.postOnly);
            n.put("filled_size", o.filled.toPlainString());
            n.put("filled_value", o.filledValue.toPlainString());
            n.put("average_filled_price", average(o).toPlainString());
            n.put("number_of_fills", Integer.toString(o.fills));
            n.put("created_time", Instant.ofEpochMilli(o.createdMillis).toString());
            return n;
        }
    }

    private ObjectNode streamOrder(FakeOrder o) {
        synchronized (o) {
            ObjectNode n = json.createObjectNode();
            n.put("order_id", o.orderId);
            n.put("client_order_id", o.clientOrderId);
            n.put("product_id", o.product);
            n.put("order_side", o.side);
            n.put("order_type", "Limit");
            n.put("status", o.status);
            n.put("time_in_force", o.configuration.equals("sor_limit_ioc") ? "IMMEDIATE_OR_CANCEL" : "GOOD_UNTIL_CANCELLED");
            n.put("post_only", Boolean.toString(o.postOnly));
            n.put("limit_price", o.limitPrice.toPlainString());
            n.put("cumulative_quantity", o.filled.toPlainString());
            n.put("leaves_quantity", o.open() ? o.size.subtract(o.filled).toPlainString() : "0");
            n.put("avg_price", average(o).toPlainString());
            n.put("filled_value", o.filledValue.toPlainString());
            n.put("number_of_fills", Integer.toString(o.fills));
            n.put("total_fees", "0");
            n.put("creation_time", Instant.ofEpochMilli(o.createdMillis).toString());
            return n;
        }
    }

    private static BigDecimal average(FakeOrder o) {
        return o.filled.signum() == 0 ? BigDecimal.ZERO : o.filledValue.divide(o.filled, 8, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    /** one update event with this order state to every subscribed connection */
    private void push(ObjectNode order) {
        for (WebSocket c : ws.getConnections()) {
            Connection state = c.getAttachment();
            if (state == null || !state.subscribed || !c.isOpen()) {
                continue;
            }
            ArrayNode orders = json.createArrayNode().add(order);
            send(c, state, "update", orders);
        }
    }

    private void send(WebSocket c, Connection state, String type, ArrayNode orders) {
        synchronized (state) {
            ObjectNode message = json.createObjectNode();
            message.put("channel", "user");
            message.put("client_id", "");
            message.put("timestamp", Instant.ofEpochMilli(now()).toString());
            message.put("sequence_num", state.sequence++);
            message.putArray("events").addObject().put("type", type).set("orders", orders);
            String text = message.toString();
            streamMessages.add(text);
            c.send(text);
        }
    }

    private String checkJwt(HttpExchange exchange, String method, String path) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            return "no bearer token";
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        return verifyJwt(auth.substring(7), method + " " + host + path);
    }

    /** null when the token is valid for {@code uri} (null: a WebSocket token, which must carry no uri) */
    String verifyJwt(String token, String uri) {
        try {
            String[] parts = token.split("\\.");
            if (parts.length != 3) {
                return "not a JWS compact token";
            }
            JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!"ES256".equals(header.path("alg").asText())) {
                return "alg is not ES256";
            }
            if (!keyName.equals(header.path("kid").asText())) {
                return "kid is not the key name";
            }
            if (!"JWT".equals(header.path("typ").asText()) || !header.path("nonce").asText("").matches("[0-9a-f]{16,}")) {
                return "typ or nonce missing";
            }
            if (!keyName.equals(claims.path("sub").asText()) || !"cdp".equals(claims.path("iss").asText())) {
                return "sub or iss wrong";
            }
            long now = now() / 1000;
            long nbf = claims.path("nbf").asLong(-1);
            long exp = claims.path("exp").asLong(-1);
            if (nbf < 0 || exp < 0 || nbf > now + 1 || exp < now || exp - nbf > 120) {
                return "outside nbf/exp (nbf " + nbf + ", exp " + exp + ", venue time " + now + ")";
            }
            if (uri == null ? claims.has("uri") : !uri.equals(claims.path("uri").asText())) {
                return "uri claim '" + claims.path("uri").asText() + "' does not match '" + uri + "'";
            }
            Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
            v.initVerify(publicKey);
            v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!v.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "bad signature";
            }
            return null;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return "unreadable token: " + e;
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        ((Arrival) exchange.getAttribute(RECEIVED)).status = status;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        httpPool.shutdownNow();
        try {
            ws.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** a request as it arrived, with the status of its answer once given */
    private static final class Arrival {
        final Received base;
        volatile int status;

        Arrival(Received base) {
            this.base = base;
        }

        Received received() {
            Received r = base;
            return new Received(r.method(), r.path(), r.query(), r.body(), r.clientOrderId(), r.receivedMillis(), status);
        }
    }

    /** per-connection state of the user channel */
    private static final class Connection {
        long sequence;
        boolean subscribed;
    }

    private final class UserServer extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        UserServer() {
            super(new InetSocketAddress("127.0.0.1", 0));
        }

        /** while the test keeps the stream down, the handshake itself fails: the client never sees the socket open */
        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
                throws InvalidDataException {
            synchronized (FakeCoinbaseVenue.this) {
                if (refuseStream) {
                    throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "the user channel is down");
                }
            }
            return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            conn.setAttachment(new Connection());
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            Connection state = conn.getAttachment();
            if (state == null) {
                return;
            }
            try {
                JsonNode m = json.readTree(message);
                String problem = verifyJwt(m.path("jwt").asText(""), null);
                if (problem != null) {
                    authFailures.add("subscribe " + m.path("channel").asText() + ": " + problem);
                    conn.send("{\"type\":\"error\",\"message\":\"authentication failure: " + problem + "\"}");
                    return;
                }
                if ("user".equals(m.path("channel").asText()) && "subscribe".equals(m.path("type").asText())) {
                    ArrayNode open = json.createArrayNode();
                    synchronized (FakeCoinbaseVenue.this) {
                        for (FakeOrder o : byClientId.values()) {
                            synchronized (o) {
                                if (o.open()) {
                                    open.add(streamOrder(o));
                                }
                            }
                        }
                        // the snapshot is sent under the venue's lock, so no update can overtake it
                        state.subscribed = true;
                        send(conn, state, "snapshot", open);
                    }
                }
            } catch (IOException e) {
                conn.send("{\"type\":\"error\",\"message\":\"malformed\"}");
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
