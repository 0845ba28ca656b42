package io.mme.connectors.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.core.venue.ClientIdCodec;
import io.mme.core.venue.Credentials;
import io.mme.core.venue.GatewayRejectCode;
import io.mme.core.venue.GatewayReports;
import io.mme.core.venue.GatewayStatus;
import io.mme.core.venue.OrderRequest;
import io.mme.core.venue.Reconciliation;
import io.mme.core.venue.RequestBudget;
import io.mme.core.venue.ServerClock;
import io.mme.core.venue.TradeIdWindow;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueBalance;
import io.mme.core.venue.VenueFees;
import io.mme.core.venue.VenueGateway;
import io.mme.core.venue.VenueMode;
import io.mme.core.venue.VenueOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Binance spot order entry: REST ({@code /api/v3/order}, cancel-replace, open orders, account,
 * commission) signed per VENUES.md §1.3, or for order requests optionally the WS API
 * ({@link OrderEntry#WEBSOCKET}, {@link BinanceOrderSocket}, signed per §1.4) with REST as the
 * fallback of cancels and status queries, the user data stream over the WS API
 * ({@link BinanceUserStream}) mapped to execution reports, reconciliation at start and after every
 * reconnect, the venue's rate limits through a {@link RequestBudget}, and the server clock offset
 * applied to every signed timestamp.
 *
 * <p>Owns: the per-order state (venue order id, what was acknowledged, the cumulative quantity
 * reported per venue order), the per-order request chain (a cancel never overtakes its NEW), the
 * balances of the previous reconciliation and the net fills reported since.
 *
 * <p>Threads: {@link #submit} is called by the outbound consumer only and never blocks (a NEW is
 * signed and handed to {@link HttpClient#sendAsync} on that thread); responses are handled on the
 * HTTP client's threads and WS API answers on the callback pool; the stream's reader thread handles user data events; one scheduler thread
 * runs clock sync, reconnects and delayed retries. Per-order state is guarded by its own monitor.
 */
public final class BinanceGateway implements VenueGateway {
    private static final Logger LOG = LoggerFactory.getLogger(BinanceGateway.class);

    /** budget limit names (VENUES.md §1.5) */
    public static final String REQUEST_WEIGHT = "REQUEST_WEIGHT";
    public static final String ORDERS_10S = "ORDERS_10S";
    public static final String ORDERS_1D = "ORDERS_1D";

    private static final String TIME = "/api/v3/time";
    private static final String ORDER = "/api/v3/order";
    private static final String CANCEL_REPLACE = "/api/v3/order/cancelReplace";
    private static final String OPEN_ORDERS = "/api/v3/openOrders";
    private static final String ACCOUNT = "/api/v3/account";
    private static final String COMMISSION = "/api/v3/account/commission";
    /** how long a finished order's state is kept for late stream events */
    private static final long DONE_RETENTION_MILLIS = 300_000;
    private static final long BAN_FALLBACK_MILLIS = 120_000;
    private static final long RATE_LIMIT_FALLBACK_MILLIS = 10_000;
    /** WS API params sent as JSON numbers (LONG in the API); the rest are strings */
    private static final Set<String> NUMERIC_WS_PARAMS = Set.of("timestamp", "recvWindow", "orderId", "cancelOrderId");

    /**
     * Everything configurable about the gateway.
     *
     * @param mode                   TESTNET or LIVE
     * @param restBase               e.g. https://api.binance.com
     * @param userStream             the WS API endpoint, e.g. wss://ws-api.binance.com:443/ws-api/v3
     * @param connectTimeout         HTTP connect timeout
     * @param requestTimeout         HTTP request timeout: after it a NEW's outcome is unknown
     * @param recvWindowMillis       Binance recvWindow sent with every signed request (max 60000)
     * @param requestWeightPerMinute REQUEST_WEIGHT limit (6000 / min)
     * @param ordersPer10Seconds     ORDERS limit per 10 s (100)
     * @param ordersPerDay           ORDERS limit per day (200000)
     * @param budgetSafety           fraction of each limit the gateway spends, (0, 1]
     * @param reconnectMin           first delay before reconnecting the user stream, doubled while failing
     * @param reconnectMax           longest such delay
     * @param retryDelay             delay before repeating a cancel or status query whose outcome was unknown
     * @param retries                how many times such a cancel or status query is sent at most
     * @param unknownOrders          what reconciliation does with foreign orders on the venue
     * @param orderEntry             the transport of order requests: REST, or the WS API on {@code userStream}'s endpoint
     */
    public record Settings(VenueMode mode, URI restBase, URI userStream, Duration connectTimeout, Duration requestTimeout,
                           long recvWindowMillis, int requestWeightPerMinute, int ordersPer10Seconds, int ordersPerDay,
                           double budgetSafety, Duration reconnectMin, Duration reconnectMax, Duration retryDelay, int retries,
                           UnknownOrderPolicy unknownOrders, OrderEntry orderEntry) {
        public Settings {
            if (orderEntry == null) {
                throw new IllegalArgumentException("the Binance order entry transport must be REST or WEBSOCKET, not null");
            }
            if (mode != VenueMode.LIVE && mode != VenueMode.TESTNET) {
                throw new IllegalArgumentException("the Binance gateway runs in live or testnet mode, not " + mode);
            }
            if (recvWindowMillis <= 0 || recvWindowMillis > 60_000) {
                throw new IllegalArgumentException("Binance recvWindow must be in 1..60000 ms: " + recvWindowMillis);
            }
            if (retries < 1) {
                throw new IllegalArgumentException("retries must be at least 1: " + retries);
            }
        }

        /** the settings as they were before the order-entry transport could be chosen: orders go over REST */
        public Settings(VenueMode mode, URI restBase, URI userStream, Duration connectTimeout, Duration requestTimeout,
                        long recvWindowMillis, int requestWeightPerMinute, int ordersPer10Seconds, int ordersPerDay,
                        double budgetSafety, Duration reconnectMin, Duration reconnectMax, Duration retryDelay, int retries,
                        UnknownOrderPolicy unknownOrders) {
            this(mode, restBase, userStream, connectTimeout, requestTimeout, recvWindowMillis, requestWeightPerMinute, ordersPer10Seconds,
                    ordersPerDay, budgetSafety, reconnectMin, reconnectMax, retryDelay, retries, unknownOrders, OrderEntry.REST);
        }

        /**
         * The production (LIVE) or spot testnet (TESTNET) endpoints with the documented limits.
         *
         * @throws IllegalArgumentException for PAPER (the paper venue needs no gateway)
         */
        public static Settings forMode(VenueMode mode) {
            return switch (mode) {
                case LIVE -> defaults(mode, URI.create("https://api.binance.com"), URI.create("wss://ws-api.binance.com:443/ws-api/v3"));
                case TESTNET -> defaults(mode, URI.create("https://testnet.binance.vision"),
                        URI.create("wss://ws-api.testnet.binance.vision/ws-api/v3"));
                case PAPER -> throw new IllegalArgumentException(
                        "Binance has no paper mode: paper trading uses the engine's own paper venue, not a Binance gateway");
            };
        }

        private static Settings defaults(VenueMode mode, URI rest, URI stream) {
            return new Settings(mode, rest, stream, Duration.ofSeconds(5), Duration.ofSeconds(10), 5000, 6000, 100, 200_000, 0.8,
                    Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMillis(500), 3, UnknownOrderPolicy.CANCEL,
                    OrderEntry.REST);
        }

        public Settings withEndpoints(URI rest, URI stream) {
            return new Settings(mode, rest, stream, connectTimeout, requestTimeout, recvWindowMillis, requestWeightPerMinute,
                    ordersPer10Seconds, ordersPerDay, budgetSafety, reconnectMin, reconnectMax, retryDelay, retries, unknownOrders, orderEntry);
        }

        public Settings withTimeouts(Duration connect, Duration request) {
            return new Settings(mode, restBase, userStream, connect, request, recvWindowMillis, requestWeightPerMinute,
                    ordersPer10Seconds, ordersPerDay, budgetSafety, reconnectMin, reconnectMax, retryDelay, retries, unknownOrders, orderEntry);
        }

        public Settings withLimits(int weightPerMinute, int orders10s, int ordersDay, double safety) {
            return new Settings(mode, restBase, userStream, connectTimeout, requestTimeout, recvWindowMillis, weightPerMinute,
                    orders10s, ordersDay, safety, reconnectMin, reconnectMax, retryDelay, retries, unknownOrders, orderEntry);
        }

        public Settings withReconnect(Duration min, Duration max) {
            return new Settings(mode, restBase, userStream, connectTimeout, requestTimeout, recvWindowMillis, requestWeightPerMinute,
                    ordersPer10Seconds, ordersPerDay, budgetSafety, min, max, retryDelay, retries, unknownOrders, orderEntry);
        }

        public Settings withUnknownOrders(UnknownOrderPolicy policy) {
            return new Settings(mode, restBase, userStream, connectTimeout, requestTimeout, recvWindowMillis, requestWeightPerMinute,
                    ordersPer10Seconds, ordersPerDay, budgetSafety, reconnectMin, reconnectMax, retryDelay, retries, policy, orderEntry);
        }

        public Settings withOrderEntry(OrderEntry transport) {
            return new Settings(mode, restBase, userStream, connectTimeout, requestTimeout, recvWindowMillis, requestWeightPerMinute,
                    ordersPer10Seconds, ordersPerDay, budgetSafety, reconnectMin, reconnectMax, retryDelay, retries, unknownOrders, transport);
        }
    }

    /**
     * How order requests (new, cancel, cancel-replace, status) travel. WEBSOCKET uses one persistent
     * WS API connection ({@code order.place}, {@code order.cancel}, {@code order.cancelReplace},
     * {@code order.status}); while it is down NEWs are refused NOT_CONNECTED and the other requests go
     * over REST. Queries, cancel-all and reconciliation always use REST.
     */
    public enum OrderEntry {
        REST,
        WEBSOCKET
    }

    /** one answer from the REST API or the WS API (its {@code result}, or its {@code error} object); status -1 when none came (timeout, connection error) */
    private record Reply(int status, JsonNode body, String text) {
        int code() {
            return body == null ? 0 : body.path("code").asInt(0);
        }

        String msg() {
            return body == null ? text : body.path("msg").asText(text);
        }

        boolean ok() {
            return status == 200 && body != null;
        }

        /** no answer, a 5xx, a 200 we could not read, or a Binance code saying the outcome is unknown */
        boolean outcomeUnknown() {
            return status < 0 || status >= 500 || (status == 200 && body == null) || code() == -1007 || code() == -1008;
        }

        boolean throttled() {
            return status == 429 || status == 418;
        }

        @Override
        public String toString() {
            return status < 0 ? "no answer (" + text + ")" : "status " + status + " code " + code() + " " + BinanceUserStream.truncate(msg());
        }
    }

    /** what the gateway knows about one engine order; mutable fields guarded by its monitor */
    private static final class OrderState {
        final long engineId;
        final String clientText;
        final Instrument instrument;
        final Side side;
        /** the last request's future: the next request of this order starts when it completes (submit thread only) */
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        String venueId;
        long priceTicks;
        long quantityLots;
        boolean acknowledged;
        boolean finished;
        /** a CANCELLED report went out for this order */
        boolean cancelReported;
        /** while a cancel-replace is in flight: the venue order id it cancels ("" when not known), else null */
        String replacing;
        final Map<String, Long> cumulativeByVenueId = new HashMap<>(2);
        final Set<String> replacedVenueIds = new HashSet<>(2);

        OrderState(long engineId, String clientText, Instrument instrument, Side side, long priceTicks, long quantityLots) {
            this.engineId = engineId;
            this.clientText = clientText;
            this.instrument = instrument;
            this.side = side;
            this.priceTicks = priceTicks;
            this.quantityLots = quantityLots;
        }

        long reported(String vid) {
            return vid == null ? 0 : cumulativeByVenueId.getOrDefault(vid, 0L);
        }

        /** the quantity the venue's cumulative adds beyond what was reported (0: duplicate or late) */
        long advance(String vid, long cumulative) {
            long before = reported(vid);
            if (cumulative <= before) {
                return 0;
            }
            cumulativeByVenueId.put(vid, cumulative);
            return cumulative - before;
        }

        void raise(String vid, long cumulative) {
            if (vid != null && cumulative > reported(vid)) {
                cumulativeByVenueId.put(vid, cumulative);
            }
        }
    }

    private final Settings settings;
    private final InstrumentRegistry registry;
    private final Credentials credentials;
    private final ClientIdCodec ids;
    private final BinanceSigner signer;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final LongSupplier wallClock;
    private final ServerClock clock;
    private final RequestBudget budget;
    private final RequestBudget.Charge orderCharge;
    private final RequestBudget.Charge cancelCharge;
    private final RequestBudget.Charge queryCharge;
    private final RequestBudget.Charge openOrdersCharge;
    private final RequestBudget.Charge accountCharge;
    private final RequestBudget.Charge timeCharge;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ScheduledExecutorService scheduler;
    /** where answers are handled: our threads, since publishing a report may wait for room in the ring */
    private final ExecutorService callbacks;
    private final Map<Long, OrderState> orders = new ConcurrentHashMap<>();
    private final TradeIdWindow trades = new TradeIdWindow(100_000);
    private final BinanceUserStream stream;
    /** the WS API order-entry connection; null when orders go over REST */
    private final BinanceOrderSocket orderSocket;
    private final AtomicLong reconciliations = new AtomicLong();
    /** net base-asset fills reported since the previous reconciliation, per venue asset; guarded by itself */
    private final Map<String, BigDecimal> netFills = new TreeMap<>();
    /** totals of the previous reconciliation's balances; reconciliation runs one at a time (its monitor) */
    private Map<String, BigDecimal> previousBalances;
    private volatile GatewayReports reports;
    private volatile String lastReconcile = "";
    private volatile boolean closed;

    public BinanceGateway(Settings settings, InstrumentRegistry registry, Credentials credentials, ClientIdCodec ids) {
        this(settings, registry, credentials, ids, HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build(), true,
                System::currentTimeMillis);
    }

    /** for tests: a given HTTP client (not closed by {@link #close}) and wall clock (epoch ms) */
    public BinanceGateway(Settings settings, InstrumentRegistry registry, Credentials credentials, ClientIdCodec ids,
                          HttpClient http, LongSupplier wallClock) {
        this(settings, registry, credentials, ids, http, false, wallClock);
    }

    private BinanceGateway(Settings settings, InstrumentRegistry registry, Credentials credentials, ClientIdCodec ids,
                           HttpClient http, boolean ownsHttp, LongSupplier wallClock) {
        this.settings = settings;
        this.registry = registry;
        this.credentials = credentials;
        this.ids = ids;
        this.signer = new BinanceSigner(credentials.secret());
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.wallClock = wallClock;
        this.clock = new ServerClock(wallClock);
        this.budget = new RequestBudget("binance", settings.budgetSafety())
                .window(REQUEST_WEIGHT, settings.requestWeightPerMinute(), 60_000)
                .window(ORDERS_10S, settings.ordersPer10Seconds(), 10_000)
                .window(ORDERS_1D, settings.ordersPerDay(), 86_400_000);
        this.orderCharge = budget.charge().add(REQUEST_WEIGHT, 1).add(ORDERS_10S, 1).add(ORDERS_1D, 1);
        this.cancelCharge = budget.charge().add(REQUEST_WEIGHT, 1);
        this.queryCharge = budget.charge().add(REQUEST_WEIGHT, 4);
        this.openOrdersCharge = budget.charge().add(REQUEST_WEIGHT, 6);
        this.accountCharge = budget.charge().add(REQUEST_WEIGHT, 20);
        this.timeCharge = budget.charge().add(REQUEST_WEIGHT, 1);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "binance-gateway");
            t.setDaemon(true);
            return t;
        });
        this.callbacks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "binance-gateway-io");
            t.setDaemon(true);
            return t;
        });
        this.stream = new BinanceUserStream(settings.userStream(), credentials, signer, clock::venueMillis, wallClock, budget,
                budget.charge().add(REQUEST_WEIGHT, 4), settings.reconnectMin(), settings.reconnectMax(), scheduler,
                new StreamListener(), mapper);
        this.orderSocket = settings.orderEntry() == OrderEntry.WEBSOCKET
                ? new BinanceOrderSocket(settings.userStream(), wallClock, budget, budget.charge().add(REQUEST_WEIGHT, 2),
                settings.requestTimeout(), settings.reconnectMin(), settings.reconnectMax(), scheduler, callbacks, mapper)
                : null;
    }

    @Override
    public Venue venue() {
        return Venue.BINANCE;
    }

    @Override
    public VenueMode mode() {
        return settings.mode();
    }

    @Override
    public void start(GatewayReports reports) {
        this.reports = reports;
        LOG.info("binance gateway starting ({}, {}, key {})", settings.mode().configName(), settings.restBase(), credentials.maskedKey());
        syncClock().whenComplete((v, e) -> {
            String problem = clock.skewProblem(settings.recvWindowMillis(), "binance");
            if (problem != null) {
                LOG.error(problem);
            }
            stream.connect();
            if (orderSocket != null) {
                orderSocket.connect();
            }
        });
    }

    // ---------------------------------------------------------------- order entry

    @Override
    public void submit(OrderRequest request) {
        if (reports == null) {
            throw new IllegalStateException("binance gateway: submit before start");
        }
        switch (request.type()) {
            case NEW -> submitNew(request);
            case CANCEL -> {
                OrderState s = stateFor(request);
                s.tail = guarded(s, "CANCEL", s.tail.thenCompose(v -> cancelUnlessFinished(s)));
            }
            case REPLACE -> {
                OrderState s = stateFor(request);
                s.tail = guarded(s, "REPLACE", s.tail.thenCompose(v -> replace(s, request)));
            }
            case STATUS -> {
                OrderState s = stateFor(request);
                s.tail = guarded(s, "STATUS", s.tail.thenCompose(v -> queryStatus(s, 0)));
            }
            case CANCEL_ALL -> {
                if (request.instrument() == null) {
                    cancelAll();
                } else {
                    cancelAllOn(request.instrument());
                }
            }
        }
    }

    private OrderState stateFor(OrderRequest r) {
        long id = r.orderId();
        return orders.computeIfAbsent(id, k -> new OrderState(id, ids.encode(id), r.instrument(), r.side(), r.priceTicks(), r.quantityLots()));
    }

    private void submitNew(OrderRequest r) {
        OrderState s = new OrderState(r.clientOrderId(), ids.encode(r.clientOrderId()), r.instrument(), r.side(), r.priceTicks(),
                r.quantityLots());
        orders.put(s.engineId, s);
        if (closed) {
            reject(s, GatewayRejectCode.NOT_CONNECTED, "the gateway is closed");
            return;
        }
        if (orderSocket != null && !orderSocket.connected()) {
            // a NEW is never delayed or moved to another transport behind the engine's back: it is refused at once
            reject(s, GatewayRejectCode.NOT_CONNECTED, "the WS API order-entry connection is down");
            return;
        }
        long now = wallClock.getAsLong();
        if (!budget.tryAcquire(orderCharge, now)) {
            reject(s, refusalCode(now), "not sent: " + budgetRefusal(now));
            return;
        }
        StringBuilder p = new StringBuilder(160);
        p.append("symbol=").append(r.instrument().venueSymbol()).append("&side=").append(r.side().name());
        appendOrderType(p, r);
        p.append("&newClientOrderId=").append(s.clientText).append("&newOrderRespType=ACK");
        s.tail = guarded(s, "NEW", orderRequest("POST", ORDER, p.toString()).thenAccept(reply -> onNewReply(s, reply)));
    }

    /**
     * The chain of an order's requests must go on whatever one step threw (a venue answer we could
     * not read): the failure is logged and the next request still runs.
     */
    private static CompletableFuture<Void> guarded(OrderState s, String what, CompletableFuture<Void> step) {
        return step.exceptionally(e -> {
            LOG.warn("binance {} {} failed: {}", what, s.clientText, e.toString());
            return null;
        });
    }

    private void appendOrderType(StringBuilder p, OrderRequest r) {
        if (r.market()) {
            p.append("&type=MARKET&quantity=");
            r.instrument().appendQuantity(r.quantityLots(), p);
            return;
        }
        if (r.postOnly()) {
            p.append("&type=LIMIT_MAKER");
        } else {
            p.append("&type=LIMIT&timeInForce=").append(r.timeInForce() == null ? TimeInForce.GTC.name() : r.timeInForce().name());
        }
        p.append("&quantity=");
        r.instrument().appendQuantity(r.quantityLots(), p);
        p.append("&price=");
        r.instrument().appendPrice(r.priceTicks(), p);
    }

    private void onNewReply(OrderState s, Reply reply) {
        if (reply.ok()) {
            String vid = reply.body().path("orderId").asText();
            long nanos = reply.body().path("transactTime").asLong(0) * 1_000_000L;
            boolean report;
            synchronized (s) {
                if (s.venueId == null) {
                    s.venueId = vid;
                }
                report = !s.acknowledged && !s.finished;
                s.acknowledged = true;
            }
            if (report) {
                publish(new ExecutionReport().set(ExecType.ACCEPTED, Venue.BINANCE.id(), s.instrument.id(), s.engineId,
                        ClientIdCodec.venueOrderKey(vid), s.side, s.priceTicks, s.quantityLots, nanos));
            }
            return;
        }
        if (reply.outcomeUnknown()) {
            LOG.warn("binance NEW {} outcome unknown ({}): not resent, the engine's STATUS will resolve it", s.clientText, reply);
            return;
        }
        if (reply.code() == -1021) {
            LOG.error("binance NEW {} refused for its timestamp (-1021 {}): the clock offset is re-measured; the order is rejected, not resent",
                    s.clientText, reply.msg());
            syncClock();
        }
        reject(s, rejectCode(reply), reply.toString());
    }

    private void reject(OrderState s, GatewayRejectCode code, String why) {
        LOG.warn("binance NEW {} rejected {}: {}", s.clientText, code, why);
        synchronized (s) {
            s.finished = true;
        }
        publish(new ExecutionReport().set(ExecType.REJECTED, Venue.BINANCE.id(), s.instrument.id(), s.engineId, 0, s.side, s.priceTicks, 0, 0)
                .reason(code.code()));
        retire(s);
    }

    private CompletableFuture<Void> cancelUnlessFinished(OrderState s) {
        boolean gone;
        synchronized (s) {
            gone = s.finished;
        }
        if (gone) {
            // the venue already said it is done (filled, cancelled, rejected): no request needed
            cancelRejected(s, "CANCEL", GatewayRejectCode.UNKNOWN_ORDER, new Reply(-1, null, "the order is already done"));
            return CompletableFuture.completedFuture(null);
        }
        return cancel(s, 0);
    }

    private CompletableFuture<Void> cancel(OrderState s, int attempt) {
        StringBuilder p = new StringBuilder(96).append("symbol=").append(s.instrument.venueSymbol());
        synchronized (s) {
            if (s.venueId != null) {
                p.append("&orderId=").append(s.venueId);
            } else {
                p.append("&origClientOrderId=").append(s.clientText);
            }
        }
        return whenBudget(cancelCharge).thenCompose(v -> orderRequest("DELETE", ORDER, p.toString()))
                .thenCompose(reply -> onCancelReply(s, reply, attempt));
    }

    private CompletableFuture<Void> onCancelReply(OrderState s, Reply reply, int attempt) {
        if (reply.ok()) {
            JsonNode b = reply.body();
            cancelled(s, b.path("orderId").asText(), lots(s, b, "origQty") - lots(s, b, "executedQty"), 0,
                    b.path("transactTime").asLong(0) * 1_000_000L);
            return CompletableFuture.completedFuture(null);
        }
        if (reply.throttled()) {
            LOG.warn("binance CANCEL {} throttled ({}): sent again when the back-off ends", s.clientText, reply);
            return cancel(s, attempt);
        }
        if (reply.outcomeUnknown() || reply.code() == -1021) {
            if (reply.code() == -1021) {
                syncClock();
            }
            if (attempt + 1 < settings.retries()) {
                LOG.warn("binance CANCEL {} outcome unknown ({}): sending it again", s.clientText, reply);
                return later(settings.retryDelay()).thenCompose(v -> cancel(s, attempt + 1));
            }
            LOG.error("binance CANCEL {} failed {} times, last {}", s.clientText, attempt + 1, reply);
            cancelRejected(s, "CANCEL", reply.code() == -1021 ? GatewayRejectCode.CLOCK_SKEW : GatewayRejectCode.VENUE_REJECTED, reply);
            return CompletableFuture.completedFuture(null);
        }
        GatewayRejectCode code = rejectCode(reply);
        if (code == GatewayRejectCode.UNKNOWN_ORDER && attempt > 0) {
            // an earlier attempt whose answer was lost may have cancelled it: ask what happened
            return queryStatus(s, 0);
        }
        synchronized (s) {
            if (code == GatewayRejectCode.UNKNOWN_ORDER && s.cancelReported) {
                // the stream's CANCELED for this very cancel came first and answered it
                return CompletableFuture.completedFuture(null);
            }
        }
        cancelRejected(s, "CANCEL", code, reply);
        return CompletableFuture.completedFuture(null);
    }

    private void cancelRejected(OrderState s, String what, GatewayRejectCode code, Reply reply) {
        LOG.warn("binance {} {} refused {}: {}", what, s.clientText, code, reply);
        long vid;
        long leaves;
        synchronized (s) {
            vid = ClientIdCodec.venueOrderKey(s.venueId);
            leaves = s.finished ? 0 : Math.max(0, s.quantityLots - s.reported(s.venueId));
        }
        publish(new ExecutionReport().set(ExecType.CANCEL_REJECTED, Venue.BINANCE.id(), s.instrument.id(), s.engineId, vid, s.side,
                s.priceTicks, leaves, 0).reason(code.code()));
    }

    /** reports CANCELLED once per order, whichever of the REST answer and the stream comes first */
    private void cancelled(OrderState s, String vid, long cancelledLots, int reason, long venueNanos) {
        synchronized (s) {
            if (s.finished || (vid != null && s.replacedVenueIds.contains(vid))) {
                return;
            }
            if (s.replacing != null && (s.replacing.isEmpty() || s.replacing.equals(vid))) {
                // the cancel half of our own cancel-replace: its answer says what became of the order
                return;
            }
            s.finished = true;
            s.cancelReported = true;
        }
        publish(new ExecutionReport().set(ExecType.CANCELLED, Venue.BINANCE.id(), s.instrument.id(), s.engineId,
                ClientIdCodec.venueOrderKey(vid), s.side, s.priceTicks, 0, venueNanos).cancelledQuantity(Math.max(0, cancelledLots))
                .reason(reason));
        retire(s);
    }

    private CompletableFuture<Void> replace(OrderState s, OrderRequest r) {
        long now = wallClock.getAsLong();
        if (!budget.tryAcquire(orderCharge, now)) {
            cancelRejected(s, "REPLACE", refusalCode(now), new Reply(-1, null, "not sent: " + budgetRefusal(now)));
            return CompletableFuture.completedFuture(null);
        }
        StringBuilder p = new StringBuilder(200);
        p.append("symbol=").append(s.instrument.venueSymbol()).append("&side=").append(s.side.name());
        appendOrderType(p, r);
        p.append("&cancelReplaceMode=STOP_ON_FAILURE");
        synchronized (s) {
            if (s.venueId != null) {
                p.append("&cancelOrderId=").append(s.venueId);
            } else {
                p.append("&cancelOrigClientOrderId=").append(s.clientText);
            }
            s.replacing = s.venueId == null ? "" : s.venueId;
        }
        p.append("&newClientOrderId=").append(s.clientText).append("&newOrderRespType=ACK");
        return orderRequest("POST", CANCEL_REPLACE, p.toString()).thenCompose(reply -> onReplaceReply(s, r, reply));
    }

    private CompletableFuture<Void> onReplaceReply(OrderState s, OrderRequest r, Reply reply) {
        if (reply.ok()) {
            String vid = reply.body().path("newOrderResponse").path("orderId").asText();
            synchronized (s) {
                // in one block with marking the old id replaced: a stream CANCELED of the old order
                // arriving in between must not be taken for a cancel of the engine's order
                s.replacing = null;
                if (s.venueId != null) {
                    s.replacedVenueIds.add(s.venueId);
                }
                s.venueId = vid;
                s.priceTicks = r.priceTicks();
                s.quantityLots = r.quantityLots();
            }
            publish(new ExecutionReport().set(ExecType.REPLACED, Venue.BINANCE.id(), s.instrument.id(), s.engineId,
                    ClientIdCodec.venueOrderKey(vid), s.side, r.priceTicks(), r.quantityLots(), 0));
            return CompletableFuture.completedFuture(null);
        }
        synchronized (s) {
            s.replacing = null;
        }
        if (reply.outcomeUnknown()) {
            LOG.warn("binance REPLACE {} outcome unknown ({}): asking the venue for the order's status", s.clientText, reply);
            return later(settings.retryDelay()).thenCompose(v -> queryStatus(s, 0));
        }
        JsonNode data = reply.body() == null ? null : reply.body().path("data");
        if (reply.status() == 409 && data != null && "SUCCESS".equals(data.path("cancelResult").asText())) {
            JsonNode c = data.path("cancelResponse");
            JsonNode n = data.path("newOrderResponse");
            GatewayRejectCode why = rejectCode(new Reply(400, n, n.toString()));
            LOG.warn("binance REPLACE {}: the old order was cancelled but the new one refused ({} {}): reported cancelled", s.clientText,
                    n.path("code").asInt(), n.path("msg").asText());
            cancelled(s, c.path("orderId").asText(), lots(s, c, "origQty") - lots(s, c, "executedQty"), why.code(), 0);
            return CompletableFuture.completedFuture(null);
        }
        if (data != null && "FAILURE".equals(data.path("cancelResult").asText())) {
            JsonNode c = data.path("cancelResponse");
            cancelRejected(s, "REPLACE", rejectCode(new Reply(400, c, c.toString())), reply);
            return CompletableFuture.completedFuture(null);
        }
        if (reply.code() == -1021) {
            LOG.error("binance REPLACE {} refused for its timestamp: clock offset re-measured, not resent", s.clientText);
            syncClock();
        }
        cancelRejected(s, "REPLACE", rejectCode(reply), reply);
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> queryStatus(OrderState s, int attempt) {
        String p = "symbol=" + s.instrument.venueSymbol() + "&origClientOrderId=" + s.clientText;
        return whenBudget(queryCharge).thenCompose(v -> orderRequest("GET", ORDER, p)).thenCompose(reply -> {
            if (reply.ok()) {
                orderStatus(s, reply.body(), 0);
            } else if (rejectCode(reply) == GatewayRejectCode.UNKNOWN_ORDER) {
                synchronized (s) {
                    s.finished = true;
                }
                retire(s);
                publish(new ExecutionReport().set(ExecType.ORDER_STATUS, Venue.BINANCE.id(), s.instrument.id(), s.engineId, 0, s.side,
                        s.priceTicks, 0, 0).cumulativeQuantity(0));
            } else if (reply.throttled()) {
                return queryStatus(s, attempt);
            } else if (attempt + 1 < settings.retries()) {
                LOG.warn("binance STATUS {} failed ({}): asking again", s.clientText, reply);
                return later(settings.retryDelay()).thenCompose(v -> queryStatus(s, attempt + 1));
            } else {
                LOG.error("binance STATUS {} failed {} times, last {}; the engine will ask again", s.clientText, attempt + 1, reply);
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** reports ORDER_STATUS from a venue order object (REST order or open-orders entry) */
    private void orderStatus(OrderState s, JsonNode o, int reason) {
        String status = o.path("status").asText();
        boolean open = isOpen(status);
        String vid = o.path("orderId").asText();
        long orig = lots(s, o, "origQty");
        long executed = lots(s, o, "executedQty");
        long price = s.instrument.priceTicks(o.path("price").asText("0"));
        long before;
        synchronized (s) {
            before = s.reported(vid);
            if (s.venueId == null || !s.venueId.equals(vid) && !s.replacedVenueIds.contains(vid)) {
                s.venueId = vid;
            }
            s.acknowledged = true;
            if (!open) {
                s.finished = true;
            }
            s.raise(vid, executed);
        }
        countFill(s.instrument, s.side, executed - before);
        publish(new ExecutionReport().set(ExecType.ORDER_STATUS, Venue.BINANCE.id(), s.instrument.id(), s.engineId,
                ClientIdCodec.venueOrderKey(vid), s.side, price, open ? Math.max(0, orig - executed) : 0, 0)
                .cumulativeQuantity(executed).reason(reason));
        if (!open) {
            retire(s);
        }
    }

    private static boolean isOpen(String status) {
        return status.equals("NEW") || status.equals("PARTIALLY_FILLED") || status.equals("PENDING_NEW");
    }

    private static long lots(OrderState s, JsonNode o, String field) {
        return s.instrument.quantityLots(o.path(field).asText("0"));
    }

    /** forgets a finished order after a while (late stream events within that time are still recognised) */
    private void retire(OrderState s) {
        if (!closed) {
            scheduler.schedule(() -> orders.remove(s.engineId, s), DONE_RETENTION_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------- queries

    @Override
    public CompletableFuture<List<VenueOrder>> openOrders() {
        List<CompletableFuture<List<VenueOrder>>> perSymbol = new ArrayList<>();
        for (Instrument i : registry.ofVenue(Venue.BINANCE)) {
            perSymbol.add(whenBudget(openOrdersCharge).thenCompose(v -> signed("GET", OPEN_ORDERS, "symbol=" + i.venueSymbol()))
                    .thenApply(reply -> {
                        List<VenueOrder> list = new ArrayList<>();
                        for (JsonNode o : required(reply, "open orders of " + i.venueSymbol())) {
                            list.add(new VenueOrder(o.path("clientOrderId").asText(), o.path("orderId").asText(), i.id(),
                                    "SELL".equals(o.path("side").asText()) ? Side.SELL : Side.BUY, i.priceTicks(o.path("price").asText("0")),
                                    i.quantityLots(o.path("origQty").asText("0")), i.quantityLots(o.path("executedQty").asText("0"))));
                        }
                        return list;
                    }));
        }
        return CompletableFuture.allOf(perSymbol.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<VenueOrder> all = new ArrayList<>();
            perSymbol.forEach(f -> all.addAll(f.join()));
            return all;
        });
    }

    @Override
    public CompletableFuture<List<VenueBalance>> balances() {
        return whenBudget(accountCharge).thenCompose(v -> signed("GET", ACCOUNT, "omitZeroBalances=true")).thenApply(reply -> {
            List<VenueBalance> list = new ArrayList<>();
            for (JsonNode b : required(reply, "account").path("balances")) {
                list.add(new VenueBalance(b.path("asset").asText(), new BigDecimal(b.path("free").asText("0")),
                        new BigDecimal(b.path("locked").asText("0"))));
            }
            return list;
        });
    }

    @Override
    public CompletableFuture<VenueFees> fees(Instrument instrument) {
        return whenBudget(accountCharge).thenCompose(v -> signed("GET", COMMISSION, "symbol=" + instrument.venueSymbol())).thenApply(reply -> {
            JsonNode b = required(reply, "commission of " + instrument.venueSymbol());
            BigDecimal maker = BigDecimal.ZERO;
            BigDecimal taker = BigDecimal.ZERO;
            for (String part : List.of("standardCommission", "taxCommission", "specialCommission")) {
                maker = maker.add(new BigDecimal(b.path(part).path("maker").asText("0")));
                taker = taker.add(new BigDecimal(b.path(part).path("taker").asText("0")));
            }
            return new VenueFees(instrument.venueSymbol(), maker, taker);
        });
    }

    @Override
    public CompletableFuture<Integer> cancelAll() {
        List<CompletableFuture<Integer>> perSymbol = new ArrayList<>();
        for (Instrument i : registry.ofVenue(Venue.BINANCE)) {
            perSymbol.add(cancelAllOn(i));
        }
        return CompletableFuture.allOf(perSymbol.toArray(CompletableFuture[]::new))
                .thenApply(v -> perSymbol.stream().mapToInt(CompletableFuture::join).sum());
    }

    private CompletableFuture<Integer> cancelAllOn(Instrument instrument) {
        return whenBudget(cancelCharge).thenCompose(v -> signed("DELETE", OPEN_ORDERS, "symbol=" + instrument.venueSymbol())).thenApply(reply -> {
            if (!reply.ok()) {
                if (rejectCode(reply) == GatewayRejectCode.UNKNOWN_ORDER) {
                    return 0;
                }
                LOG.warn("binance cancel-all on {} failed: {}", instrument.venueSymbol(), reply);
                throw new IllegalStateException("binance cancel-all on " + instrument.venueSymbol() + " failed: " + reply);
            }
            int n = 0;
            for (JsonNode o : reply.body()) {
                n++;
                long engineId = ids.decode(o.path("origClientOrderId").asText());
                OrderState s = engineId > 0 ? orders.get(engineId) : null;
                if (s != null) {
                    cancelled(s, o.path("orderId").asText(), lots(s, o, "origQty") - lots(s, o, "executedQty"), 0, 0);
                }
            }
            return n;
        });
    }

    private JsonNode required(Reply reply, String what) {
        if (!reply.ok() || reply.body() == null) {
            throw new IllegalStateException("binance " + what + " failed: " + reply);
        }
        return reply.body();
    }

    // ---------------------------------------------------------------- user data stream

    /** the stream's events, on its reader thread */
    private final class StreamListener implements BinanceUserStream.Listener {
        @Override
        public void subscribed(long subscriptions) {
            reconcile(subscriptions == 1 ? "start" : "reconnect");
        }

        @Override
        public void event(JsonNode event) {
            String type = event.path("e").asText();
            if (type.equals("executionReport")) {
                execution(event);
            } else if (type.equals("eventStreamTerminated")) {
                LOG.warn("binance user stream terminated by the venue; reconnecting");
                stream.reconnect();
            }
        }

        @Override
        public void timestampRefused() {
            LOG.error("binance refused the user stream subscription's timestamp: measuring the clock offset again");
            syncClock();
        }
    }

    private void execution(JsonNode ev) {
        String original = ev.path("C").asText("");
        String clientText = original.isEmpty() ? ev.path("c").asText() : original;
        long engineId = ids.decode(clientText);
        if (engineId < 0) {
            return;
        }
        String symbol = ev.path("s").asText();
        Instrument inst = registry.find(Venue.BINANCE, symbol);
        if (inst == null) {
            LOG.warn("binance executionReport for {} on {}, not one of our instruments", clientText, symbol);
            return;
        }
        Side side = "SELL".equals(ev.path("S").asText()) ? Side.SELL : Side.BUY;
        String x = ev.path("x").asText();
        String vid = ev.path("i").asText();
        long qty = inst.quantityLots(ev.path("q").asText("0"));
        long cum = inst.quantityLots(ev.path("z").asText("0"));
        long price = inst.priceTicks(ev.path("p").asText("0"));
        long nanos = ev.path("E").asLong(0) * 1_000_000L;
        OrderState s = orders.computeIfAbsent(engineId, k -> new OrderState(engineId, clientText, inst, side, price, qty));
        switch (x) {
            case "NEW" -> {
                boolean report;
                synchronized (s) {
                    if (s.venueId == null) {
                        s.venueId = vid;
                    }
                    report = !s.acknowledged && !s.finished;
                    s.acknowledged = true;
                }
                if (report) {
                    publish(new ExecutionReport().set(ExecType.ACCEPTED, Venue.BINANCE.id(), inst.id(), engineId,
                            ClientIdCodec.venueOrderKey(vid), side, price, qty - cum, nanos));
                }
            }
            case "TRADE" -> trade(s, ev, inst, side, vid, qty, cum, nanos);
            case "CANCELED" -> cancelled(s, vid, qty - cum, 0, nanos);
            case "EXPIRED", "TRADE_PREVENTION" -> cancelled(s, vid, qty - cum, GatewayRejectCode.VENUE_CANCELLED.code(), nanos);
            case "REJECTED" -> {
                boolean report;
                synchronized (s) {
                    report = !s.acknowledged && !s.finished;
                    s.finished = true;
                }
                if (report) {
                    LOG.warn("binance NEW {} rejected by the venue: {}", clientText, ev.path("r").asText());
                    publish(new ExecutionReport().set(ExecType.REJECTED, Venue.BINANCE.id(), inst.id(), engineId, 0, side, price, 0, nanos)
                            .reason(GatewayRejectCode.VENUE_REJECTED.code()));
                }
            }
            default -> LOG.debug("binance executionReport {} for {} ignored", x, clientText);
        }
    }

    private void trade(OrderState s, JsonNode ev, Instrument inst, Side side, String vid, long qty, long cum, long nanos) {
        long tradeId = ev.path("t").asLong();
        if (!trades.firstTime(inst.venueSymbol() + ":" + tradeId)) {
            return;
        }
        long lastPrice = inst.priceTicks(ev.path("L").asText("0"));
        long added;
        long leaves;
        synchronized (s) {
            added = s.advance(vid, cum);
            boolean current = s.venueId == null || s.venueId.equals(vid);
            leaves = current ? Math.max(0, qty - cum) : Math.max(0, s.quantityLots - s.reported(s.venueId));
            if (added > 0 && leaves == 0 && current) {
                s.finished = true;
            }
        }
        if (added <= 0) {
            return;
        }
        ExecType type = leaves == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED;
        publish(new ExecutionReport().set(type, Venue.BINANCE.id(), inst.id(), s.engineId, ClientIdCodec.venueOrderKey(vid), side, s.priceTicks,
                leaves, nanos).fill(tradeId, lastPrice, added, ev.path("m").asBoolean(false)));
        countFill(inst, side, added);
        if (type == ExecType.FILLED) {
            retire(s);
        }
    }

    /** adds filled lots the engine learns of (a fill, or a status whose cumulative exceeds what it had) to the base asset's net */
    private void countFill(Instrument inst, Side side, long lots) {
        if (lots <= 0) {
            return;
        }
        BigDecimal amount = new BigDecimal(inst.appendQuantity(lots, new StringBuilder()).toString());
        synchronized (netFills) {
            netFills.merge(inst.venueBase(), side == Side.BUY ? amount : amount.negate(), BigDecimal::add);
        }
    }

    // ---------------------------------------------------------------- reconciliation

    private void reconcile(String trigger) {
        GatewayReports sink = reports;
        balances().thenCombine(openOrders(), (balances, open) -> {
            sink.recheckOpenOrders(Venue.BINANCE);
            List<String> differences = new ArrayList<>();
            List<String> foreignCancelled = new ArrayList<>();
            List<String> foreignLeft = new ArrayList<>();
            int ours = 0;
            for (VenueOrder o : open) {
                long engineId = ids.decode(o.clientOrderId());
                Instrument inst = registry.get(o.instrumentId());
                if (engineId < 0) {
                    differences.add("foreign order " + o.venueOrderId() + " (" + o.clientOrderId() + ") on " + inst.venueSymbol());
                    if (settings.unknownOrders() == UnknownOrderPolicy.CANCEL) {
                        foreignCancelled.add(o.venueOrderId());
                        cancelForeign(inst, o);
                    } else {
                        foreignLeft.add(o.venueOrderId());
                    }
                    continue;
                }
                ours++;
                OrderState s = orders.computeIfAbsent(engineId, k -> new OrderState(engineId, o.clientOrderId(), inst, o.side(),
                        o.priceTicks(), o.quantityLots()));
                long reported;
                synchronized (s) {
                    reported = s.reported(o.venueOrderId());
                    s.venueId = o.venueOrderId();
                    s.acknowledged = true;
                    s.raise(o.venueOrderId(), o.filledLots());
                }
                if (reported != o.filledLots()) {
                    differences.add("order " + o.clientOrderId() + " filled " + o.filledLots() + " lots on the venue, " + reported + " reported");
                    countFill(inst, o.side(), o.filledLots() - reported);
                }
                publish(new ExecutionReport().set(ExecType.ORDER_STATUS, Venue.BINANCE.id(), inst.id(), engineId,
                        ClientIdCodec.venueOrderKey(o.venueOrderId()), o.side(), o.priceTicks(), o.leavesLots(), 0)
                        .cumulativeQuantity(o.filledLots()).reason(GatewayRejectCode.RECONCILED.code()));
            }
            differences.addAll(balanceChanges(balances));
            Reconciliation result = new Reconciliation(Venue.BINANCE, trigger, ours, foreignCancelled, foreignLeft, balances, differences);
            reconciliations.incrementAndGet();
            lastReconcile = result.summary();
            LOG.info(lastReconcile);
            sink.reconciled(result);
            return result;
        }).exceptionally(e -> {
            lastReconcile = "binance reconciliation (" + trigger + ") failed: " + e.getMessage();
            LOG.error(lastReconcile);
            return null;
        });
    }

    private void cancelForeign(Instrument inst, VenueOrder o) {
        whenBudget(cancelCharge).thenCompose(v -> signed("DELETE", ORDER, "symbol=" + inst.venueSymbol() + "&orderId=" + o.venueOrderId()))
                .thenAccept(reply -> {
                    if (reply.ok()) {
                        LOG.warn("binance foreign order {} ({}) cancelled by reconciliation", o.venueOrderId(), o.clientOrderId());
                    } else {
                        LOG.warn("binance foreign order {} ({}) not cancelled: {}", o.venueOrderId(), o.clientOrderId(), reply);
                    }
                });
    }

    /** the change of each balance since the previous reconciliation next to the net fills reported in between */
    private synchronized List<String> balanceChanges(List<VenueBalance> balances) {
        Map<String, BigDecimal> now = new TreeMap<>();
        balances.forEach(b -> now.put(b.asset(), b.total()));
        Map<String, BigDecimal> fills;
        synchronized (netFills) {
            fills = new TreeMap<>(netFills);
            netFills.clear();
        }
        List<String> lines = new ArrayList<>();
        if (previousBalances != null) {
            Set<String> assets = new TreeSet<>(now.keySet());
            assets.addAll(previousBalances.keySet());
            assets.addAll(fills.keySet());
            for (String asset : assets) {
                BigDecimal change = now.getOrDefault(asset, BigDecimal.ZERO).subtract(previousBalances.getOrDefault(asset, BigDecimal.ZERO));
                BigDecimal filled = fills.getOrDefault(asset, BigDecimal.ZERO);
                if (change.signum() != 0 || filled.signum() != 0) {
                    lines.add(asset + " balance changed by " + change.stripTrailingZeros().toPlainString()
                            + " since the previous reconciliation; net fills reported " + filled.stripTrailingZeros().toPlainString());
                }
            }
        }
        previousBalances = now;
        return lines;
    }

    // ---------------------------------------------------------------- transport

    /** completes when {@code charge} has been spent (waiting for room and for any back-off) */
    private CompletableFuture<Void> whenBudget(RequestBudget.Charge charge) {
        return budget.acquireWhenFits(charge, wallClock, scheduler, () -> closed);
    }

    private CompletableFuture<Void> later(Duration delay) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        scheduler.schedule(() -> f.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
        return f;
    }

    private GatewayRejectCode refusalCode(long now) {
        if (budget.backingOffUntil() > now) {
            return budget.backOffReason().startsWith("418") ? GatewayRejectCode.BANNED : GatewayRejectCode.RATE_LIMITED;
        }
        return GatewayRejectCode.THROTTLED;
    }

    private String budgetRefusal(long now) {
        return budget.backingOffUntil() > now ? "backing off until " + budget.backingOffUntil() + " (" + budget.backOffReason() + ")"
                : "the request budget is spent";
    }

    /**
     * Sends one order request (new, cancel, cancel-replace, status) over the WS API when that is the
     * transport and its connection is up, else over REST (a NEW never gets here while the connection
     * is down); never fails: no answer is a {@link Reply} with status -1.
     */
    private CompletableFuture<Reply> orderRequest(String method, String path, String params) {
        if (orderSocket == null || !orderSocket.connected()) {
            return signed(method, path, params);
        }
        String wsMethod = switch (method + " " + path) {
            case "POST " + ORDER -> "order.place";
            case "DELETE " + ORDER -> "order.cancel";
            case "GET " + ORDER -> "order.status";
            case "POST " + CANCEL_REPLACE -> "order.cancelReplace";
            default -> throw new IllegalArgumentException("no WS API method for " + method + " " + path);
        };
        Map<String, String> signedParams = new TreeMap<>();
        for (String pair : params.split("&")) {
            int eq = pair.indexOf('=');
            signedParams.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        signedParams.put("apiKey", credentials.keyId());
        signedParams.put("recvWindow", Long.toString(settings.recvWindowMillis()));
        signedParams.put("timestamp", Long.toString(clock.venueMillis()));
        ObjectNode json = mapper.createObjectNode();
        signedParams.forEach((k, v) -> {
            if (NUMERIC_WS_PARAMS.contains(k)) {
                json.put(k, Long.parseLong(v));
            } else {
                json.put(k, v);
            }
        });
        json.put("signature", signer.sign(BinanceSigner.webSocketPayload(signedParams)));
        return orderSocket.request(wsMethod, json).handle((msg, error) -> error != null
                ? new Reply(-1, null, (error.getCause() != null ? error.getCause() : error).getMessage())
                : webSocketReply(wsMethod, msg));
    }

    /** a WS API answer as a {@link Reply}: the usage it reports read into the budget, a 429 / 418 turned into a back-off */
    private Reply webSocketReply(String wsMethod, JsonNode msg) {
        long now = wallClock.getAsLong();
        for (JsonNode limit : msg.path("rateLimits")) {
            String type = limit.path("rateLimitType").asText();
            String interval = limit.path("interval").asText();
            String name = type.equals("REQUEST_WEIGHT") && interval.equals("MINUTE") ? REQUEST_WEIGHT
                    : type.equals("ORDERS") && interval.equals("SECOND") && limit.path("intervalNum").asInt() == 10 ? ORDERS_10S
                    : type.equals("ORDERS") && interval.equals("DAY") ? ORDERS_1D : null;
            if (name != null) {
                observe(name, limit.path("count").asText(), now);
            }
        }
        int status = msg.path("status").asInt(-1);
        String text = msg.toString();
        if (status == 200) {
            JsonNode result = msg.get("result");
            return new Reply(status, result == null || result.isNull() ? null : result, text);
        }
        JsonNode error = msg.path("error");
        if (status == 429 || status == 418) {
            long retryAfter = error.path("data").path("retryAfter").asLong(0);
            long until = retryAfter > now ? retryAfter : now + (status == 418 ? BAN_FALLBACK_MILLIS : RATE_LIMIT_FALLBACK_MILLIS);
            budget.backOff(until, status + (status == 418 ? " banned" : " rate limited") + " on " + wsMethod);
            LOG.error("binance WS API answered {} to {}: nothing is sent for {} ms", status, wsMethod, until - now);
        }
        LOG.warn("binance WS API {} answered {}: {}", wsMethod, status, BinanceUserStream.truncate(text));
        return new Reply(status, error.isObject() ? error : null, text);
    }

    /** sends one signed REST request; never fails: no answer is a {@link Reply} with status -1 */
    private CompletableFuture<Reply> signed(String method, String path, String params) {
        String query = params + (params.isEmpty() ? "" : "&") + "recvWindow=" + settings.recvWindowMillis() + "&timestamp=" + clock.venueMillis();
        String signature = URLEncoder.encode(signer.sign(query), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.restBase() + path + "?" + query + "&signature=" + signature))
                .timeout(settings.requestTimeout()).header("X-MBX-APIKEY", credentials.keyId())
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handleAsync((response, error) -> {
            if (error != null) {
                return new Reply(-1, null, error.toString());
            }
            return reply(method, path, response);
        }, callbacks);
    }

    private Reply reply(String method, String path, HttpResponse<String> response) {
        long now = wallClock.getAsLong();
        HttpHeaders h = response.headers();
        h.firstValue("X-MBX-USED-WEIGHT-1M").ifPresent(v -> observe(REQUEST_WEIGHT, v, now));
        h.firstValue("X-MBX-ORDER-COUNT-10S").ifPresent(v -> observe(ORDERS_10S, v, now));
        h.firstValue("X-MBX-ORDER-COUNT-1D").ifPresent(v -> observe(ORDERS_1D, v, now));
        int status = response.statusCode();
        if (status == 429 || status == 418) {
            long until = RequestBudget.retryAfterDeadline(h.firstValue("Retry-After").orElse(null), now,
                    status == 418 ? BAN_FALLBACK_MILLIS : RATE_LIMIT_FALLBACK_MILLIS);
            budget.backOff(until, status + (status == 418 ? " banned" : " rate limited") + " on " + method + " " + path);
            LOG.error("binance answered {} to {} {}: nothing is sent for {} ms", status, method, path, until - now);
        }
        JsonNode body = null;
        try {
            String text = response.body();
            body = text == null || text.isEmpty() ? null : mapper.readTree(text);
        } catch (Exception e) {
            LOG.warn("binance {} {}: answer {} is not JSON: {}", method, path, status, BinanceUserStream.truncate(response.body()));
        }
        if (status != 200) {
            LOG.warn("binance {} {} answered {}: {}", method, path, status, BinanceUserStream.truncate(response.body()));
        }
        return new Reply(status, body, response.body() == null ? "" : response.body());
    }

    private void observe(String limit, String value, long now) {
        try {
            budget.observe(limit, Double.parseDouble(value.trim()), now);
        } catch (NumberFormatException e) {
            LOG.warn("binance usage header for {} not a number: {}", limit, BinanceUserStream.truncate(value));
        }
    }

    /** measures the server clock once; completes either way */
    private CompletableFuture<Void> syncClock() {
        long sent = wallClock.getAsLong();
        budget.tryAcquire(timeCharge, sent);
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.restBase() + TIME)).timeout(settings.requestTimeout()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handleAsync((response, error) -> {
            if (error != null || response.statusCode() != 200) {
                LOG.warn("binance server time not measured: {}", error != null ? error.toString() : "HTTP " + response.statusCode());
                return null;
            }
            try {
                clock.measured(mapper.readTree(response.body()).path("serverTime").asLong(), sent, wallClock.getAsLong());
                LOG.info("binance clock offset {} ms (round trip {} ms)", clock.offsetMillis(), clock.roundTripMillis());
            } catch (Exception e) {
                LOG.warn("binance server time not understood: {}", BinanceUserStream.truncate(response.body()));
            }
            return null;
        }, callbacks);
    }

    /** a venue refusal as the nearest engine code */
    private static GatewayRejectCode rejectCode(Reply r) {
        if (r.status() == 429) {
            return GatewayRejectCode.RATE_LIMITED;
        }
        if (r.status() == 418) {
            return GatewayRejectCode.BANNED;
        }
        String msg = r.msg() == null ? "" : r.msg().toLowerCase(Locale.ROOT);
        return switch (r.code()) {
            case -2010 -> msg.contains("immediately match and take") ? GatewayRejectCode.POST_ONLY_WOULD_TAKE
                    : msg.contains("insufficient balance") ? GatewayRejectCode.INSUFFICIENT_FUNDS
                    : msg.contains("filter failure") ? GatewayRejectCode.FILTER : GatewayRejectCode.VENUE_REJECTED;
            case -1013 -> GatewayRejectCode.FILTER;
            case -1021 -> GatewayRejectCode.CLOCK_SKEW;
            case -2015, -1022, -1002 -> GatewayRejectCode.AUTHENTICATION;
            case -2011, -2013, -2026 -> GatewayRejectCode.UNKNOWN_ORDER;
            case -1003, -1015 -> GatewayRejectCode.RATE_LIMITED;
            default -> r.status() == 401 ? GatewayRejectCode.AUTHENTICATION
                    : msg.contains("filter failure") ? GatewayRejectCode.FILTER : GatewayRejectCode.VENUE_REJECTED;
        };
    }

    private void publish(ExecutionReport report) {
        reports.report(report);
    }

    /** true while the WS API order-entry connection is up; false when it is down or orders go over REST */
    boolean orderEntryConnected() {
        return orderSocket != null && orderSocket.connected();
    }

    @Override
    public GatewayStatus status() {
        long now = wallClock.getAsLong();
        long until = budget.backingOffUntil();
        return new GatewayStatus(stream.subscribed(), until > now ? until : 0, budget.fullest(now), clock.offsetMillis(),
                reconciliations.get(), lastReconcile);
    }

    @Override
    public void close() {
        closed = true;
        stream.close();
        if (orderSocket != null) {
            orderSocket.close();
        }
        scheduler.shutdownNow();
        callbacks.shutdownNow();
        if (ownsHttp) {
            http.close();
        }
        LOG.info("binance gateway closed");
    }
}
