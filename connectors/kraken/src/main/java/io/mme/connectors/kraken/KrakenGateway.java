package io.mme.connectors.kraken;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommandType;
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

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Kraken spot order entry over REST ({@code /0/private/AddOrder}, {@code CancelOrder},
 * {@code AmendOrder}, {@code QueryOrders} ...) with the WebSocket v2 {@code executions} channel as
 * the private stream, behind the engine's {@link VenueGateway} contract.
 *
 * <p>Owns: the per-order state (engine id, Kraken txid, quantity, the cumulative quantity already
 * reported), the request budget (Kraken's REST call counter and one trading counter per pair), the
 * nonce (in {@link KrakenSigner}), the private stream connection and reconciliation.
 *
 * <p>Threads: {@link #submit} (the outbound consumer) and the query methods (any thread) only hand
 * work to the gateway's single thread, {@code kraken-gateway}, which owns every field below that is
 * not final or volatile: request building, response handling, stream messages, reconnects and
 * reconciliation all run there, so order state needs no locks. The HTTP client's and WebSocket's
 * own threads only complete futures and forward to that thread.
 *
 * <p>Private REST calls go out one at a time: Kraken refuses a nonce lower than one it has already
 * seen, and two requests in flight on two connections may arrive in either order. A request that
 * times out holds the lane for at most the request timeout.
 */
public final class KrakenGateway implements VenueGateway {
    private static final Logger LOG = LoggerFactory.getLogger(KrakenGateway.class);
    private static final String REST_COUNTER = "REST_COUNTER";
    private static final String TRADING_PREFIX = "TRADING ";
    private static final int LOG_TEXT_MAX = 300;

    /**
     * How to reach Kraken and how hard to use it.
     *
     * @param restBase                   REST origin; private calls go to {@code restBase + /0/private/<Method>}
     * @param privateStream              the authenticated WebSocket v2 endpoint
     * @param requestTimeout             a REST answer slower than this leaves the outcome unknown
     * @param connectTimeout             for HTTP and WebSocket connections
     * @param restPairs                  our instruments' WS v2 symbols ({@code BTC/USD}) to Kraken's REST pair names ({@code XBTUSD})
     * @param restCounterMax             the REST call counter's maximum (Starter 15)
     * @param restCounterDecayPerSecond  its decay (Starter 0.33/s)
     * @param tradingCounterMax          the per-pair trading counter's maximum (Starter 60)
     * @param tradingCounterDecayPerSecond its decay (Starter: unpublished, 1/s assumed)
     * @param cancelCost                 what a cancel or amend adds to the trading counter (8: the cost under 5 s of age, the highest)
     * @param budgetSafety               the share of each limit the gateway spends, in (0, 1]
     * @param rateLimitBackoff           the first pause after a rate-limit error; doubles while they repeat
     * @param maxRateLimitBackoff        the longest pause
     * @param reconnectBackoff           the first wait before reconnecting the private stream; doubles while it fails
     * @param maxReconnectBackoff        the longest such wait
     * @param pingInterval               application-level ping on the private stream; silence for three of them drops the connection
     * @param cancelRetries              how often a cancel whose outcome is unknown (timeout, busy) is sent again before it is reported refused
     * @param unknownOrders              what reconciliation does with open orders that are not ours
     * @param userAgent                  the User-Agent header Kraken requires
     */
    public record Settings(URI restBase, URI privateStream, Duration requestTimeout, Duration connectTimeout,
                           Map<String, String> restPairs, double restCounterMax, double restCounterDecayPerSecond,
                           double tradingCounterMax, double tradingCounterDecayPerSecond, double cancelCost,
                           double budgetSafety, Duration rateLimitBackoff, Duration maxRateLimitBackoff,
                           Duration reconnectBackoff, Duration maxReconnectBackoff, Duration pingInterval,
                           int cancelRetries, UnknownOrderPolicy unknownOrders, String userAgent) {
        public Settings {
            restPairs = Map.copyOf(restPairs);
        }

        /**
         * Production endpoints with Starter-tier limits and no REST pair names yet (give them with
         * {@link #withRestPairs}).
         *
         * @throws IllegalArgumentException for TESTNET (Kraken has no spot test environment) and PAPER
         */
        public static Settings forMode(VenueMode mode) {
            return switch (mode) {
                case LIVE -> new Settings(URI.create("https://api.kraken.com"), URI.create("wss://ws-auth.kraken.com/v2"),
                        Duration.ofSeconds(5), Duration.ofSeconds(5), Map.of(), 15, 0.33, 60, 1.0, 8, 0.8,
                        Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(30),
                        Duration.ofSeconds(30), 5, UnknownOrderPolicy.CANCEL, "mme/0.1");
                case TESTNET -> throw new IllegalArgumentException("kraken has no spot test environment (its beta URLs trade on the "
                        + "production engine): run kraken in paper mode, or in live mode with real keys and small sizes");
                case PAPER -> throw new IllegalArgumentException("kraken in paper mode runs on the engine's own paper venue, not on a gateway");
            };
        }

        public Settings withRestPairs(Map<String, String> pairs) {
            return new Settings(restBase, privateStream, requestTimeout, connectTimeout, pairs, restCounterMax, restCounterDecayPerSecond,
                    tradingCounterMax, tradingCounterDecayPerSecond, cancelCost, budgetSafety, rateLimitBackoff, maxRateLimitBackoff,
                    reconnectBackoff, maxReconnectBackoff, pingInterval, cancelRetries, unknownOrders, userAgent);
        }

        public Settings withEndpoints(URI rest, URI stream) {
            return new Settings(rest, stream, requestTimeout, connectTimeout, restPairs, restCounterMax, restCounterDecayPerSecond,
                    tradingCounterMax, tradingCounterDecayPerSecond, cancelCost, budgetSafety, rateLimitBackoff, maxRateLimitBackoff,
                    reconnectBackoff, maxReconnectBackoff, pingInterval, cancelRetries, unknownOrders, userAgent);
        }

        public Settings withTimings(Duration request, Duration rateLimit, Duration reconnect, Duration ping) {
            return new Settings(restBase, privateStream, request, connectTimeout, restPairs, restCounterMax, restCounterDecayPerSecond,
                    tradingCounterMax, tradingCounterDecayPerSecond, cancelCost, budgetSafety, rateLimit, maxRateLimitBackoff,
                    reconnect, maxReconnectBackoff, ping, cancelRetries, unknownOrders, userAgent);
        }

        public Settings withLimits(double restMax, double restDecay, double tradingMax, double tradingDecay) {
            return new Settings(restBase, privateStream, requestTimeout, connectTimeout, restPairs, restMax, restDecay,
                    tradingMax, tradingDecay, cancelCost, budgetSafety, rateLimitBackoff, maxRateLimitBackoff,
                    reconnectBackoff, maxReconnectBackoff, pingInterval, cancelRetries, unknownOrders, userAgent);
        }

        public Settings withUnknownOrders(UnknownOrderPolicy policy) {
            return new Settings(restBase, privateStream, requestTimeout, connectTimeout, restPairs, restCounterMax, restCounterDecayPerSecond,
                    tradingCounterMax, tradingCounterDecayPerSecond, cancelCost, budgetSafety, rateLimitBackoff, maxRateLimitBackoff,
                    reconnectBackoff, maxReconnectBackoff, pingInterval, cancelRetries, policy, userAgent);
        }
    }

    /** one order as the gateway knows it; touched only on the gateway thread */
    private static final class OrderState {
        final long engineId;
        final String clientText;
        Instrument instrument;
        Side side;
        long priceTicks;
        /** the order's total quantity (Kraken's order_qty / vol); 0 while unknown */
        long quantityLots;
        boolean postOnly;
        /** Kraken's txid, null until an answer or the stream names it */
        String venueId;
        /** the cumulative filled quantity the engine has been told, by fills or ORDER_STATUS */
        long reportedCumLots;
        boolean accepted;
        /** a terminal report (REJECTED, FILLED, CANCELLED) went out, or the venue said the order is over */
        boolean done;
        /** the engine asked to cancel it: a cancel the stream reports then carries no venue reason */
        boolean cancelRequested;
        boolean cancelReported;
        /** this order's requests run one after another: a cancel never overtakes its NEW */
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        OrderState(long engineId, String clientText) {
            this.engineId = engineId;
            this.clientText = clientText;
        }
    }

    /** an answer to a private call: the HTTP status and Kraken's envelope, or the failure that left no answer */
    private record Reply(int status, JsonNode result, String error, String retryAfter, Throwable failure) {
    }

    /** an order as Kraken's REST calls list it ({@code OpenOrders}, {@code QueryOrders}, {@code ClosedOrders}) */
    private record RestOrder(String txid, String clientText, Instrument instrument, Side side, long priceTicks,
                             long quantityLots, long filledLots, String status) {
        boolean open() {
            return "open".equals(status) || "pending".equals(status);
        }

        long leavesLots() {
            return Math.max(0, quantityLots - filledLots);
        }
    }

    /** a failed query, with Kraken's error text */
    private static final class KrakenCallException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KrakenCallException(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final InstrumentRegistry registry;
    private final Credentials credentials;
    private final ClientIdCodec ids;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final LongSupplier wallClock;
    private final ServerClock clock;
    private final KrakenSigner signer;
    private final RequestBudget budget;
    private final RequestBudget.Charge restCall;
    private final RequestBudget.Charge historyCall;
    private final Map<String, RequestBudget.Charge> addCharges = new HashMap<>();
    private final Map<String, RequestBudget.Charge> cancelCharges = new HashMap<>();
    private final Map<String, Instrument> instrumentByRestPair = new HashMap<>();
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final ScheduledThreadPoolExecutor executor;
    private final Executor gatewayThread;
    private final TradeIdWindow tradeIds = new TradeIdWindow(100_000);
    private final ExecutionReport scratch = new ExecutionReport();
    private final Map<Long, OrderState> orders = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, OrderState> eldest) {
            // finished orders are forgotten oldest first once many are kept; open ones never
            return size() > 100_000 && eldest.getValue().done;
        }
    };
    /** net base quantity filled per instrument since the last reconciliation (buys positive) */
    private final Map<Instrument, Long> netFillsLots = new HashMap<>();
    private final KrakenPrivateStream.Events streamEvents = new KrakenPrivateStream.Events() {
        @Override
        public void onMessage(KrakenPrivateStream from, String text) {
            onStreamMessage(from, text);
        }

        @Override
        public void onDisconnect(KrakenPrivateStream from, String why) {
            onStreamDisconnect(from, why);
        }
    };

    private volatile GatewayReports reports;
    private CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);
    private long rateLimitPauseMs;
    private long reconnectDelayMs;
    private boolean everSubscribed;
    private long pingId;
    private Map<String, BigDecimal> previousBalances;
    private volatile KrakenPrivateStream stream;
    private volatile boolean streamConnected;
    private volatile long lastStreamMessageMs;
    private volatile boolean closed;
    private volatile long reconciliations;
    private volatile String lastReconcile = "";

    public KrakenGateway(Settings settings, InstrumentRegistry registry, Credentials credentials, ClientIdCodec ids) {
        this(settings, registry, credentials, ids, null, System::currentTimeMillis);
    }

    /**
     * @param http      the HTTP client to use (tests); null: the gateway builds and closes its own
     * @param wallClock epoch ms, for nonces, the budget and the clock offset
     */
    public KrakenGateway(Settings settings, InstrumentRegistry registry, Credentials credentials, ClientIdCodec ids,
                         HttpClient http, LongSupplier wallClock) {
        this.settings = settings;
        this.registry = registry;
        this.credentials = credentials;
        this.ids = ids;
        this.wallClock = wallClock;
        this.clock = new ServerClock(wallClock);
        this.signer = new KrakenSigner(credentials.secret(), wallClock);
        this.ownsHttp = http == null;
        this.http = http != null ? http : HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .version("http".equals(settings.restBase().getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .build();
        this.budget = new RequestBudget("kraken", settings.budgetSafety())
                .decaying(REST_COUNTER, settings.restCounterMax(), settings.restCounterDecayPerSecond());
        this.restCall = budget.charge().add(REST_COUNTER, 1);
        // ClosedOrders is a history call: Kraken counts it twice
        this.historyCall = budget.charge().add(REST_COUNTER, 2);
        List<String> missing = new ArrayList<>();
        for (Instrument instrument : registry.ofVenue(Venue.KRAKEN)) {
            String pair = settings.restPairs().get(instrument.venueSymbol());
            if (pair == null) {
                missing.add(instrument.venueSymbol());
                continue;
            }
            instrumentByRestPair.put(pair, instrument);
            if (!addCharges.containsKey(pair)) {
                budget.decaying(TRADING_PREFIX + pair, settings.tradingCounterMax(), settings.tradingCounterDecayPerSecond());
                addCharges.put(pair, budget.charge().add(TRADING_PREFIX + pair, 1));
                cancelCharges.put(pair, budget.charge().add(TRADING_PREFIX + pair, settings.cancelCost()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("kraken: no REST pair name (Settings.restPairs, e.g. BTC/USD -> XBTUSD) for " + missing);
        }
        this.rateLimitPauseMs = settings.rateLimitBackoff().toMillis();
        this.reconnectDelayMs = settings.reconnectBackoff().toMillis();
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kraken-gateway");
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.gatewayThread = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("kraken gateway closed: a late callback is dropped");
            }
        };
    }

    @Override
    public Venue venue() {
        return Venue.KRAKEN;
    }

    @Override
    public VenueMode mode() {
        return VenueMode.LIVE;
    }

    @Override
    public void start(GatewayReports reports) {
        if (this.reports != null) {
            throw new IllegalStateException("kraken gateway already started");
        }
        this.reports = reports;
        LOG.info("kraken gateway starting: REST {}, private stream {}, key {}", settings.restBase(), settings.privateStream(),
                credentials.maskedKey());
        gatewayThread.execute(() -> {
            measureClock();
            connectStream();
        });
        long ping = settings.pingInterval().toMillis();
        executor.scheduleAtFixedRate(this::ping, ping, ping, TimeUnit.MILLISECONDS);
    }

    @Override
    public void submit(OrderRequest request) {
        if (reports == null) {
            throw new IllegalStateException("kraken gateway: submit before start");
        }
        gatewayThread.execute(() -> dispatch(request));
    }

    @Override
    public CompletableFuture<List<VenueOrder>> openOrders() {
        return onGateway(() -> fetchOpenOrders().thenApply(list -> {
            List<VenueOrder> out = new ArrayList<>(list.size());
            for (RestOrder o : list) {
                out.add(new VenueOrder(o.clientText(), o.txid(), o.instrument().id(), o.side(), o.priceTicks(), o.quantityLots(), o.filledLots()));
            }
            return out;
        }));
    }

    @Override
    public CompletableFuture<List<VenueBalance>> balances() {
        return onGateway(this::fetchBalances);
    }

    @Override
    public CompletableFuture<VenueFees> fees(Instrument instrument) {
        String pair = settings.restPairs().get(instrument.venueSymbol());
        if (pair == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("kraken: no REST pair name for " + instrument.venueSymbol()));
        }
        return onGateway(() -> query("TradeVolume", "pair=" + enc(pair), restCall, 0).thenApply(result -> {
            BigDecimal taker = firstFee(result.path("fees"));
            BigDecimal maker = result.path("fees_maker").isObject() ? firstFee(result.path("fees_maker")) : taker;
            return new VenueFees(instrument.venueSymbol(), maker.movePointLeft(2), taker.movePointLeft(2));
        }));
    }

    @Override
    public CompletableFuture<Integer> cancelAll() {
        // CancelAll is idempotent, so an unknown outcome may be asked again
        return onGateway(() -> query("CancelAll", "", restCall, 0).thenApply(result -> result.path("count").asInt(0)));
    }

    @Override
    public GatewayStatus status() {
        long now = wallClock.getAsLong();
        long until = budget.backingOffUntil();
        return new GatewayStatus(streamConnected, until > now ? until : 0, budget.fullest(now), clock.offsetMillis(),
                reconciliations, lastReconcile);
    }

    @Override
    public void close() {
        closed = true;
        streamConnected = false;
        KrakenPrivateStream s = stream;
        if (s != null) {
            s.abort();
        }
        executor.shutdownNow();
        if (ownsHttp) {
            http.shutdownNow();
        }
        LOG.info("kraken gateway closed");
    }

    // ---- order commands (gateway thread) ----

    private void dispatch(OrderRequest r) {
        if (closed) {
            return;
        }
        if (r.type() == OrderCommandType.CANCEL_ALL && r.instrument() != null) {
            // one instrument: Kraken's CancelAll would take every pair, so cancel our open orders one by one
            List<OrderState> open = new ArrayList<>();
            for (OrderState o : orders.values()) {
                if (!o.done && o.instrument == r.instrument()) {
                    open.add(o);
                }
            }
            for (OrderState o : open) {
                dispatch(new OrderRequest(OrderCommandType.CANCEL, r.causeSequence(), o.instrument, o.engineId, o.engineId, o.side,
                        0, 0, TimeInForce.GTC, false, false));
            }
            return;
        }
        if (r.type() == OrderCommandType.CANCEL_ALL) {
            // the whole venue: the stream's canceled events report each order
            query("CancelAll", "", restCall, 0).whenComplete((result, failure) -> {
                if (failure != null) {
                    LOG.warn("kraken CancelAll failed: {}", failure.toString());
                } else {
                    LOG.info("kraken CancelAll cancelled {} orders", result.path("count").asInt(0));
                }
            });
            return;
        }
        OrderState state = orders.get(r.orderId());
        if (state == null) {
            state = new OrderState(r.orderId(), ids.encode(r.orderId()));
            state.instrument = r.instrument();
            state.side = r.side();
            state.priceTicks = r.priceTicks();
            orders.put(r.orderId(), state);
        }
        OrderState s = state;
        s.tail = s.tail.thenCompose(v -> handle(s, r)).exceptionally(t -> {
            LOG.error("kraken {} {} ({}) failed in the gateway", r.type(), s.clientText, s.engineId, t);
            return null;
        });
    }

    private CompletableFuture<Void> handle(OrderState s, OrderRequest r) {
        return switch (r.type()) {
            case NEW -> placeNew(s, r);
            case CANCEL -> cancel(s, 0, false);
            case REPLACE -> amend(s, r);
            case STATUS -> status(s);
            case CANCEL_ALL -> CompletableFuture.completedFuture(null);
        };
    }

    private CompletableFuture<Void> placeNew(OrderState s, OrderRequest r) {
        Instrument instrument = r.instrument();
        s.instrument = instrument;
        s.side = r.side();
        s.priceTicks = r.priceTicks();
        s.quantityLots = r.quantityLots();
        s.postOnly = r.postOnly();
        String pair = settings.restPairs().get(instrument.venueSymbol());
        if (pair == null) {
            reject(s, GatewayRejectCode.VENUE_REJECTED, "no REST pair name configured for " + instrument.venueSymbol());
            return done();
        }
        if (r.timeInForce() == TimeInForce.FOK) {
            reject(s, GatewayRejectCode.VENUE_REJECTED, "Kraken spot offers no fill-or-kill");
            return done();
        }
        long now = wallClock.getAsLong();
        if (!budget.tryAcquire(addCharges.get(pair), now)) {
            long until = budget.backingOffUntil();
            reject(s, GatewayRejectCode.THROTTLED, until > now ? "backing off for " + (until - now) + " ms: " + budget.backOffReason()
                    : "over the trading rate budget of " + pair);
            return done();
        }
        StringBuilder form = new StringBuilder(160);
        form.append("ordertype=").append(r.market() ? "market" : "limit")
                .append("&type=").append(r.side() == Side.BUY ? "buy" : "sell")
                .append("&volume=");
        instrument.appendQuantity(r.quantityLots(), form);
        form.append("&pair=").append(enc(pair));
        if (!r.market()) {
            form.append("&price=");
            instrument.appendPrice(r.priceTicks(), form);
        }
        if (r.postOnly()) {
            form.append("&oflags=post");
        }
        if (r.timeInForce() == TimeInForce.IOC) {
            form.append("&timeinforce=IOC");
        }
        form.append("&cl_ord_id=").append(enc(s.clientText));
        return privatePost("AddOrder", form.toString()).thenAccept(reply -> onAddOrderReply(s, reply));
    }

    private void onAddOrderReply(OrderState s, Reply reply) {
        KrakenError error = verdict(reply);
        if (error == null) {
            succeeded();
            JsonNode txid = reply.result().path("txid");
            if (txid.isArray() && !txid.isEmpty()) {
                learnVenueId(s, txid.get(0).asText());
            }
            accept(s, 0);
            return;
        }
        switch (error.kind()) {
            case RATE_LIMITED -> {
                rateLimited(reply, "AddOrder " + s.clientText);
                reject(s, GatewayRejectCode.RATE_LIMITED, describe(reply));
            }
            case OUTCOME_UNKNOWN -> LOG.warn("kraken NEW {} ({}): outcome unknown ({}); not resent, a status query resolves it",
                    s.clientText, s.engineId, describe(reply));
            case REFUSED -> reject(s, error.code(), describe(reply));
        }
    }

    private CompletableFuture<Void> cancel(OrderState s, int attempt, boolean uncertain) {
        if (s.done) {
            if (attempt == 0 || !s.cancelReported) {
                cancelRejected(s, GatewayRejectCode.UNKNOWN_ORDER, "the order is already over");
            }
            return done();
        }
        String pair = pairOf(s);
        if (pair == null) {
            cancelRejected(s, GatewayRejectCode.VENUE_REJECTED, "no REST pair name for the order's instrument");
            return done();
        }
        s.cancelRequested = true;
        // cancels wait for room in the budget: they are never dropped
        return whenBudgetAllows(cancelCharges.get(pair)).thenCompose(v -> {
            if (s.done) {
                if (!s.cancelReported) {
                    cancelRejected(s, GatewayRejectCode.UNKNOWN_ORDER, "the order ended while the cancel waited");
                }
                return done();
            }
            return privatePost("CancelOrder", orderRef(s, "txid")).thenCompose(reply -> onCancelReply(s, reply, attempt, uncertain));
        });
    }

    private CompletableFuture<Void> onCancelReply(OrderState s, Reply reply, int attempt, boolean uncertain) {
        KrakenError error = verdict(reply);
        if (error == null) {
            succeeded();
            if (reply.result().path("count").asInt(0) > 0) {
                cancelled(s, 0, 0);
                return done();
            }
            return cancelOfGoneOrder(s, uncertain, "Kraken cancelled nothing");
        }
        return switch (error.kind()) {
            case RATE_LIMITED -> {
                rateLimited(reply, "CancelOrder " + s.clientText);
                yield cancel(s, attempt, uncertain);
            }
            case OUTCOME_UNKNOWN -> {
                if (attempt < settings.cancelRetries()) {
                    LOG.warn("kraken CANCEL {} ({}): outcome unknown ({}); sending it again", s.clientText, s.engineId, describe(reply));
                    yield cancel(s, attempt + 1, true);
                }
                cancelRejected(s, GatewayRejectCode.VENUE_REJECTED, "outcome unknown after " + (attempt + 1) + " tries: " + describe(reply));
                yield done();
            }
            case REFUSED -> {
                if (error.code() == GatewayRejectCode.UNKNOWN_ORDER) {
                    yield cancelOfGoneOrder(s, uncertain, describe(reply));
                }
                cancelRejected(s, error.code(), describe(reply));
                yield done();
            }
        };
    }

    /**
     * Kraken does not know the order (or cancelled nothing). After a cancel whose outcome was
     * unknown, that may be our own earlier cancel having worked: ask the order's state before
     * answering.
     */
    private CompletableFuture<Void> cancelOfGoneOrder(OrderState s, boolean uncertain, String why) {
        if (s.done) {
            if (!s.cancelReported) {
                cancelRejected(s, GatewayRejectCode.UNKNOWN_ORDER, why);
            }
            return done();
        }
        if (!uncertain) {
            cancelRejected(s, GatewayRejectCode.UNKNOWN_ORDER, why);
            return done();
        }
        return lookup(s).handle((order, failure) -> {
            if (s.done) {
                if (!s.cancelReported) {
                    cancelRejected(s, GatewayRejectCode.UNKNOWN_ORDER, why);
                }
            } else if (order != null && ("canceled".equals(order.status()) || "expired".equals(order.status()))) {
                if (order.filledLots() > s.reportedCumLots) {
                    // fills the stream missed: the status report lets the engine book them before the cancel
                    reportStatus(s, order, 0);
                } else {
                    learnVenueId(s, order.txid());
                    s.quantityLots = order.quantityLots();
                }
                reportCancelled(s, 0, 0);
            } else {
                cancelRejected(s, GatewayRejectCode.UNKNOWN_ORDER, why);
            }
            return null;
        });
    }

    private CompletableFuture<Void> amend(OrderState s, OrderRequest r) {
        if (s.done) {
            cancelRejected(s, GatewayRejectCode.UNKNOWN_ORDER, "the order is already over");
            return done();
        }
        String pair = pairOf(s);
        long now = wallClock.getAsLong();
        // an amend adds risk like a NEW: refused at once when over budget, never queued
        if (pair == null || !budget.tryAcquire(cancelCharges.get(pair), now)) {
            cancelRejected(s, GatewayRejectCode.THROTTLED, pair == null ? "no REST pair name" : "over the trading rate budget of " + pair);
            return done();
        }
        Instrument instrument = s.instrument;
        // Kraken's order_qty is the whole order's quantity; the engine asks for the new open quantity
        long newTotal = s.reportedCumLots + r.quantityLots();
        StringBuilder form = new StringBuilder(orderRef(s, "txid")).append("&order_qty=");
        instrument.appendQuantity(newTotal, form);
        form.append("&limit_price=");
        instrument.appendPrice(r.priceTicks(), form);
        if (s.postOnly) {
            form.append("&post_only=true");
        }
        return privatePost("AmendOrder", form.toString()).thenCompose(reply -> {
            KrakenError error = verdict(reply);
            if (error == null) {
                succeeded();
                s.priceTicks = r.priceTicks();
                s.quantityLots = newTotal;
                report(scratch.set(ExecType.REPLACED, Venue.KRAKEN.id(), instrument.id(), s.engineId, venueKey(s), s.side,
                        s.priceTicks, r.quantityLots(), 0));
                return done();
            }
            switch (error.kind()) {
                case RATE_LIMITED -> {
                    rateLimited(reply, "AmendOrder " + s.clientText);
                    cancelRejected(s, GatewayRejectCode.RATE_LIMITED, describe(reply));
                }
                case OUTCOME_UNKNOWN -> {
                    LOG.warn("kraken REPLACE {} ({}): outcome unknown ({}); answering with the order's status",
                            s.clientText, s.engineId, describe(reply));
                    return status(s);
                }
                case REFUSED -> cancelRejected(s, error.code(), describe(reply));
            }
            return done();
        });
    }

    private CompletableFuture<Void> status(OrderState s) {
        return lookup(s).handle((order, failure) -> {
            if (failure != null) {
                LOG.warn("kraken STATUS {} ({}): no answer ({}); the engine's next query retries", s.clientText, s.engineId,
                        rootCause(failure).toString());
            } else {
                reportStatus(s, order, 0);
            }
            return null;
        });
    }

    /** the order as Kraken has it, or null when Kraken does not know it */
    private CompletableFuture<RestOrder> lookup(OrderState s) {
        if (s.venueId != null) {
            String txid = s.venueId;
            return query("QueryOrders", "txid=" + enc(txid), restCall, 0).thenApply(result -> {
                JsonNode node = result.path(txid);
                return node.isObject() ? restOrder(txid, node) : null;
            });
        }
        // no txid yet (the NEW's answer never came): look for the client id among open, then closed orders
        String filter = "cl_ord_id=" + enc(s.clientText);
        return query("OpenOrders", filter, restCall, 0).thenCompose(open -> {
            RestOrder found = findByClientId(open.path("open"), s.clientText);
            if (found != null) {
                return CompletableFuture.completedFuture(found);
            }
            return query("ClosedOrders", filter, historyCall, 0).thenApply(closedResult -> findByClientId(closedResult.path("closed"), s.clientText));
        });
    }

    private RestOrder findByClientId(JsonNode byTxid, String clientText) {
        for (Map.Entry<String, JsonNode> e : byTxid.properties()) {
            if (clientText.equals(e.getValue().path("cl_ord_id").asText(null))) {
                return restOrder(e.getKey(), e.getValue());
            }
        }
        return null;
    }

    // ---- reports (gateway thread) ----

    private void accept(OrderState s, long venueNanos) {
        if (s.accepted) {
            return;
        }
        s.accepted = true;
        report(scratch.set(ExecType.ACCEPTED, Venue.KRAKEN.id(), s.instrument.id(), s.engineId, venueKey(s), s.side,
                s.priceTicks, s.quantityLots, venueNanos));
    }

    private void reject(OrderState s, GatewayRejectCode code, String why) {
        if (code == GatewayRejectCode.THROTTLED) {
            // refused here, not by Kraken: in a storm this is every order, so not a warning each
            LOG.debug("kraken NEW {} ({}) not sent, {}: {}", s.clientText, s.engineId, code, why);
        } else {
            LOG.warn("kraken NEW {} ({}) rejected, {}: {}", s.clientText, s.engineId, code, why);
        }
        s.done = true;
        report(scratch.set(ExecType.REJECTED, Venue.KRAKEN.id(), s.instrument.id(), s.engineId, venueKey(s), s.side,
                s.priceTicks, 0, 0).reason(code.code()));
    }

    private void cancelRejected(OrderState s, GatewayRejectCode code, String why) {
        LOG.warn("kraken cancel/replace of {} ({}) refused, {}: {}", s.clientText, s.engineId, code, why);
        long leaves = s.done ? 0 : Math.max(0, s.quantityLots - s.reportedCumLots);
        report(scratch.set(ExecType.CANCEL_REJECTED, Venue.KRAKEN.id(), s.instrument.id(), s.engineId, venueKey(s), s.side,
                s.priceTicks, leaves, 0).reason(code.code()));
    }

    private void cancelled(OrderState s, long venueNanos, int reason) {
        if (!s.done) {
            reportCancelled(s, venueNanos, reason);
        }
    }

    private void reportCancelled(OrderState s, long venueNanos, int reason) {
        accept(s, venueNanos);
        s.done = true;
        s.cancelReported = true;
        report(scratch.set(ExecType.CANCELLED, Venue.KRAKEN.id(), s.instrument.id(), s.engineId, venueKey(s), s.side,
                s.priceTicks, 0, venueNanos).cancelledQuantity(Math.max(0, s.quantityLots - s.reportedCumLots)).reason(reason));
    }

    /** ORDER_STATUS from a REST order (null: Kraken does not know it); the engine books any cumulative difference */
    private void reportStatus(OrderState s, RestOrder order, int reason) {
        if (order == null) {
            s.done = true;
            report(scratch.set(ExecType.ORDER_STATUS, Venue.KRAKEN.id(), s.instrument.id(), s.engineId, venueKey(s), s.side,
                    s.priceTicks, 0, 0).cumulativeQuantity(0).reason(reason));
            return;
        }
        learnVenueId(s, order.txid());
        s.instrument = order.instrument();
        s.side = order.side();
        s.priceTicks = order.priceTicks();
        s.quantityLots = order.quantityLots();
        long leaves = order.open() ? order.leavesLots() : 0;
        if (order.open()) {
            s.accepted = true;
        } else {
            s.done = true;
        }
        report(scratch.set(ExecType.ORDER_STATUS, Venue.KRAKEN.id(), s.instrument.id(), s.engineId, venueKey(s), s.side,
                s.priceTicks, leaves, 0).cumulativeQuantity(order.filledLots()).reason(reason));
        if (order.filledLots() > s.reportedCumLots) {
            addNetFill(s, order.filledLots() - s.reportedCumLots);
            s.reportedCumLots = order.filledLots();
        }
    }

    private void report(ExecutionReport report) {
        reports.report(report);
    }

    private void addNetFill(OrderState s, long lots) {
        netFillsLots.merge(s.instrument, s.side == Side.BUY ? lots : -lots, Long::sum);
    }

    private static long venueKey(OrderState s) {
        return ClientIdCodec.venueOrderKey(s.venueId);
    }

    private void learnVenueId(OrderState s, String txid) {
        if (txid != null && !txid.isEmpty()) {
            s.venueId = txid;
        }
    }

    // ---- private stream (gateway thread) ----

    private void connectStream() {
        if (closed) {
            return;
        }
        // a fresh token per connection: Kraken's tokens must be used within 15 minutes
        query("GetWebSocketsToken", "", restCall, 0)
                .thenCompose(result -> KrakenPrivateStream.connect(http, settings.privateStream(), settings.connectTimeout(), gatewayThread,
                                streamEvents)
                        .thenApply(connected -> Map.entry(connected, result.path("token").asText(""))))
                .whenCompleteAsync((connection, failure) -> {
                    if (failure != null) {
                        LOG.warn("kraken private stream: cannot connect ({})", rootCause(failure).toString());
                        scheduleReconnect();
                        return;
                    }
                    if (closed) {
                        connection.getKey().abort();
                        return;
                    }
                    stream = connection.getKey();
                    lastStreamMessageMs = wallClock.getAsLong();
                    var subscribe = mapper.createObjectNode().put("method", "subscribe");
                    subscribe.putObject("params").put("channel", "executions").put("token", connection.getValue())
                            .put("snap_orders", true).put("snap_trades", false);
                    stream.send(subscribe.toString());
                }, gatewayThread);
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = reconnectDelayMs;
        reconnectDelayMs = Math.min(reconnectDelayMs * 2, settings.maxReconnectBackoff().toMillis());
        try {
            executor.schedule(this::connectStream, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("kraken gateway closed: no reconnect");
        }
    }

    private void onStreamDisconnect(KrakenPrivateStream from, String why) {
        if (from != stream) {
            return;
        }
        stream = null;
        streamConnected = false;
        if (!closed) {
            LOG.warn("kraken private stream lost ({}); reconnecting", why);
            scheduleReconnect();
        }
    }

    private void ping() {
        KrakenPrivateStream s = stream;
        if (s == null) {
            return;
        }
        if (wallClock.getAsLong() - lastStreamMessageMs > 3 * settings.pingInterval().toMillis()) {
            LOG.warn("kraken private stream silent for three ping intervals; dropping it");
            s.abort();
            return;
        }
        s.send("{\"method\":\"ping\",\"req_id\":" + (++pingId) + "}");
    }

    private void onStreamMessage(KrakenPrivateStream from, String text) {
        if (from != stream) {
            return;
        }
        lastStreamMessageMs = wallClock.getAsLong();
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (IOException e) {
            LOG.warn("kraken private stream: unparseable message {}", truncate(text));
            return;
        }
        try {
            if ("subscribe".equals(root.path("method").asText())) {
                if (root.path("success").asBoolean(false)) {
                    onSubscribed();
                } else {
                    LOG.error("kraken private stream: executions subscription refused: {}", truncate(text));
                    from.abort();
                }
                return;
            }
            if ("executions".equals(root.path("channel").asText())) {
                boolean snapshot = "snapshot".equals(root.path("type").asText());
                for (JsonNode execution : root.path("data")) {
                    try {
                        onExecution(execution, snapshot);
                    } catch (RuntimeException e) {
                        // one bad entry (a number off the instrument's grid) must not cost the others
                        LOG.warn("kraken private stream: cannot use execution {} ({})", truncate(execution.toString()), e.toString());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("kraken private stream: cannot use message {} ({})", truncate(text), e.toString());
        }
    }

    private void onSubscribed() {
        streamConnected = true;
        reconnectDelayMs = settings.reconnectBackoff().toMillis();
        String trigger = everSubscribed ? "reconnect" : "start";
        everSubscribed = true;
        LOG.info("kraken private stream subscribed to executions; reconciling ({})", trigger);
        reconcile(trigger, 0);
    }

    private void onExecution(JsonNode e, boolean snapshot) {
        String clientText = e.path("cl_ord_id").asText(null);
        long engineId = ids.decode(clientText);
        if (engineId < 0) {
            return; // not ours: reconciliation deals with foreign orders
        }
        Instrument instrument = registry.find(Venue.KRAKEN, e.path("symbol").asText(""));
        OrderState s = orders.get(engineId);
        if (s == null) {
            if (instrument == null) {
                LOG.warn("kraken execution for {} on an instrument we do not trade: {}", clientText, truncate(e.toString()));
                return;
            }
            s = new OrderState(engineId, clientText);
            s.side = "sell".equals(e.path("side").asText()) ? Side.SELL : Side.BUY;
            orders.put(engineId, s);
        }
        if (s.instrument == null || instrument != null) {
            s.instrument = instrument != null ? instrument : s.instrument;
        }
        if (s.instrument == null) {
            return;
        }
        learnVenueId(s, e.path("order_id").asText(null));
        if (e.hasNonNull("order_qty")) {
            s.quantityLots = s.instrument.quantityLots(decimal(e.get("order_qty")));
        }
        if (e.hasNonNull("limit_price")) {
            s.priceTicks = s.instrument.priceTicks(decimal(e.get("limit_price")));
        }
        if (snapshot) {
            return; // open orders: reconciliation reports them, with their cumulative quantities
        }
        long nanos = venueNanos(e.path("timestamp").asText(null));
        switch (e.path("exec_type").asText("")) {
            case "new" -> accept(s, nanos);
            case "trade", "filled" -> fill(s, e, nanos);
            case "canceled", "expired" -> {
                String reason = e.path("reason").asText("");
                int code = reason.contains("Post only") ? GatewayRejectCode.POST_ONLY_WOULD_TAKE.code()
                        : s.cancelRequested ? 0 : GatewayRejectCode.VENUE_CANCELLED.code();
                cancelled(s, nanos, code);
            }
            default -> {
                // pending_new, amended, restated, status: the fields above are all we take from them
            }
        }
    }

    /** a fill counted by the venue's cumulative quantity: only what it adds beyond what was reported */
    private void fill(OrderState s, JsonNode e, long nanos) {
        if (!e.hasNonNull("cum_qty")) {
            return;
        }
        long cum = s.instrument.quantityLots(decimal(e.get("cum_qty")));
        if (cum <= s.reportedCumLots) {
            return; // a repeat, or older than what was reported
        }
        String execId = e.path("exec_id").asText(null);
        if (execId != null && !tradeIds.firstTime(execId)) {
            return;
        }
        long lots = cum - s.reportedCumLots;
        s.reportedCumLots = cum;
        long lastPrice = e.hasNonNull("last_price") ? s.instrument.priceTicks(decimal(e.get("last_price"))) : s.priceTicks;
        long tradeKey = e.path("trade_id").canConvertToLong() ? e.path("trade_id").asLong()
                : ClientIdCodec.venueOrderKey(execId != null ? execId : s.venueId + "/" + cum);
        long leaves = Math.max(0, s.quantityLots - cum);
        accept(s, nanos);
        addNetFill(s, lots);
        if (leaves == 0) {
            s.done = true;
        }
        report(scratch.set(leaves == 0 ? ExecType.FILLED : ExecType.PARTIALLY_FILLED, Venue.KRAKEN.id(), s.instrument.id(),
                s.engineId, venueKey(s), s.side, s.priceTicks, leaves, nanos)
                .fill(tradeKey, lastPrice, lots, "m".equals(e.path("liquidity_ind").asText())));
    }

    // ---- reconciliation (gateway thread) ----

    private void reconcile(String trigger, int attempt) {
        fetchOpenOrders().thenCombine(fetchBalances(), (open, balances) -> {
            applyReconciliation(trigger, open, balances);
            return null;
        }).exceptionally(failure -> {
            LOG.warn("kraken reconciliation ({}) failed: {}", trigger, rootCause(failure).toString());
            if (attempt < 5 && !closed) {
                executor.schedule(() -> reconcile(trigger, attempt + 1), settings.reconnectBackoff().toMillis() << attempt, TimeUnit.MILLISECONDS);
            }
            return null;
        });
    }

    private void applyReconciliation(String trigger, List<RestOrder> open, List<VenueBalance> balances) {
        reports.recheckOpenOrders(Venue.KRAKEN);
        List<String> foreignCancelled = new ArrayList<>();
        List<String> foreignLeft = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        int ours = 0;
        for (RestOrder o : open) {
            long engineId = ids.decode(o.clientText());
            if (engineId > 0) {
                ours++;
                OrderState s = orders.get(engineId);
                if (s == null) {
                    s = new OrderState(engineId, o.clientText());
                    orders.put(engineId, s);
                }
                if (o.filledLots() != s.reportedCumLots) {
                    StringBuilder line = new StringBuilder("order ").append(o.clientText()).append(" (").append(o.txid())
                            .append("): venue filled ");
                    o.instrument().appendQuantity(o.filledLots(), line).append(", reported ");
                    o.instrument().appendQuantity(s.reportedCumLots, line);
                    differences.add(line.toString());
                }
                reportStatus(s, o, GatewayRejectCode.RECONCILED.code());
            } else {
                boolean cancel = settings.unknownOrders() == UnknownOrderPolicy.CANCEL;
                StringBuilder line = new StringBuilder("foreign order ").append(o.txid()).append(" cl_ord_id=").append(o.clientText())
                        .append(' ').append(o.side()).append(' ');
                o.instrument().appendQuantity(o.leavesLots(), line).append(' ').append(o.instrument().venueSymbol()).append(" @ ");
                o.instrument().appendPrice(o.priceTicks(), line).append(cancel ? ": cancelled" : ": left on the venue");
                differences.add(line.toString());
                if (cancel) {
                    foreignCancelled.add(o.txid());
                    cancelForeign(o);
                } else {
                    foreignLeft.add(o.txid());
                }
            }
        }
        balanceDifferences(balances, differences);
        Reconciliation result = new Reconciliation(Venue.KRAKEN, trigger, ours, foreignCancelled, foreignLeft, balances, differences);
        reconciliations++;
        lastReconcile = result.summary();
        LOG.info("{}", lastReconcile);
        reports.reconciled(result);
    }

    private void balanceDifferences(List<VenueBalance> balances, List<String> differences) {
        Map<String, BigDecimal> now = new TreeMap<>();
        for (VenueBalance b : balances) {
            now.put(b.asset(), b.total());
        }
        if (previousBalances != null) {
            StringBuilder changes = new StringBuilder();
            for (Map.Entry<String, BigDecimal> e : now.entrySet()) {
                BigDecimal change = e.getValue().subtract(previousBalances.getOrDefault(e.getKey(), BigDecimal.ZERO));
                if (change.signum() != 0) {
                    changes.append(changes.isEmpty() ? "" : ", ").append(e.getKey()).append(change.signum() > 0 ? " +" : " ")
                            .append(change.toPlainString());
                }
            }
            StringBuilder fills = new StringBuilder();
            for (Map.Entry<Instrument, Long> e : netFillsLots.entrySet()) {
                if (e.getValue() != 0) {
                    fills.append(fills.isEmpty() ? "" : ", ").append(e.getKey().venueSymbol()).append(e.getValue() > 0 ? " +" : " -");
                    e.getKey().appendQuantity(Math.abs(e.getValue()), fills);
                }
            }
            if (!changes.isEmpty() || !fills.isEmpty()) {
                differences.add("balances changed since the last reconciliation: " + (changes.isEmpty() ? "none" : changes)
                        + "; net fills reported in between (base): " + (fills.isEmpty() ? "none" : fills));
            }
        }
        previousBalances = now;
        netFillsLots.clear();
    }

    private void cancelForeign(RestOrder o) {
        String pair = settings.restPairs().get(o.instrument().venueSymbol());
        whenBudgetAllows(cancelCharges.get(pair))
                .thenCompose(v -> privatePost("CancelOrder", "txid=" + enc(o.txid())))
                .thenAccept(reply -> {
                    if (verdict(reply) == null) {
                        LOG.info("kraken: foreign order {} cancelled (unknown-order policy cancel)", o.txid());
                    } else {
                        LOG.warn("kraken: foreign order {} not cancelled: {}", o.txid(), describe(reply));
                    }
                });
    }

    // ---- REST queries (gateway thread) ----

    private CompletableFuture<List<RestOrder>> fetchOpenOrders() {
        return query("OpenOrders", "", restCall, 0).thenApply(result -> {
            List<RestOrder> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : result.path("open").properties()) {
                RestOrder o = restOrder(e.getKey(), e.getValue());
                if (o != null) {
                    out.add(o);
                }
            }
            return out;
        });
    }

    private CompletableFuture<List<VenueBalance>> fetchBalances() {
        return query("BalanceEx", "", restCall, 0).thenApply(result -> {
            List<VenueBalance> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : result.properties()) {
                BigDecimal total = new BigDecimal(decimal(e.getValue().path("balance")));
                BigDecimal held = e.getValue().hasNonNull("hold_trade") ? new BigDecimal(decimal(e.getValue().get("hold_trade"))) : BigDecimal.ZERO;
                out.add(new VenueBalance(e.getKey(), total.subtract(held), held));
            }
            return out;
        });
    }

    /** an order on one of our instruments, or null for another pair */
    private RestOrder restOrder(String txid, JsonNode node) {
        JsonNode descr = node.path("descr");
        Instrument instrument = instrumentByRestPair.get(descr.path("pair").asText(""));
        if (instrument == null) {
            return null;
        }
        return new RestOrder(txid, node.path("cl_ord_id").asText(""), instrument,
                "sell".equals(descr.path("type").asText()) ? Side.SELL : Side.BUY,
                instrument.priceTicks(decimal(descr.path("price"))), instrument.quantityLots(decimal(node.path("vol"))),
                instrument.quantityLots(decimal(node.path("vol_exec"))), node.path("status").asText(""));
    }

    private static BigDecimal firstFee(JsonNode byPair) {
        for (JsonNode entry : byPair) {
            return new BigDecimal(decimal(entry.path("fee")));
        }
        throw new KrakenCallException("TradeVolume answered no fee");
    }

    /**
     * A private call that may be repeated: waits for the budget, backs off and retries on a rate
     * limit, retries a bounded number of times when the outcome is unknown; fails on a refusal.
     */
    private CompletableFuture<JsonNode> query(String method, String params, RequestBudget.Charge charge, int attempt) {
        return whenBudgetAllows(charge).thenCompose(v -> privatePost(method, params)).thenCompose(reply -> {
            KrakenError error = verdict(reply);
            if (error == null) {
                succeeded();
                return CompletableFuture.completedFuture(reply.result());
            }
            if (error.kind() == KrakenError.Kind.RATE_LIMITED) {
                rateLimited(reply, method);
                return query(method, params, charge, attempt);
            }
            if (error.kind() == KrakenError.Kind.OUTCOME_UNKNOWN && attempt < settings.cancelRetries()) {
                LOG.warn("kraken {}: no answer ({}); asking again", method, describe(reply));
                return query(method, params, charge, attempt + 1);
            }
            return CompletableFuture.failedFuture(new KrakenCallException("kraken " + method + " failed: " + describe(reply)));
        });
    }

    /** completes on the gateway thread once the charge fits the budget (at once when it does) */
    private CompletableFuture<Void> whenBudgetAllows(RequestBudget.Charge charge) {
        return budget.acquireWhenFits(charge, wallClock, executor, () -> closed);
    }

    /**
     * Sends one private call behind the ones before it (see the class comment: nonces must
     * arrive in order). The answer completes on the gateway thread, never exceptionally.
     */
    private CompletableFuture<Reply> privatePost(String method, String params) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        lane = lane.thenCompose(v -> {
            String path = "/0/private/" + method;
            long nonce = signer.nextNonce();
            String body = "nonce=" + nonce + (params.isEmpty() ? "" : "&" + params);
            HttpRequest request = HttpRequest.newBuilder(settings.restBase().resolve(path))
                    .timeout(settings.requestTimeout())
                    .header("API-Key", credentials.keyId())
                    .header("API-Sign", signer.sign(path, nonce, body))
                    .header("User-Agent", settings.userAgent())
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).<Void>handle((response, failure) -> {
                Reply r = failure != null ? new Reply(0, null, null, null, rootCause(failure)) : parse(method, response);
                gatewayThread.execute(() -> reply.complete(r));
                return null;
            });
        }).exceptionally(t -> {
            gatewayThread.execute(() -> reply.complete(new Reply(0, null, null, null, rootCause(t))));
            return null;
        });
        return reply;
    }

    private Reply parse(String method, HttpResponse<String> response) {
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        try {
            JsonNode root = mapper.readTree(response.body());
            List<String> errors = new ArrayList<>();
            for (JsonNode e : root.path("error")) {
                errors.add(e.asText());
            }
            return new Reply(response.statusCode(), root.path("result"), errors.isEmpty() ? null : String.join("; ", errors), retryAfter, null);
        } catch (IOException | RuntimeException e) {
            if (response.statusCode() == 200) {
                LOG.warn("kraken {}: unparseable answer {}", method, truncate(response.body()));
                return new Reply(200, null, null, retryAfter, new IOException("unparseable answer: " + truncate(response.body())));
            }
            return new Reply(response.statusCode(), null, null, retryAfter, null);
        }
    }

    /** null when the call succeeded, else what its failure means */
    private static KrakenError verdict(Reply r) {
        if (r.failure() != null || r.status() >= 500) {
            return new KrakenError(KrakenError.Kind.OUTCOME_UNKNOWN, GatewayRejectCode.VENUE_REJECTED);
        }
        if (r.status() == 429) {
            return new KrakenError(KrakenError.Kind.RATE_LIMITED, GatewayRejectCode.RATE_LIMITED);
        }
        if (r.error() != null) {
            return KrakenError.classify(r.error());
        }
        if (r.status() != 200) {
            return new KrakenError(KrakenError.Kind.REFUSED, r.status() == 401 || r.status() == 403
                    ? GatewayRejectCode.AUTHENTICATION : GatewayRejectCode.VENUE_REJECTED);
        }
        return null;
    }

    private static String describe(Reply r) {
        if (r.failure() != null) {
            return r.failure().toString();
        }
        return "HTTP " + r.status() + (r.error() != null ? " " + r.error() : "");
    }

    /** the venue said stop: nothing is sent until the pause ends; the pause doubles while this repeats */
    private void rateLimited(Reply r, String what) {
        long now = wallClock.getAsLong();
        long until = RequestBudget.retryAfterDeadline(r.retryAfter(), now, rateLimitPauseMs);
        LOG.warn("kraken rate limited on {} ({}): nothing is sent for {} ms", what, describe(r), until - now);
        budget.backOff(until, describe(r));
        rateLimitPauseMs = Math.min(rateLimitPauseMs * 2, settings.maxRateLimitBackoff().toMillis());
    }

    private void succeeded() {
        rateLimitPauseMs = settings.rateLimitBackoff().toMillis();
    }

    private void measureClock() {
        long sent = wallClock.getAsLong();
        HttpRequest request = HttpRequest.newBuilder(settings.restBase().resolve("/0/public/Time")).timeout(settings.requestTimeout())
                .header("User-Agent", settings.userAgent()).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenCompleteAsync((response, failure) -> {
            long received = wallClock.getAsLong();
            try {
                if (failure != null) {
                    throw failure;
                }
                long unixSeconds = mapper.readTree(response.body()).path("result").path("unixtime").asLong(0);
                if (unixSeconds == 0) {
                    throw new IOException("no unixtime in " + truncate(response.body()));
                }
                clock.measured(unixSeconds * 1000, sent, received);
                // Kraken's time has whole seconds: only a skew of seconds says anything
                LOG.info("kraken clock: venue minus local {} ms (second resolution, round trip {} ms)", clock.offsetMillis(), clock.roundTripMillis());
            } catch (Throwable t) {
                LOG.warn("kraken clock: cannot read /0/public/Time ({}); nonces do not depend on it", rootCause(t).toString());
            }
        }, gatewayThread);
    }

    // ---- helpers ----

    private <T> CompletableFuture<T> onGateway(Supplier<CompletableFuture<T>> work) {
        return CompletableFuture.supplyAsync(work, gatewayThread).thenCompose(f -> f);
    }

    private String pairOf(OrderState s) {
        return s.instrument == null ? null : settings.restPairs().get(s.instrument.venueSymbol());
    }

    /** names the order by txid when known, else by our client id (Kraken takes either) */
    private static String orderRef(OrderState s, String txidField) {
        return s.venueId != null ? txidField + "=" + enc(s.venueId) : "cl_ord_id=" + enc(s.clientText);
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** a JSON decimal as plain text: Kraken's REST sends strings, WS v2 sends numbers */
    private static String decimal(JsonNode node) {
        return node.isNumber() ? node.decimalValue().toPlainString() : node.asText();
    }

    private static long venueNanos(String timestamp) {
        if (timestamp == null) {
            return 0;
        }
        try {
            Instant t = Instant.parse(timestamp);
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String truncate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= LOG_TEXT_MAX ? text : text.substring(0, LOG_TEXT_MAX) + "...";
    }
}
