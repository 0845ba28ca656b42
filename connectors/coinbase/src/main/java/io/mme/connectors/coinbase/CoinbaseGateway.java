package io.mme.connectors.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import io.mme.marketdata.session.WebSocketFeedSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Coinbase Advanced Trade order-entry gateway: orders over REST ({@code /api/v3/brokerage},
 * one ES256 JWT per request), fills and cancels from the {@code user} channel, reconciliation at
 * start and after every reconnect, all under one {@link RequestBudget} (30 private requests a
 * second, spent to its safe share).
 *
 * <p>The user channel sends each order's cumulative state, not fills: a fill is what the venue's
 * {@code cumulative_quantity} adds beyond what this gateway already reported for the order (its
 * price: the increase of {@code filled_value} over the quantity's increase, on the tick grid). An
 * equal or lower cumulative is a duplicate or a late message and is dropped, so every fill is
 * counted once whether the stream, a status query or reconciliation saw it first.
 *
 * <p>A create whose outcome is unknown (timeout, 5xx) is retried with the same
 * {@code client_order_id} at most {@link Settings#createRetries()} times: Coinbase treats the id as
 * an idempotency key and answers a repeat with the order it already has. After that nothing is
 * reported; the engine's acknowledgement timeout asks STATUS.
 *
 * <p>Threads: {@link #submit} (the outbound consumer) only queues; each order's requests run one
 * after the other, chained on the previous one's future, starting on the gateway's scheduler thread
 * ({@code mme-gw-coinbase}), which also runs budget waits and retries; HTTP answers are handled on
 * the gateway's answer threads ({@code mme-gw-coinbase-http}); the user channel runs on the WebSocket session's threads. Per-order
 * state is guarded by the order's own lock; the maps are concurrent.
 */
public final class CoinbaseGateway implements VenueGateway {
    private static final Logger LOG = LoggerFactory.getLogger(CoinbaseGateway.class);
    private static final String PRIVATE = "PRIVATE_1S";
    private static final String PUBLIC = "PUBLIC_1S";
    /** Coinbase does not document the batch_cancel maximum; 100 is what its SDKs use */
    private static final int CANCEL_BATCH = 100;
    /** pages of order history searched for a client id the gateway has no venue id for */
    private static final int HISTORY_PAGES = 10;
    private static final long MAX_429_BACKOFF_MILLIS = 30_000;
    /** done orders are kept this long so that late stream messages about them are recognised as stale */
    private static final long DONE_RETENTION_MILLIS = 10 * 60_000;

    /**
     * How the gateway reaches Coinbase.
     *
     * @param mode                     LIVE or TESTNET (what {@link #mode()} answers)
     * @param restBase                 REST base including {@code /api/v3/brokerage}
     * @param userStream               the user-channel WebSocket; null: run without a private stream
     *                                 (TESTNET: the sandbox has none) and learn everything from queries
     * @param requestTimeout           an HTTP answer later than this leaves the request's outcome unknown
     * @param connectTimeout           HTTP connection set-up
     * @param privateRequestsPerSecond the venue's private REST limit (30)
     * @param publicRequestsPerSecond  the venue's public REST limit per IP (10): the server time
     * @param budgetSafety             share of each limit the gateway spends, in (0, 1]
     * @param createRetries            repeats of a create whose outcome is unknown (same client_order_id)
     * @param requestRetries           repeats of a cancel or query after a timeout or 5xx
     * @param retryDelay               wait before such a repeat
     * @param streamInitialBackoff     first user-channel reconnect delay bound
     * @param streamMaxBackoff         user-channel reconnect delay cap
     * @param unknownOrders            what reconciliation does with open orders that are not ours
     */
    public record Settings(VenueMode mode, URI restBase, URI userStream, Duration requestTimeout, Duration connectTimeout,
                           int privateRequestsPerSecond, int publicRequestsPerSecond, double budgetSafety,
                           int createRetries, int requestRetries, Duration retryDelay,
                           Duration streamInitialBackoff, Duration streamMaxBackoff, UnknownOrderPolicy unknownOrders) {
        public Settings {
            if (mode == null || mode == VenueMode.PAPER || restBase == null || requestTimeout == null || connectTimeout == null || retryDelay == null
                    || streamInitialBackoff == null || streamMaxBackoff == null || unknownOrders == null) {
                throw new IllegalArgumentException("Coinbase gateway settings: a LIVE or TESTNET mode and every field but userStream are needed");
            }
            if (privateRequestsPerSecond <= 0 || publicRequestsPerSecond <= 0 || createRetries < 0 || requestRetries < 0) {
                throw new IllegalArgumentException("Coinbase gateway settings: rate limits must be positive, retries not negative");
            }
        }

        /**
         * The venue's endpoints for a mode: LIVE is production; TESTNET is Coinbase's static REST
         * sandbox (canned answers, good for checking request shapes only) without a private stream.
         *
         * @throws IllegalArgumentException for PAPER, which has no Coinbase endpoints
         */
        public static Settings forMode(VenueMode mode) {
            return switch (mode) {
                case LIVE -> defaults(mode, URI.create("https://api.coinbase.com/api/v3/brokerage"),
                        URI.create("wss://advanced-trade-ws-user.coinbase.com"));
                case TESTNET -> defaults(mode, URI.create("https://api-sandbox.coinbase.com/api/v3/brokerage"), null);
                case PAPER -> throw new IllegalArgumentException(
                        "Coinbase has no paper endpoint: paper trading runs on the engine's own paper venue, not through the Coinbase gateway");
            };
        }

        private static Settings defaults(VenueMode mode, URI rest, URI stream) {
            return new Settings(mode, rest, stream, Duration.ofSeconds(5), Duration.ofSeconds(5), 30, 10, 0.8,
                    2, 5, Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(30), UnknownOrderPolicy.CANCEL);
        }

        /** the same settings against other endpoints (a fake venue in tests, a proxy) */
        public Settings withEndpoints(URI rest, URI stream) {
            return new Settings(mode, rest, stream, requestTimeout, connectTimeout, privateRequestsPerSecond, publicRequestsPerSecond,
                    budgetSafety, createRetries, requestRetries, retryDelay, streamInitialBackoff, streamMaxBackoff, unknownOrders);
        }

        public Settings withTimeouts(Duration request, Duration retry) {
            return new Settings(mode, restBase, userStream, request, connectTimeout, privateRequestsPerSecond, publicRequestsPerSecond,
                    budgetSafety, createRetries, requestRetries, retry, streamInitialBackoff, streamMaxBackoff, unknownOrders);
        }

        public Settings withStreamBackoff(Duration initial, Duration max) {
            return new Settings(mode, restBase, userStream, requestTimeout, connectTimeout, privateRequestsPerSecond, publicRequestsPerSecond,
                    budgetSafety, createRetries, requestRetries, retryDelay, initial, max, unknownOrders);
        }

        public Settings withUnknownOrders(UnknownOrderPolicy policy) {
            return new Settings(mode, restBase, userStream, requestTimeout, connectTimeout, privateRequestsPerSecond, publicRequestsPerSecond,
                    budgetSafety, createRetries, requestRetries, retryDelay, streamInitialBackoff, streamMaxBackoff, policy);
        }
    }

    /** One order as the gateway tracks it; every field is guarded by the object's lock. */
    private static final class Order {
        final long engineId;
        final String clientText;
        final Instrument instrument;
        final Side side;
        boolean postOnly;
        long priceTicks;
        /** the order's total size on the venue (Coinbase's base_size: filled + open) */
        long quantityLots;
        String venueId;
        boolean accepted;
        boolean done;
        long doneAtMillis;
        boolean cancelRequested;
        /** seen open on the venue before its next fill: that fill made it a maker */
        boolean rested;
        /** the cumulative quantity the engine has been told of (fills plus ORDER_STATUS) */
        long reportedCum;
        /** the venue's filled_value at {@link #reportedCum}; null when not known */
        BigDecimal reportedValue = BigDecimal.ZERO;

        Order(long engineId, String clientText, Instrument instrument, Side side) {
            this.engineId = engineId;
            this.clientText = clientText;
            this.instrument = instrument;
            this.side = side;
        }
    }

    /** one HTTP answer */
    private record Answer(int status, String body, HttpHeaders headers) {
    }

    /** an order as the venue describes it (REST order object or user-channel order) */
    private record VenueState(String venueId, String clientText, Instrument instrument, String product, Side side, String status,
                              long priceTicks, long sizeLots, long cumLots, BigDecimal filledValue, BigDecimal avgPrice) {
        boolean terminal() {
            return switch (status) {
                case "FILLED", "CANCELLED", "EXPIRED", "FAILED" -> true;
                default -> false;
            };
        }

        long leavesLots() {
            return terminal() ? 0 : Math.max(0, sizeLots - cumLots);
        }
    }

    private final Settings settings;
    private final InstrumentRegistry registry;
    private final List<Instrument> instruments;
    private final Credentials credentials;
    private final ClientIdCodec ids;
    private final CoinbaseJwtSigner signer;
    private final HttpClient http;
    private final LongSupplier wallClock;
    private final ServerClock clock;
    private final RequestBudget budget;
    private final RequestBudget.Charge privateCharge;
    private final RequestBudget.Charge publicCharge;
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService scheduler;
    /** runs what follows an HTTP answer, so that reports (which may wait for ring room) never occupy the common pool */
    private final ExecutorService answers;
    private final String authority;
    private final String basePath;
    private final Map<Long, Order> orders = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final TradeIdWindow trades = new TradeIdWindow(8192);
    private final AtomicInteger consecutive429 = new AtomicInteger();
    private final AtomicLong reconciliations = new AtomicLong();
    /** base-asset lots the engine was told were filled since the last reconciliation, per instrument id (buys positive) */
    private final Map<Integer, AtomicLong> netFillsSinceReconcile = new ConcurrentHashMap<>();
    private final WebSocketFeedSession session;
    private final UserChannel userChannel;
    private volatile GatewayReports reports;
    private volatile boolean closed;
    private volatile boolean streamConnected;
    private volatile String lastReconcile = "";
    /** balances at the previous reconciliation; guarded by {@code this} */
    private Map<String, BigDecimal> previousBalances;

    public CoinbaseGateway(Settings settings, InstrumentRegistry registry, Credentials credentials, ClientIdCodec ids) {
        this(settings, registry, credentials, ids, System::currentTimeMillis);
    }

    /** with another wall clock (epoch ms) */
    public CoinbaseGateway(Settings settings, InstrumentRegistry registry, Credentials credentials, ClientIdCodec ids,
                           LongSupplier wallClock) {
        this.settings = settings;
        this.registry = registry;
        this.instruments = registry.ofVenue(Venue.COINBASE);
        this.credentials = credentials;
        this.ids = ids;
        this.signer = new CoinbaseJwtSigner(credentials);
        this.answers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mme-gw-coinbase-http");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).executor(answers).build();
        this.wallClock = wallClock;
        this.clock = new ServerClock(wallClock);
        this.budget = new RequestBudget("coinbase", settings.budgetSafety())
                .window(PRIVATE, settings.privateRequestsPerSecond(), 1000)
                .window(PUBLIC, settings.publicRequestsPerSecond(), 1000);
        this.privateCharge = budget.charge().add(PRIVATE, 1);
        this.publicCharge = budget.charge().add(PUBLIC, 1);
        this.authority = settings.restBase().getRawAuthority();
        String path = settings.restBase().getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mme-gw-coinbase");
            t.setDaemon(true);
            return t;
        });
        if (settings.userStream() != null) {
            this.userChannel = new UserChannel();
            this.session = new WebSocketFeedSession(new WebSocketFeedSession.Settings("coinbase-user", settings.userStream(),
                    settings.streamInitialBackoff(), settings.streamMaxBackoff(), Duration.ZERO, Duration.ofMillis(150), 60,
                    System.nanoTime()), userChannel);
        } else {
            this.userChannel = null;
            this.session = null;
        }
    }

    @Override
    public Venue venue() {
        return Venue.COINBASE;
    }

    @Override
    public VenueMode mode() {
        return settings.mode();
    }

    @Override
    public void start(GatewayReports reports) {
        this.reports = reports;
        LOG.info("coinbase gateway starting: REST {}, key {}, {} instruments", settings.restBase(), credentials.maskedKey(), instruments.size());
        if (session == null) {
            LOG.warn("coinbase gateway ({}): RUNNING WITHOUT THE PRIVATE STREAM ({}): fills and cancels are learnt only from "
                    + "status queries and reconciliation", settings.mode().configName(), settings.mode() == VenueMode.TESTNET
                    ? "the Coinbase sandbox " + settings.restBase() + " has no user channel" : "no user-channel URI is configured");
        }
        scheduler.execute(() -> measureClock().whenComplete((v, e) -> {
            if (closed) {
                return;
            }
            if (session != null) {
                session.start();
            } else {
                reconcile("start");
            }
        }));
        scheduler.scheduleAtFixedRate(this::forgetOldDoneOrders, 1, 1, TimeUnit.MINUTES);
    }

    // ---------------------------------------------------------------- order entry

    @Override
    public void submit(OrderRequest request) {
        if (closed) {
            refuseClosed(request);
            return;
        }
        switch (request.type()) {
            case NEW -> {
                Order order = new Order(request.clientOrderId(), ids.encode(request.clientOrderId()), request.instrument(), request.side());
                order.postOnly = request.postOnly();
                order.priceTicks = request.priceTicks();
                order.quantityLots = request.quantityLots();
                orders.put(order.engineId, order);
                chain(order.engineId, () -> create(order, request, 0));
            }
            case CANCEL -> chain(request.targetClientOrderId(), () -> cancel(request, 0));
            case REPLACE -> chain(request.targetClientOrderId(), () -> replace(request));
            case STATUS -> chain(request.targetClientOrderId(), () -> status(request, 0));
            case CANCEL_ALL -> scheduler.execute(() -> cancelOpen(request.instrument() == null ? -1 : request.instrument().id())
                    .whenComplete((n, e) -> {
                        if (e != null) {
                            LOG.warn("coinbase: cancel-all failed: {}", e.toString());
                        }
                    }));
        }
    }

    /** runs {@code step} after every earlier request of the same order has been answered */
    private void chain(long orderId, Supplier<CompletableFuture<Void>> step) {
        CompletableFuture<Void> mine = tails.compute(orderId, (k, previous) -> {
            CompletableFuture<Void> start = previous == null ? CompletableFuture.completedFuture(null) : previous;
            return start.thenComposeAsync(v -> step.get(), scheduler).handle((v, e) -> {
                if (e != null) {
                    LOG.warn("coinbase: a request for order {} failed: {}", orderId, rootCause(e).toString());
                }
                return null;
            });
        });
        mine.whenComplete((v, e) -> tails.remove(orderId, mine));
    }

    private CompletableFuture<Void> create(Order order, OrderRequest request, int attempt) {
        if (attempt == 0) {
            long now = wallClock.getAsLong();
            if (!budget.tryAcquire(privateCharge, now)) {
                boolean backingOff = budget.backingOffUntil() > now;
                reject(order, backingOff ? GatewayRejectCode.RATE_LIMITED : GatewayRejectCode.THROTTLED,
                        backingOff ? "not sent: backing off (" + budget.backOffReason() + ")" : "not sent: no room in the request budget");
                return CompletableFuture.completedFuture(null);
            }
            return sendCreate(order, request, attempt);
        }
        // a repeat of a create whose outcome is unknown waits for room: rejecting it would be a lie
        return whenBudget(privateCharge).thenCompose(v -> sendCreate(order, request, attempt));
    }

    private CompletableFuture<Void> sendCreate(Order order, OrderRequest request, int attempt) {
        String body = createBody(order, request);
        return call("POST", "/orders", null, body).handle((answer, error) -> {
            if (error != null || answer.status() >= 500) {
                String why = error != null ? rootCause(error).toString() : "HTTP " + answer.status();
                return unknownCreate(order, request, attempt, why);
            }
            if (answer.status() == 429) {
                if (attempt == 0) {
                    reject(order, GatewayRejectCode.RATE_LIMITED, "HTTP 429");
                    return CompletableFuture.<Void>completedFuture(null);
                }
                // an earlier attempt may have created it: still unknown
                return unknownCreate(order, request, attempt, "HTTP 429 on a repeat");
            }
            if (answer.status() == 401 || answer.status() == 403) {
                reject(order, GatewayRejectCode.AUTHENTICATION, "HTTP " + answer.status() + " " + truncate(answer.body()));
                return CompletableFuture.<Void>completedFuture(null);
            }
            JsonNode root = parse(answer.body());
            if (root == null && answer.status() / 100 == 2) {
                LOG.warn("coinbase: create of order {} answered HTTP {} with an unreadable body: {}", order.engineId, answer.status(),
                        truncate(answer.body()));
                return unknownCreate(order, request, attempt, "unreadable answer");
            }
            if (root != null && root.path("success").asBoolean(false)) {
                String venueId = root.path("success_response").path("order_id").asText("");
                if (venueId.isEmpty()) {
                    LOG.warn("coinbase: create of {} succeeded without an order_id: {}", order.clientText, truncate(answer.body()));
                }
                accepted(order, venueId.isEmpty() ? null : venueId);
                return CompletableFuture.<Void>completedFuture(null);
            }
            JsonNode error1 = root == null ? null : root.path("error_response");
            String reason = root == null ? answer.body() : String.join(" ", error1.path("new_order_failure_reason").asText(""),
                    error1.path("preview_failure_reason").asText(""), error1.path("error").asText(""),
                    root.path("failure_reason").asText(""), root.path("error").asText(""));
            String message = root == null ? "" : error1.path("message").asText(root.path("message").asText(""));
            reject(order, rejectCode(reason), "HTTP " + answer.status() + " " + reason.trim() + " " + message);
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Void> unknownCreate(Order order, OrderRequest request, int attempt, String why) {
        synchronized (order) {
            if (order.accepted || order.done) {
                LOG.info("coinbase: create of order {} answered {}, but the user channel already showed the order: nothing to repeat",
                        order.engineId, why);
                return CompletableFuture.completedFuture(null);
            }
        }
        if (attempt < settings.createRetries() && !closed) {
            LOG.warn("coinbase: create of order {} ({}) has an unknown outcome ({}); repeating it with the same client_order_id ({} of {})",
                    order.engineId, order.clientText, why, attempt + 1, settings.createRetries());
            return create(order, request, attempt + 1);
        }
        LOG.warn("coinbase: create of order {} ({}) has an unknown outcome ({}) after {} attempts; the engine's STATUS will resolve it",
                order.engineId, order.clientText, why, attempt + 1);
        return CompletableFuture.completedFuture(null);
    }

    private String createBody(Order order, OrderRequest request) {
        Instrument instrument = request.instrument();
        ObjectNode root = json.createObjectNode();
        root.put("client_order_id", order.clientText);
        root.put("product_id", instrument.venueSymbol());
        root.put("side", request.side().name());
        ObjectNode config = root.putObject("order_configuration");
        ObjectNode limit;
        if (request.timeInForce() == TimeInForce.IOC) {
            limit = config.putObject("sor_limit_ioc");
        } else if (request.timeInForce() == TimeInForce.FOK) {
            limit = config.putObject("limit_limit_fok");
        } else {
            limit = config.putObject("limit_limit_gtc");
        }
        limit.put("base_size", instrument.appendQuantity(request.quantityLots(), new StringBuilder()).toString());
        limit.put("limit_price", instrument.appendPrice(request.priceTicks(), new StringBuilder()).toString());
        if (request.timeInForce() == TimeInForce.GTC) {
            limit.put("post_only", request.postOnly());
        }
        return root.toString();
    }

    private CompletableFuture<Void> cancel(OrderRequest request, int attempt) {
        long id = request.targetClientOrderId();
        Order order = orders.get(id);
        if (order != null) {
            synchronized (order) {
                if (order.done) {
                    cancelRejected(request, order, GatewayRejectCode.UNKNOWN_ORDER, "the order is already done");
                    return CompletableFuture.completedFuture(null);
                }
                order.cancelRequested = true;
            }
        }
        return venueIdOf(request).thenCompose(venueId -> {
            if (venueId == null) {
                cancelRejected(request, order, GatewayRejectCode.UNKNOWN_ORDER, "not open on the venue");
                return CompletableFuture.<Void>completedFuture(null);
            }
            return batchCancel(List.of(venueId)).handle((results, error) -> {
                if (error != null) {
                    if (attempt < settings.requestRetries() && !closed) {
                        LOG.warn("coinbase: cancel of order {} failed ({}); repeating it", id, rootCause(error).toString());
                        return after(settings.retryDelay().toMillis()).thenCompose(v -> cancel(request, attempt + 1));
                    }
                    cancelRejected(request, order, GatewayRejectCode.VENUE_REJECTED, "no answer after " + (attempt + 1) + " attempts: " + rootCause(error));
                    return CompletableFuture.<Void>completedFuture(null);
                }
                JsonNode result = results.isEmpty() ? null : results.getFirst();
                if (result != null && result.path("success").asBoolean(false)) {
                    return afterCancelAccepted(request, venueId);
                }
                String reason = result == null ? "no result" : result.path("failure_reason").asText("");
                String upper = reason.toUpperCase(Locale.ROOT);
                GatewayRejectCode code = upper.contains("UNKNOWN") || upper.contains("NOT_FOUND") || upper.contains("DONE")
                        ? GatewayRejectCode.UNKNOWN_ORDER : GatewayRejectCode.VENUE_REJECTED;
                cancelRejected(request, order, code, reason);
                return CompletableFuture.<Void>completedFuture(null);
            }).thenCompose(f -> f);
        });
    }

    /**
     * The venue took the cancel. Its final state is read back, so that a fill that came just before
     * the cancel is reported (once) before CANCELLED, and the cancelled quantity is the venue's.
     */
    private CompletableFuture<Void> afterCancelAccepted(OrderRequest request, String venueId) {
        return fetchOrder(venueId, 0).handle((state, error) -> {
            Order order = state == null ? orders.get(request.targetClientOrderId()) : track(state);
            if (state != null && order != null) {
                synchronized (order) {
                    order.cancelRequested = true;
                }
                apply(order, state, 0);
            }
            if (order != null) {
                synchronized (order) {
                    if (!order.done) {
                        // the venue accepted the cancel but still shows the order (CANCEL_QUEUED): it is going
                        finish(order, ExecType.CANCELLED, Math.max(0, order.quantityLots - order.reportedCum), 0, 0);
                    }
                }
            } else {
                ExecutionReport r = new ExecutionReport().set(ExecType.CANCELLED, Venue.COINBASE.id(), request.instrument().id(),
                        request.targetClientOrderId(), ClientIdCodec.venueOrderKey(venueId), request.side(), request.priceTicks(), 0, 0);
                publish(r.cancelledQuantity(0));
            }
            return null;
        });
    }

    private CompletableFuture<Void> replace(OrderRequest request) {
        Order order = orders.get(request.targetClientOrderId());
        if (order == null) {
            cancelRejected(request, null, GatewayRejectCode.UNKNOWN_ORDER, "the gateway does not hold the order");
            return CompletableFuture.completedFuture(null);
        }
        String venueId;
        long size;
        synchronized (order) {
            if (order.done || order.venueId == null) {
                cancelRejected(request, order, GatewayRejectCode.UNKNOWN_ORDER, order.done ? "the order is already done" : "no venue order id known");
                return CompletableFuture.completedFuture(null);
            }
            venueId = order.venueId;
            // the engine asks for the quantity to remain open; Coinbase's size is the order's new total
            size = order.reportedCum + request.quantityLots();
        }
        long now = wallClock.getAsLong();
        if (!budget.tryAcquire(privateCharge, now)) {
            cancelRejected(request, order, budget.backingOffUntil() > now ? GatewayRejectCode.RATE_LIMITED : GatewayRejectCode.THROTTLED,
                    "not sent: no room in the request budget");
            return CompletableFuture.completedFuture(null);
        }
        Instrument instrument = order.instrument;
        ObjectNode body = json.createObjectNode();
        body.put("order_id", venueId);
        body.put("price", instrument.appendPrice(request.priceTicks(), new StringBuilder()).toString());
        body.put("size", instrument.appendQuantity(size, new StringBuilder()).toString());
        return call("POST", "/orders/edit", null, body.toString()).handle((answer, error) -> {
            if (error != null || answer.status() >= 500 || answer.status() == 429) {
                // the edit may or may not have happened: the venue's state says which
                String why = error != null ? rootCause(error).toString() : "HTTP " + answer.status();
                return fetchOrder(venueId, 0).handle((state, e2) -> {
                    if (state != null && state.priceTicks() == request.priceTicks() && state.sizeLots() == size) {
                        replaced(order, request, size);
                    } else {
                        cancelRejected(request, order, answer != null && answer.status() == 429 ? GatewayRejectCode.RATE_LIMITED
                                : GatewayRejectCode.VENUE_REJECTED, "edit failed: " + why);
                    }
                    return (Void) null;
                });
            }
            JsonNode root = parse(answer.body());
            if (answer.status() == 200 && root != null && root.path("success").asBoolean(false)) {
                replaced(order, request, size);
            } else {
                StringBuilder reason = new StringBuilder();
                if (root != null) {
                    for (JsonNode e : root.path("errors")) {
                        reason.append(e.path("edit_failure_reason").asText("")).append(' ').append(e.path("preview_failure_reason").asText("")).append(' ');
                    }
                    reason.append(root.path("error").asText("")).append(' ').append(root.path("message").asText(""));
                } else {
                    reason.append(answer.body());
                }
                String text = reason.toString().trim();
                GatewayRejectCode code = answer.status() == 401 || answer.status() == 403 ? GatewayRejectCode.AUTHENTICATION
                        : text.toUpperCase(Locale.ROOT).contains("NOT_FOUND") || text.toUpperCase(Locale.ROOT).contains("UNKNOWN_ORDER")
                        ? GatewayRejectCode.UNKNOWN_ORDER : rejectCode(text);
                cancelRejected(request, order, code, "HTTP " + answer.status() + " " + text);
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }

    private void replaced(Order order, OrderRequest request, long size) {
        synchronized (order) {
            order.priceTicks = request.priceTicks();
            order.quantityLots = size;
            ExecutionReport r = new ExecutionReport().set(ExecType.REPLACED, Venue.COINBASE.id(), order.instrument.id(), order.engineId,
                    ClientIdCodec.venueOrderKey(order.venueId), order.side, order.priceTicks, Math.max(0, size - order.reportedCum), 0);
            publish(r);
        }
    }

    private CompletableFuture<Void> status(OrderRequest request, int attempt) {
        Order order = orders.get(request.targetClientOrderId());
        String known;
        if (order != null) {
            synchronized (order) {
                known = order.venueId;
            }
        } else {
            known = null;
        }
        String clientText = ids.encode(request.targetClientOrderId());
        CompletableFuture<VenueState> lookup = known != null ? fetchOrder(known, 0)
                : findByClientId(clientText, request.instrument());
        return lookup.handle((state, error) -> {
            if (error != null) {
                if (attempt < settings.requestRetries() && !closed) {
                    LOG.warn("coinbase: status of order {} failed ({}); asking again", request.targetClientOrderId(), rootCause(error).toString());
                    return after(settings.retryDelay().toMillis()).thenCompose(v -> status(request, attempt + 1));
                }
                LOG.error("coinbase: status of order {} could not be read ({} attempts): {}", request.targetClientOrderId(), attempt + 1,
                        rootCause(error).toString());
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (state == null) {
                // the venue has no such order: the create never took effect
                if (order != null) {
                    synchronized (order) {
                        order.done = true;
                        order.doneAtMillis = wallClock.getAsLong();
                    }
                }
                ExecutionReport r = new ExecutionReport().set(ExecType.ORDER_STATUS, Venue.COINBASE.id(), request.instrument().id(),
                        request.targetClientOrderId(), 0, request.side(), request.priceTicks(), 0, 0);
                publish(r.cumulativeQuantity(0));
                return CompletableFuture.<Void>completedFuture(null);
            }
            Order tracked = track(state);
            reportStatus(tracked, state, 0, null);
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }

    /** ORDER_STATUS with the venue's leaves and cumulative; the engine books any difference itself */
    private void reportStatus(Order order, VenueState state, int reason, List<String> differences) {
        synchronized (order) {
            if (state.venueId() != null) {
                order.venueId = state.venueId();
            }
            if (differences != null && state.cumLots() != order.reportedCum) {
                differences.add("order " + order.clientText + " (" + state.venueId() + "): venue cumulative "
                        + order.instrument.lot().format(state.cumLots()) + ", reported " + order.instrument.lot().format(order.reportedCum));
            }
            order.accepted = true;
            order.priceTicks = state.priceTicks();
            order.quantityLots = state.sizeLots();
            ExecutionReport r = new ExecutionReport().set(ExecType.ORDER_STATUS, Venue.COINBASE.id(), order.instrument.id(),
                    order.engineId, ClientIdCodec.venueOrderKey(state.venueId()), order.side, state.priceTicks(), state.leavesLots(), 0);
            r.cumulativeQuantity(state.cumLots());
            if (reason != 0) {
                r.reason(reason);
            }
            publish(r);
            if (state.cumLots() > order.reportedCum) {
                countFill(order, state.cumLots() - order.reportedCum);
                order.reportedCum = state.cumLots();
                order.reportedValue = state.filledValue();
            }
            if (state.terminal() && !order.done) {
                order.done = true;
                order.doneAtMillis = wallClock.getAsLong();
            }
        }
    }

    // ---------------------------------------------------------------- venue state → reports

    /** the gateway's record of an order the venue described, made from the venue's data when the gateway had none */
    private Order track(VenueState state) {
        long id = ids.decode(state.clientText());
        if (id <= 0 || state.instrument() == null) {
            return null;
        }
        return orders.computeIfAbsent(id, k -> {
            Order o = new Order(id, state.clientText(), state.instrument(), state.side());
            o.priceTicks = state.priceTicks();
            o.quantityLots = state.sizeLots();
            o.venueId = state.venueId();
            o.accepted = true;
            // the engine learns this order's fills from ORDER_STATUS (reconciliation or its query), not from here
            o.reportedCum = state.cumLots();
            o.reportedValue = state.filledValue();
            return o;
        });
    }

    /**
     * Turns one venue state of an order into reports: ACCEPTED once, a fill for what the cumulative
     * quantity adds beyond what was reported, CANCELLED once when the venue ended it.
     */
    private void apply(Order order, VenueState state, long venueNanos) {
        synchronized (order) {
            if (state.venueId() != null && order.venueId == null) {
                order.venueId = state.venueId();
            }
            if ("FAILED".equals(state.status())) {
                if (!order.accepted) {
                    reject(order, GatewayRejectCode.VENUE_REJECTED, "the venue failed the order");
                } else if (!order.done) {
                    finish(order, ExecType.CANCELLED, Math.max(0, order.quantityLots - order.reportedCum), GatewayRejectCode.VENUE_CANCELLED.code(), venueNanos);
                }
                return;
            }
            if (!order.accepted && !"PENDING".equals(state.status())) {
                accepted(order, state.venueId());
            }
            long cum = state.cumLots();
            if (cum > order.reportedCum) {
                long delta = cum - order.reportedCum;
                long price = fillPrice(order, state, delta);
                String tradeText = order.venueId + ":" + cum;
                if (trades.firstTime(tradeText)) {
                    long leaves = Math.max(0, order.quantityLots - cum);
                    ExecType type = leaves == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED;
                    ExecutionReport r = new ExecutionReport().set(type, Venue.COINBASE.id(), order.instrument.id(), order.engineId,
                            ClientIdCodec.venueOrderKey(order.venueId), order.side, order.priceTicks, leaves, venueNanos);
                    r.fill(ClientIdCodec.venueOrderKey(tradeText), price, delta, order.postOnly || order.rested);
                    publish(r);
                    countFill(order, delta);
                }
                order.reportedCum = cum;
                order.reportedValue = state.filledValue();
            } else if ("OPEN".equals(state.status())) {
                order.rested = true;
            }
            if (order.done) {
                return;
            }
            if ("CANCELLED".equals(state.status()) || "EXPIRED".equals(state.status())) {
                int reason = order.cancelRequested && "CANCELLED".equals(state.status()) ? 0 : GatewayRejectCode.VENUE_CANCELLED.code();
                finish(order, ExecType.CANCELLED, Math.max(0, order.quantityLots - cum), reason, venueNanos);
            } else if ("FILLED".equals(state.status()) || cum >= order.quantityLots) {
                order.done = true;
                order.doneAtMillis = wallClock.getAsLong();
            }
        }
    }

    /** the fill's price: the increase of filled_value over the quantity's increase, on the tick grid */
    private static long fillPrice(Order order, VenueState state, long deltaLots) {
        Instrument instrument = order.instrument;
        BigDecimal lot = new BigDecimal(instrument.lot().step());
        BigDecimal tick = new BigDecimal(instrument.tick().step());
        if (state.filledValue() != null && order.reportedValue != null) {
            BigDecimal value = state.filledValue().subtract(order.reportedValue);
            BigDecimal quantity = lot.multiply(BigDecimal.valueOf(deltaLots));
            if (value.signum() > 0) {
                return value.divide(quantity.multiply(tick), 0, RoundingMode.HALF_EVEN).longValueExact();
            }
        }
        if (order.reportedCum == 0 && state.avgPrice() != null && state.avgPrice().signum() > 0) {
            return state.avgPrice().divide(tick, 0, RoundingMode.HALF_EVEN).longValueExact();
        }
        // no value to go by: a limit order fills at its limit or better; the limit is the honest fallback
        return order.priceTicks;
    }

    private void countFill(Order order, long lots) {
        netFillsSinceReconcile.computeIfAbsent(order.instrument.id(), k -> new AtomicLong())
                .addAndGet(order.side == Side.BUY ? lots : -lots);
    }

    private void accepted(Order order, String venueId) {
        synchronized (order) {
            if (venueId != null) {
                order.venueId = venueId;
            }
            if (order.accepted || order.done) {
                return;
            }
            order.accepted = true;
            ExecutionReport r = new ExecutionReport().set(ExecType.ACCEPTED, Venue.COINBASE.id(), order.instrument.id(), order.engineId,
                    ClientIdCodec.venueOrderKey(order.venueId), order.side, order.priceTicks, order.quantityLots, 0);
            publish(r);
        }
    }

    private void reject(Order order, GatewayRejectCode code, String why) {
        if (code == GatewayRejectCode.THROTTLED) {
            // refused here, not by the venue: a storm of these is the budget working, one line each would drown the log
            LOG.debug("coinbase: order {} ({}) rejected {}: {}", order.engineId, order.clientText, code, why);
        } else {
            LOG.warn("coinbase: order {} ({}) rejected {}: {}", order.engineId, order.clientText, code, why);
        }
        synchronized (order) {
            if (order.accepted || order.done) {
                return;
            }
            order.done = true;
            order.doneAtMillis = wallClock.getAsLong();
            ExecutionReport r = new ExecutionReport().set(ExecType.REJECTED, Venue.COINBASE.id(), order.instrument.id(), order.engineId,
                    0, order.side, order.priceTicks, 0, 0);
            publish(r.reason(code.code()));
        }
    }

    /** CANCELLED (under the order's lock) */
    private void finish(Order order, ExecType type, long cancelledLots, int reason, long venueNanos) {
        order.done = true;
        order.doneAtMillis = wallClock.getAsLong();
        ExecutionReport r = new ExecutionReport().set(type, Venue.COINBASE.id(), order.instrument.id(), order.engineId,
                ClientIdCodec.venueOrderKey(order.venueId), order.side, order.priceTicks, 0, venueNanos);
        r.cancelledQuantity(cancelledLots);
        if (reason != 0) {
            r.reason(reason);
        }
        publish(r);
    }

    private void cancelRejected(OrderRequest request, Order order, GatewayRejectCode code, String why) {
        LOG.warn("coinbase: {} of order {} refused {}: {}", request.type(), request.targetClientOrderId(), code, why);
        long venueKey = 0;
        long price = request.priceTicks();
        Side side = request.side();
        if (order != null) {
            synchronized (order) {
                venueKey = ClientIdCodec.venueOrderKey(order.venueId);
                price = order.priceTicks;
                side = order.side;
            }
        }
        ExecutionReport r = new ExecutionReport().set(ExecType.CANCEL_REJECTED, Venue.COINBASE.id(), request.instrument().id(),
                request.targetClientOrderId(), venueKey, side, price, 0, 0);
        publish(r.reason(code.code()));
    }

    private void refuseClosed(OrderRequest request) {
        switch (request.type()) {
            case NEW -> publish(new ExecutionReport().set(ExecType.REJECTED, Venue.COINBASE.id(), request.instrument().id(),
                    request.clientOrderId(), 0, request.side(), request.priceTicks(), 0, 0).reason(GatewayRejectCode.NOT_CONNECTED.code()));
            case CANCEL, REPLACE -> cancelRejected(request, null, GatewayRejectCode.NOT_CONNECTED, "the gateway is closed");
            default -> LOG.warn("coinbase: {} of order {} dropped: the gateway is closed", request.type(), request.targetClientOrderId());
        }
    }

    private void publish(ExecutionReport report) {
        GatewayReports sink = reports;
        if (sink == null) {
            LOG.error("coinbase: a report before start() was dropped: {} of order {}", report.execType(), report.clientOrderId());
            return;
        }
        sink.report(report);
    }

    // ---------------------------------------------------------------- queries

    @Override
    public CompletableFuture<List<VenueOrder>> openOrders() {
        return listOrders("OPEN", instruments).thenApply(states -> {
            List<VenueOrder> out = new ArrayList<>();
            for (VenueState s : states) {
                out.add(new VenueOrder(s.clientText(), s.venueId(), s.instrument() == null ? -1 : s.instrument().id(), s.side(),
                        s.priceTicks(), s.sizeLots(), s.cumLots()));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<List<VenueBalance>> balances() {
        return accountsPage(null, new ArrayList<>(), 0);
    }

    private CompletableFuture<List<VenueBalance>> accountsPage(String cursor, List<VenueBalance> into, int page) {
        String query = "limit=250" + (cursor == null ? "" : "&cursor=" + encode(cursor));
        return query("GET", "/accounts", query, null).thenCompose(root -> {
            for (JsonNode a : root.path("accounts")) {
                into.add(new VenueBalance(a.path("currency").asText(), decimal(a.path("available_balance").path("value")),
                        decimal(a.path("hold").path("value"))));
            }
            String next = root.path("cursor").asText("");
            if (root.path("has_next").asBoolean(false) && !next.isEmpty() && page < 100) {
                return accountsPage(next, into, page + 1);
            }
            return CompletableFuture.completedFuture(List.copyOf(into));
        });
    }

    @Override
    public CompletableFuture<VenueFees> fees(Instrument instrument) {
        return query("GET", "/transaction_summary", "product_type=SPOT", null).thenApply(root -> {
            JsonNode tier = root.path("fee_tier");
            return new VenueFees(instrument.venueSymbol(), decimal(tier.path("maker_fee_rate")), decimal(tier.path("taker_fee_rate")));
        });
    }

    @Override
    public CompletableFuture<Integer> cancelAll() {
        return cancelOpen(-1);
    }

    /** lists the open orders (of one instrument, or all of ours when -1) and batch-cancels them: Coinbase has no cancel-all */
    private CompletableFuture<Integer> cancelOpen(int instrumentId) {
        List<Instrument> scope = instrumentId < 0 ? instruments : List.of(registry.get(instrumentId));
        return listOrders("OPEN", scope).thenCompose(open -> {
            List<String> venueIds = new ArrayList<>();
            for (VenueState s : open) {
                if (s.instrument() != null) {
                    venueIds.add(s.venueId());
                }
            }
            return batchCancelAll(venueIds);
        });
    }

    private CompletableFuture<Integer> batchCancelAll(List<String> venueIds) {
        CompletableFuture<Integer> total = CompletableFuture.completedFuture(0);
        for (int i = 0; i < venueIds.size(); i += CANCEL_BATCH) {
            List<String> batch = venueIds.subList(i, Math.min(venueIds.size(), i + CANCEL_BATCH));
            total = total.thenCompose(n -> batchCancel(batch).thenApply(results -> {
                int ok = 0;
                for (JsonNode r : results) {
                    if (r.path("success").asBoolean(false)) {
                        ok++;
                    } else {
                        LOG.warn("coinbase: cancel of {} refused: {}", r.path("order_id").asText(), r.path("failure_reason").asText());
                    }
                }
                return n + ok;
            }));
        }
        return total;
    }

    private CompletableFuture<List<JsonNode>> batchCancel(List<String> venueIds) {
        ObjectNode body = json.createObjectNode();
        ArrayNode array = body.putArray("order_ids");
        venueIds.forEach(array::add);
        return query("POST", "/orders/batch_cancel", null, body.toString()).thenApply(root -> {
            List<JsonNode> out = new ArrayList<>();
            root.path("results").forEach(out::add);
            return out;
        });
    }

    /** every order of the given status (null: any) on the given instruments, following the cursor */
    private CompletableFuture<List<VenueState>> listOrders(String status, List<Instrument> scope) {
        StringBuilder query = new StringBuilder("limit=100");
        if (status != null) {
            query.append("&order_status=").append(status);
        }
        for (Instrument i : scope) {
            query.append("&product_ids=").append(encode(i.venueSymbol()));
        }
        return ordersPage(query.toString(), null, new ArrayList<>(), 0, status == null ? HISTORY_PAGES : 1000);
    }

    private CompletableFuture<List<VenueState>> ordersPage(String query, String cursor, List<VenueState> into, int page, int maxPages) {
        return query("GET", "/orders/historical/batch", query + (cursor == null ? "" : "&cursor=" + encode(cursor)), null).thenCompose(root -> {
            for (JsonNode o : root.path("orders")) {
                VenueState s = restState(o);
                if (s != null) {
                    into.add(s);
                }
            }
            String next = root.path("cursor").asText("");
            if (root.path("has_next").asBoolean(false) && !next.isEmpty() && page + 1 < maxPages) {
                return ordersPage(query, next, into, page + 1, maxPages);
            }
            return CompletableFuture.completedFuture(into);
        });
    }

    /** one order by venue id; completes with null when the venue does not know it */
    private CompletableFuture<VenueState> fetchOrder(String venueId, int attempt) {
        return privateRequest("GET", "/orders/historical/" + encode(venueId), null, null).thenCompose(answer -> {
            if (answer.status() == 404) {
                return CompletableFuture.<VenueState>completedFuture(null);
            }
            if (answer.status() >= 500 && attempt < settings.requestRetries() && !closed) {
                return after(settings.retryDelay().toMillis()).thenCompose(v -> fetchOrder(venueId, attempt + 1));
            }
            JsonNode root = expectOk(answer, "GET /orders/historical/" + venueId);
            return CompletableFuture.completedFuture(restState(root.path("order")));
        });
    }

    /** an order we have no venue id for: searched in the venue's recent order history of its product */
    private CompletableFuture<VenueState> findByClientId(String clientText, Instrument instrument) {
        return listOrders(null, List.of(instrument)).thenApply(all -> {
            for (VenueState s : all) {
                if (clientText.equals(s.clientText())) {
                    return s;
                }
            }
            return null;
        });
    }

    private CompletableFuture<String> venueIdOf(OrderRequest request) {
        Order order = orders.get(request.targetClientOrderId());
        if (order != null) {
            synchronized (order) {
                if (order.venueId != null) {
                    return CompletableFuture.completedFuture(order.venueId);
                }
            }
        }
        String clientText = ids.encode(request.targetClientOrderId());
        return listOrders("OPEN", List.of(request.instrument())).thenApply(open -> {
            for (VenueState s : open) {
                if (clientText.equals(s.clientText())) {
                    return s.venueId();
                }
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- reconciliation

    private void reconcile(String trigger) {
        GatewayReports sink = reports;
        if (sink == null || closed) {
            return;
        }
        sink.recheckOpenOrders(Venue.COINBASE);
        listOrders("OPEN", instruments).thenCombine(balances(), (open, balances) -> {
            List<String> differences = new ArrayList<>();
            List<String> foreign = new ArrayList<>();
            int ours = 0;
            for (VenueState s : open) {
                Order order = track(s);
                if (order != null) {
                    ours++;
                    reportStatus(order, s, GatewayRejectCode.RECONCILED.code(), differences);
                } else if (s.instrument() != null) {
                    foreign.add(s.venueId());
                    differences.add("foreign order " + s.venueId() + " (client id '" + s.clientText() + "') " + s.side() + " "
                            + s.instrument().lot().format(s.sizeLots()) + " " + s.product() + " @ " + s.instrument().tick().format(s.priceTicks()));
                }
            }
            balanceDifferences(balances, differences);
            int ourCount = ours;
            CompletableFuture<Integer> cancelled = settings.unknownOrders() == UnknownOrderPolicy.CANCEL && !foreign.isEmpty()
                    ? batchCancelAll(foreign) : CompletableFuture.completedFuture(0);
            return cancelled.handle((n, e) -> {
                if (e != null) {
                    differences.add("cancelling foreign orders failed: " + rootCause(e));
                }
                boolean cancelling = settings.unknownOrders() == UnknownOrderPolicy.CANCEL && e == null;
                Reconciliation result = new Reconciliation(Venue.COINBASE, trigger, ourCount, cancelling ? foreign : List.of(),
                        cancelling ? List.of() : foreign, balances, differences);
                reconciliations.incrementAndGet();
                lastReconcile = result.summary();
                LOG.info("{}", result.summary());
                sink.reconciled(result);
                return (Void) null;
            });
        }).thenCompose(f -> f).whenComplete((v, e) -> {
            if (e != null) {
                LOG.error("coinbase: reconciliation ({}) failed: {}", trigger, rootCause(e).toString());
                lastReconcile = "failed: " + rootCause(e);
            }
        });
    }

    /** each asset's balance change since the previous reconciliation, beside the net fills reported for it */
    private synchronized void balanceDifferences(List<VenueBalance> balances, List<String> differences) {
        Map<String, BigDecimal> now = new TreeMap<>();
        for (VenueBalance b : balances) {
            now.merge(b.asset(), b.total(), BigDecimal::add);
        }
        Map<String, BigDecimal> fills = new HashMap<>();
        for (Map.Entry<Integer, AtomicLong> e : netFillsSinceReconcile.entrySet()) {
            long lots = e.getValue().getAndSet(0);
            Instrument instrument = registry.get(e.getKey());
            fills.merge(instrument.venueBase(), new BigDecimal(instrument.lot().step()).multiply(BigDecimal.valueOf(lots)), BigDecimal::add);
        }
        if (previousBalances != null) {
            for (Map.Entry<String, BigDecimal> e : now.entrySet()) {
                BigDecimal change = e.getValue().subtract(previousBalances.getOrDefault(e.getKey(), BigDecimal.ZERO));
                BigDecimal filled = fills.get(e.getKey());
                boolean base = instruments.stream().anyMatch(i -> i.venueBase().equals(e.getKey()));
                if (change.signum() != 0 || (filled != null && filled.signum() != 0)) {
                    // fills are counted in the base asset; a quote asset's change is listed on its own
                    differences.add(e.getKey() + " balance changed by " + change.stripTrailingZeros().toPlainString()
                            + " since the previous reconciliation" + (base ? "; net fills reported "
                            + (filled == null ? BigDecimal.ZERO : filled).stripTrailingZeros().toPlainString() : ""));
                }
            }
        }
        previousBalances = now;
    }

    private void forgetOldDoneOrders() {
        long cutoff = wallClock.getAsLong() - DONE_RETENTION_MILLIS;
        orders.values().removeIf(o -> {
            synchronized (o) {
                return o.done && o.doneAtMillis < cutoff;
            }
        });
    }

    // ---------------------------------------------------------------- clock

    private CompletableFuture<Void> measureClock() {
        return whenBudget(publicCharge).thenCompose(v -> {
            long sent = wallClock.getAsLong();
            HttpRequest request = HttpRequest.newBuilder(URI.create(settings.restBase() + "/time"))
                    .timeout(settings.requestTimeout()).GET().build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAcceptAsync(response -> {
                long received = wallClock.getAsLong();
                JsonNode root = parse(response.body());
                long serverMillis = root == null ? -1 : root.path("epochMillis").asLong(-1);
                if (serverMillis < 0 && root != null) {
                    serverMillis = root.path("epochSeconds").asLong(-1) * 1000;
                }
                if (response.statusCode() != 200 || serverMillis <= 0) {
                    LOG.warn("coinbase: GET /time answered {} {}: keeping the local clock", response.statusCode(), truncate(response.body()));
                    return;
                }
                clock.measured(serverMillis, sent, received);
                LOG.info("coinbase: venue clock offset {} ms (round trip {} ms)", clock.offsetMillis(), clock.roundTripMillis());
                String problem = clock.skewProblem(30_000, "coinbase");
                if (problem != null) {
                    LOG.error("{} (JWTs are dated with the venue's time, but a large offset means the host clock is wrong)", problem);
                }
            }, answers);
        }).exceptionally(e -> {
            LOG.warn("coinbase: the server time could not be read ({}); JWTs use the local clock", rootCause(e).toString());
            return null;
        });
    }

    // ---------------------------------------------------------------- HTTP

    /** a private query that waits for budget, repeats after 429, and fails on anything but 2xx */
    private CompletableFuture<JsonNode> query(String method, String path, String query, String body) {
        return privateRequest(method, path, query, body).thenApply(answer -> expectOk(answer, method + " " + path));
    }

    /** waits for room, sends; after a 429 (the back-off is recorded by {@link #call}) waits and sends again */
    private CompletableFuture<Answer> privateRequest(String method, String path, String query, String body) {
        return whenBudget(privateCharge).thenCompose(v -> call(method, path, query, body)).thenCompose(answer -> {
            if (answer.status() == 429 && !closed) {
                return privateRequest(method, path, query, body);
            }
            return CompletableFuture.completedFuture(answer);
        });
    }

    private JsonNode expectOk(Answer answer, String what) {
        JsonNode root = parse(answer.body());
        if (answer.status() / 100 != 2 || root == null) {
            throw new CompletionException(new IllegalStateException(what + " answered HTTP " + answer.status() + ": " + truncate(answer.body())));
        }
        return root;
    }

    /** one signed request; the budget was spent by the caller */
    private CompletableFuture<Answer> call(String method, String path, String query, String body) {
        String fullPath = basePath + path;
        String token = signer.restToken(method, authority, fullPath, Math.floorDiv(clock.venueMillis(), 1000));
        URI uri = URI.create(settings.restBase().getScheme() + "://" + authority + fullPath + (query == null ? "" : "?" + query));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).handleAsync((response, error) -> {
            if (error != null) {
                throw error instanceof CompletionException c ? c : new CompletionException(error);
            }
            Answer answer = new Answer(response.statusCode(), response.body(), response.headers());
            long now = wallClock.getAsLong();
            if (answer.status() == 429) {
                int repeated = consecutive429.incrementAndGet();
                long fallback = Math.min(MAX_429_BACKOFF_MILLIS, 1000L << Math.min(repeated - 1, 5));
                String retryAfter = answer.headers().firstValue("Retry-After").orElse(null);
                long until = RequestBudget.retryAfterDeadline(retryAfter, now, fallback);
                budget.backOff(until, "HTTP 429 on " + method + " " + path);
                LOG.warn("coinbase: HTTP 429 on {} {}: nothing is sent for {} ms (Retry-After {})", method, path, until - now, retryAfter);
            } else {
                consecutive429.set(0);
            }
            if (answer.status() >= 400 && answer.status() != 429 && answer.status() != 404) {
                LOG.warn("coinbase: {} {} answered HTTP {}: {}", method, path, answer.status(), truncate(answer.body()));
            }
            return answer;
        }, answers);
    }

    /** completes when the charge has been spent; waits (on the scheduler) while it does not fit */
    private CompletableFuture<Void> whenBudget(RequestBudget.Charge charge) {
        return budget.acquireWhenFits(charge, wallClock, scheduler, () -> closed);
    }

    private CompletableFuture<Void> after(long millis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            scheduler.schedule(() -> done.complete(null), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    // ---------------------------------------------------------------- parsing

    /** an order object of the REST API (historical order) */
    private VenueState restState(JsonNode o) {
        if (o == null || o.isMissingNode() || o.isNull()) {
            return null;
        }
        try {
            String product = o.path("product_id").asText("");
            Instrument instrument = registry.find(Venue.COINBASE, product);
            JsonNode config = o.path("order_configuration");
            JsonNode limit = config.isObject() && config.size() > 0 ? config.elements().next() : json.createObjectNode();
            long price = 0;
            long size = 0;
            long cum = 0;
            if (instrument != null) {
                price = ticks(instrument, limit.path("limit_price"));
                size = lots(instrument, limit.path("base_size"));
                cum = lots(instrument, o.path("filled_size"));
            }
            return new VenueState(o.path("order_id").asText(null), o.path("client_order_id").asText(""), instrument, product,
                    side(o.path("side").asText()), o.path("status").asText(""), price, size, cum,
                    nullableDecimal(o.path("filled_value")), nullableDecimal(o.path("average_filled_price")));
        } catch (RuntimeException e) {
            LOG.warn("coinbase: unreadable order {}: {}", truncate(o.toString()), e.toString());
            return null;
        }
    }

    /** an order of the user channel */
    private VenueState streamState(JsonNode o, Instrument instrument) {
        long cum = lots(instrument, o.path("cumulative_quantity"));
        long leaves = lots(instrument, o.path("leaves_quantity"));
        return new VenueState(o.path("order_id").asText(null), o.path("client_order_id").asText(""), instrument, instrument.venueSymbol(),
                side(o.path("order_side").asText()), o.path("status").asText(""), ticks(instrument, o.path("limit_price")), cum + leaves, cum,
                nullableDecimal(o.path("filled_value")), nullableDecimal(o.path("avg_price")));
    }

    private static long ticks(Instrument instrument, JsonNode text) {
        String s = text.asText("");
        return s.isEmpty() ? 0 : instrument.priceTicks(stripZeros(s));
    }

    private static long lots(Instrument instrument, JsonNode text) {
        String s = text.asText("");
        return s.isEmpty() ? 0 : instrument.quantityLots(stripZeros(s));
    }

    /** Coinbase pads decimals ("0.01000000"); trailing zeros are not off the grid */
    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '0') {
            end--;
        }
        if (end > 0 && s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    private static Side side(String text) {
        return "SELL".equalsIgnoreCase(text) ? Side.SELL : Side.BUY;
    }

    private static BigDecimal decimal(JsonNode node) {
        BigDecimal d = nullableDecimal(node);
        return d == null ? BigDecimal.ZERO : d;
    }

    private static BigDecimal nullableDecimal(JsonNode node) {
        String s = node.asText("");
        if (s.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private JsonNode parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Coinbase's failure reason text to the engine's code: post-only crossing (any reason naming
     * POST_ONLY), insufficient funds, else a plain venue refusal.
     */
    static GatewayRejectCode rejectCode(String reason) {
        String upper = reason == null ? "" : reason.toUpperCase(Locale.ROOT);
        if (upper.contains("POST_ONLY")) {
            return GatewayRejectCode.POST_ONLY_WOULD_TAKE;
        }
        if (upper.contains("INSUFFICIENT_FUND")) {
            return GatewayRejectCode.INSUFFICIENT_FUNDS;
        }
        if (upper.contains("UNAUTHENTICATED") || upper.contains("PERMISSION_DENIED")) {
            return GatewayRejectCode.AUTHENTICATION;
        }
        return GatewayRejectCode.VENUE_REJECTED;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    // ---------------------------------------------------------------- status and life

    @Override
    public GatewayStatus status() {
        long now = wallClock.getAsLong();
        long until = budget.backingOffUntil();
        return new GatewayStatus(streamConnected, until > now ? until : 0, budget.fullest(now), clock.offsetMillis(),
                reconciliations.get(), lastReconcile);
    }

    @Override
    public void close() {
        closed = true;
        if (session != null) {
            session.close();
        }
        scheduler.shutdownNow();
        // in-flight requests are abandoned: their outcome is what reconciliation is for
        http.shutdownNow();
        answers.shutdownNow();
    }

    /**
     * The user channel: subscribes (heartbeats and user, each with a fresh JWT) on every connection,
     * checks the per-connection {@code sequence_num}, and turns order states into reports. Called
     * by the session under its lock, one thread at a time.
     */
    private final class UserChannel implements WebSocketFeedSession.Handler {
        private long lastSequence = -1;
        private int connections;

        @Override
        public List<String> subscriptions() {
            String jwt = signer.streamToken(Math.floorDiv(clock.venueMillis(), 1000));
            ArrayNode products = json.createArrayNode();
            instruments.forEach(i -> products.add(i.venueSymbol()));
            ObjectNode heartbeats = json.createObjectNode().put("type", "subscribe").put("channel", "heartbeats").put("jwt", jwt);
            ObjectNode user = json.createObjectNode().put("type", "subscribe").put("channel", "user").put("jwt", jwt);
            user.set("product_ids", products);
            return List.of(heartbeats.toString(), user.toString());
        }

        @Override
        public void onConnected() {
            lastSequence = -1;
            reconcileLater(connections++ == 0 ? "start" : "reconnect");
        }

        private void reconcileLater(String trigger) {
            try {
                scheduler.execute(() -> reconcile(trigger));
            } catch (RejectedExecutionException e) {
                LOG.debug("coinbase: closing, no reconciliation ({})", trigger);
            }
        }

        @Override
        public void onMessage(String message) {
            try {
                JsonNode root = json.readTree(message);
                if ("error".equals(root.path("type").asText())) {
                    LOG.warn("coinbase user channel error: {}", truncate(message));
                    return;
                }
                long sequence = root.path("sequence_num").asLong(-1);
                if (sequence >= 0) {
                    if (lastSequence >= 0 && sequence <= lastSequence) {
                        LOG.debug("coinbase user channel: late message {} after {}", sequence, lastSequence);
                        return;
                    }
                    if (lastSequence >= 0 && sequence > lastSequence + 1) {
                        LOG.warn("coinbase user channel: sequence gap {} → {}: messages were lost, reconciling", lastSequence, sequence);
                        reconcileLater("sequence gap");
                    }
                    lastSequence = sequence;
                }
                if (!"user".equals(root.path("channel").asText())) {
                    return;
                }
                long nanos = timestampNanos(root.path("timestamp").asText(""));
                for (JsonNode event : root.path("events")) {
                    if ("snapshot".equals(event.path("type").asText())) {
                        // subscribed: from here on the channel reports every change of our orders
                        streamConnected = true;
                    }
                    for (JsonNode o : event.path("orders")) {
                        try {
                            onOrder(o, nanos);
                        } catch (RuntimeException e) {
                            // one unreadable order must not hide the others of the message
                            LOG.warn("coinbase user channel: unreadable order ({}): {}", e.toString(), truncate(o.toString()));
                        }
                    }
                }
            } catch (Exception e) {
                LOG.warn("coinbase user channel: malformed message ({}): {}", e.toString(), truncate(message));
            }
        }

        private void onOrder(JsonNode o, long nanos) {
            long id = ids.decode(o.path("client_order_id").asText(""));
            Order order = id > 0 ? orders.get(id) : null;
            if (order == null) {
                // not ours, or an order of an earlier run: reconciliation and the engine's STATUS queries handle those
                return;
            }
            apply(order, streamState(o, order.instrument), nanos);
        }

        private long timestampNanos(String text) {
            if (text.isEmpty()) {
                return 0;
            }
            try {
                Instant t = Instant.parse(text);
                return t.getEpochSecond() * 1_000_000_000L + t.getNano();
            } catch (RuntimeException e) {
                return 0;
            }
        }

        @Override
        public void onDisconnected(String reason) {
            streamConnected = false;
            if (!closed) {
                LOG.warn("coinbase user channel down ({}): reconnecting, then reconciling", reason);
            }
        }
    }
}
