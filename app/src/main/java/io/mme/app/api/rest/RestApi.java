package io.mme.app.api.rest;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.mme.app.api.EngineAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The REST API under /api/v1 and the health probes, installed on the {@link io.mme.app.api.ApiServer}'s
 * Javalin. One route table ({@link #routes}) is both what gets registered and what the OpenAPI
 * document at {@value #OPENAPI} describes. Every route but the probes and the document needs
 * {@code Authorization: Bearer <token>} (401 otherwise) of a role the route allows (403 otherwise);
 * errors are JSON {@code {"error":..,"field":..}} (the OpenAPI {@code Error}), unknown routes included (404), a
 * method a known path does not serve (405 with {@code Allow}) and bodies over {@link #MAX_BODY_BYTES} (413). Handlers run on
 * Jetty's threads; they hold no state of their own beyond the immutable table.
 */
public final class RestApi {
    /** the OpenAPI document's path (public) */
    public static final String OPENAPI = "/api/v1/openapi.json";
    /** who the token is: principal, role, the routes it may use */
    public static final String ME = "/api/v1/me";
    /** the largest request body, in bytes (Javalin's maxRequestSize; 413 above it) */
    public static final long MAX_BODY_BYTES = 1_000_000;
    /** how long a change waits for the owning engine's answer by default */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final Set<Role> ANYONE = EnumSet.allOf(Role.class);
    private static final Set<Role> RISK = EnumSet.of(Role.RISK_OFFICER);
    private static final Set<Role> TRADING = EnumSet.of(Role.TRADER);
    private static final Set<Role> KILL = EnumSet.of(Role.RISK_OFFICER, Role.TRADER);

    private RestApi() {
    }

    /** installs with stores taken as reachable and the default answer timeout */
    public static void install(Javalin app, EngineAccess engine, TokenStore tokens) {
        install(app, engine, tokens, () -> true, ANSWER_TIMEOUT);
    }

    /**
     * @param storesReachable whether the state stores answer (readiness); called per probe
     * @param answerTimeout   how long a change waits for the owning engine's answer (504 after)
     */
    public static void install(Javalin app, EngineAccess engine, TokenStore tokens, BooleanSupplier storesReachable,
                               Duration answerTimeout) {
        List<RestRoute> routes = routes(engine, storesReachable, answerTimeout);
        for (RestRoute route : routes) {
            // whether the engine is a replay is asked per request, never while the routes are built
            app.addHttpHandler(route.method(), route.path(), ctx -> serve(route, tokens, route.change() && engine.playback() != null, ctx));
        }
        Map<java.util.regex.Pattern, Set<String>> methods = methodsByPath(routes);
        app.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 404) {
                notFound(ctx, methods);
            } else {
                error(ctx, e.getStatus(), e.getStatus() == 413 ? tooLarge() : e.getMessage(), null);
            }
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                notFound(ctx, methods);
            }
        });
        LOG.info("REST API: {} routes; {} tokens for {}", routes.size(), tokens.size(), tokens.principals());
    }

    /** the route table: what is registered and what the OpenAPI document describes */
    static List<RestRoute> routes(EngineAccess engine, BooleanSupplier storesReachable, Duration answerTimeout) {
        ReadEndpoints read = new ReadEndpoints(engine, storesReachable);
        ChangeEndpoints change = new ChangeEndpoints(engine, answerTimeout);
        List<RestRoute> routes = new java.util.ArrayList<>(List.of(
                get("/health/live", Set.of(), "liveness", "200 while the process runs.", (ctx, c) -> read.live(ctx))
                        .returning(ResponseSchemas.LIVE),
                new RestRoute(HandlerType.GET, "/health/ready", Set.of(), null, List.of(), "readiness",
                        "200 when every configured feed's book is VALID and the stores are reachable; 503 with the reasons otherwise.",
                        false, List.of(503), (ctx, c) -> read.ready(ctx)).returning(ResponseSchemas.READY)
                        .returning(503, ResponseSchemas.READY),
                get("/api/v1/limits", ANYONE, "every risk limit",
                        "Every limit on every target: name, scope, target (venue, symbol, asset), unit, largest accepted value and "
                                + "current value, as last published by the risk engine.", (ctx, c) -> read.limits(ctx))
                        .returning(ResponseSchemas.LIMITS),
                get("/api/v1/positions", ANYONE, "positions and PnL",
                        "Per instrument: venue, symbol, position (lots and exact decimal text), average cost, realized, unrealized, "
                                + "fees (10^-9 quote units and decimal text) and fills; totals add quote assets at par.",
                        (ctx, c) -> read.positions(ctx)).returning(ResponseSchemas.POSITIONS),
                get("/api/v1/orders/open", ANYONE, "open orders",
                        "Every open order of ours as the execution engine last published it (on a TIMER): id (string), venue, "
                                + "symbol, the strategy that quotes the instrument, side, price and size (decimal text and ticks / "
                                + "lots), filled size, state, placed time (epoch ns of event time; null after a restart) and age "
                                + "(ms); beside them the open-order counters per venue.", (ctx, c) -> read.openOrders(ctx))
                        .returning(ResponseSchemas.OPEN_ORDERS),
                get("/api/v1/fills", ANYONE, "our last fills",
                        "Our last fills (up to 64), oldest first, as the execution engine last published them (on a TIMER): "
                                + "order id, venue, symbol, strategy, side, price, size and event time (epoch ns); total: our "
                                + "fills since the engine started.", (ctx, c) -> read.fills(ctx))
                        .returning(ResponseSchemas.FILLS),
                get("/api/v1/risk/rejects", ANYONE, "risk's rejects per check",
                        "Intents risk approved and rejected since the engine started, and the rejects per check (name, label, "
                                + "count), as last published on a TIMER.", (ctx, c) -> read.riskRejects(ctx))
                        .returning(ResponseSchemas.RISK_REJECTS),
                get("/api/v1/trading-states", ANYONE, "trading states",
                        "The global state, each venue's and each instrument's, and each instrument's effective (strictest) state.",
                        (ctx, c) -> read.tradingStates(ctx)).returning(ResponseSchemas.TRADING_STATES),
                get("/api/v1/feeds", ANYONE, "feeds",
                        "Per instrument its book state and, for a VALID book, best bid and ask (ticks, lots and decimal text); "
                                + "the fair value of each canonical pair.", (ctx, c) -> read.feeds(ctx))
                        .returning(ResponseSchemas.FEEDS),
                new RestRoute(HandlerType.GET, "/api/v1/audit/recent", ANYONE, null,
                        List.of(new RestRoute.QueryParam("limit", "how many of the latest changes", 1, ReadEndpoints.MAX_AUDIT,
                                ReadEndpoints.DEFAULT_AUDIT),
                                RestRoute.QueryParam.oneOf("kind", "only changes of this kind", io.mme.audit.AuditedChange.KINDS),
                                RestRoute.QueryParam.text("run", "only changes of this run (a run id, as runId names it)",
                                        io.mme.audit.RunId.PATTERN, io.mme.audit.RunId.MAX_LENGTH)),
                        "recent changes of every kind",
                        "The last N changes (applied and refused), oldest first: limits, trading states, the kill switch, strategy "
                                + "parameters, strategy start and stop, venue back-offs and the risk engine's own changes (principal "
                                + "'risk'); who, when, why, the target by name (venue, symbol), old and new value (trading states "
                                + "by name, start/stop as whether it quotes) and the owning engine's answer. With the run id "
                                + "(runId) that keys this run's rows in the PostgreSQL audit trail; ?run=ID filters by run: this "
                                + "engine holds its own run's changes only, so for another run it answers an empty list (that "
                                + "run's changes are in PostgreSQL, under its run_id).",
                        false, List.of(), (ctx, c) -> read.audit(ctx)).returning(ResponseSchemas.AUDIT),
                get("/api/v1/strategy", ANYONE, "strategy",
                        "Whether a strategy is configured and quoting, its parameter keys and our best live quotes per instrument.",
                        (ctx, c) -> read.strategy(ctx)).returning(ResponseSchemas.STRATEGY),
                get("/api/v1/strategies", ANYONE, "the desk's strategies",
                        "Per strategy: id, type, pair, venues with our best live quotes, state (quoting, stopped, halted with the "
                                + "reason when its code threw), position (its own fills, 10^-9 base units), realized (fees "
                                + "included), unrealized, fees and PnL over its instruments, open orders, every parameter and its "
                                + "own limits (none = the largest value), as last published on a TIMER.",
                        (ctx, c) -> read.strategies(ctx)).returning(ResponseSchemas.STRATEGIES),
                new RestRoute(HandlerType.POST, "/api/v1/strategies/{id}/start", TRADING, ChangeBodies.Reason.class, List.of(),
                        "start one strategy", "That strategy starts quoting (a halted one is restarted: the answer's message "
                        + "says why it had halted). old/new: whether it was quoting / quotes.", true, List.of(404),
                        change::strategyStart),
                new RestRoute(HandlerType.POST, "/api/v1/strategies/{id}/stop", TRADING, ChangeBodies.Reason.class, List.of(),
                        "stop one strategy", "That strategy stops quoting and cancels its quotes; the others quote on. old/new: "
                        + "whether it was quoting / quotes.", true, List.of(404), change::strategyStop),
                new RestRoute(HandlerType.PUT, "/api/v1/strategies/{id}/parameters/{key}", TRADING,
                        ChangeBodies.ParameterChange.class, List.of(), "set one strategy's parameter",
                        "Sets one parameter of that strategy (keys in GET /api/v1/strategies), in its unit; the strategy checks "
                        + "the range.", true, List.of(404), change::strategyParameter),
                new RestRoute(HandlerType.PUT, "/api/v1/strategies/{id}/limits/{name}", RISK,
                        ChangeBodies.ParameterChange.class, List.of(), "set one strategy's own limit",
                        "Sets maxPosition (10^-9 base units, worst case over its instruments), dailyLossLimit (10^-9 quote "
                        + "units; once reached it may only reduce its position until the UTC day ends) or maxOpenOrders of "
                        + "that strategy; risk enforces them beside the instrument, venue and global limits. Recorded as "
                        + "the risk limits strategyMaxPosition, strategyDailyLossLimit, strategyMaxOpenOrders.", true,
                        List.of(404), change::strategyLimit),
                put("/api/v1/limits/{name}", RISK, ChangeBodies.LimitChange.class, "set a risk limit",
                        "Sets one limit on the target its scope wants: instrument and asset limits name venue and symbol, venue "
                                + "limits the venue, global limits neither. Value in the limit's unit, >= 0.",
                        change::limit),
                put("/api/v1/trading-states", RISK, ChangeBodies.TradingStateChange.class, "set a trading state",
                        "Sets the trading state (ACTIVE, REDUCING, HALTED) globally, of a venue or of an instrument (strategy = "
                                + "global). On the same event execution cancels what the new state no longer allows: every open "
                                + "order of ours in a HALTED scope; in a REDUCING scope each instrument's orders on the side that "
                                + "would increase its position (bids when long, asks when short, both when flat).",
                        change::tradingState),
                put("/api/v1/strategy/parameters/{key}", TRADING, ChangeBodies.ParameterChange.class, "set a strategy parameter",
                        "Sets one strategy parameter (keys from GET /api/v1/strategy), in its unit; the strategy checks the range.",
                        change::parameter),
                post("/api/v1/strategy/start", TRADING, ChangeBodies.Reason.class, "start quoting",
                        "The strategy starts quoting. old/new: whether it was quoting / quotes.", change::start),
                post("/api/v1/strategy/stop", TRADING, ChangeBodies.Reason.class, "stop quoting",
                        "The strategy stops quoting and cancels its quotes. old/new: whether it was quoting / quotes.", change::stop),
                post("/api/v1/kill-switch", KILL, ChangeBodies.KillSwitch.class, "kill switch",
                        "Halts a scope and cancels every open order of ours in it: risk sets the scope's trading state (global "
                                + "when no scope is given; venue, instrument, or strategy = global) to HALTED and execution "
                                + "cancels every open order in the scope on the same event. A global kill switch also stops the "
                                + "strategy. Only PUT /api/v1/trading-states with ACTIVE on the same scope undoes it. old/new: "
                                + "the scope's trading state.",
                        change::killSwitch),
                post("/api/v1/cancel-all", KILL, ChangeBodies.CancelAll.class, "cancel every open order in a scope",
                        "Execution cancels every open order of ours in the scope (global, a venue, an instrument; strategy = "
                                + "global) on one control event; the trading states do not change, so the strategy may quote "
                                + "again at once where they allow it (halt the scope to keep it flat). old: the open orders in "
                                + "the scope as risk counted them; new: 0.",
                        change::cancelAll)));
        ReplayEndpoints replay = new ReplayEndpoints(engine);
        String replayNote = " Any role may control the playback: it is shared by every client of the replay's server and "
                + "changes nothing but what the engines are shown. 404 when the engine is not a replay.";
        routes.add(new RestRoute(HandlerType.GET, ReplayEndpoints.PATH, ANYONE, null, List.of(), "the playback of a replay",
                "A replay served by `mme replay --journal DIR --serve`: the journal, its event-time span, the position (the "
                        + "event time of the last record released into the engines), the speed, whether it plays, and the "
                        + "progress." + replayNote, false, List.of(404), (ctx, c) -> replay.state(ctx)).returning(ResponseSchemas.REPLAY));
        routes.add(new RestRoute(HandlerType.POST, ReplayEndpoints.PATH + "/play", ANYONE, null, List.of(), "play the replay",
                "Plays on from the position at the set speed; answers the playback's state." + replayNote, false, List.of(404),
                (ctx, c) -> replay.play(ctx)).returning(ResponseSchemas.REPLAY));
        routes.add(new RestRoute(HandlerType.POST, ReplayEndpoints.PATH + "/pause", ANYONE, null, List.of(), "pause the replay",
                "Holds the engines at the position; answers the playback's state." + replayNote, false, List.of(404),
                (ctx, c) -> replay.pause(ctx)).returning(ResponseSchemas.REPLAY));
        routes.add(new RestRoute(HandlerType.POST, ReplayEndpoints.PATH + "/speed", ANYONE, ChangeBodies.PlaybackSpeed.class,
                List.of(), "set the replay's speed", "Event time per wall time, from 0.5 to 100 (400 naming the value "
                + "otherwise); the position stays where it is. Answers the playback's state." + replayNote, false, List.of(404),
                (ctx, c) -> replay.speed(ctx)).returning(ResponseSchemas.REPLAY));
        routes.add(new RestRoute(HandlerType.POST, ReplayEndpoints.PATH + "/seek", ANYONE, ChangeBodies.PlaybackSeek.class,
                List.of(), "seek the replay", "Goes to an event time (epoch ns) within the journal's start..end (400 naming it "
                + "otherwise): forward, the records up to it go into the engines at once; backward, the engines are built again "
                + "and run from the journal's start to it (state 'seeking' until there). Playing or paused stays as it was. "
                + "Answers the playback's state." + replayNote, false, List.of(404),
                (ctx, c) -> replay.seek(ctx)).returning(ResponseSchemas.REPLAY));
        AtomicReference<List<RestRoute>> table = new AtomicReference<>();
        routes.add(get(ME, ANYONE, "who the token is",
                "The caller's principal and role, whether the engine is live or a replay, and every route (method and path "
                        + "template) that role may use: what a client offers the caller (in a replay no change route, in a live engine "
                        + "no playback route).",
                (ctx, c) -> me(ctx, c, table.get(), engine.playback() != null)).returning(ResponseSchemas.ME));
        AtomicReference<String> document = new AtomicReference<>();
        routes.add(get(OPENAPI, Set.of(), "this document",
                "The OpenAPI 3.0 document of every route, generated from the route table.", (ctx, c) -> json(ctx, 200, document.get()))
                .returning(ResponseSchemas.DOCUMENT));
        List<RestRoute> all = List.copyOf(routes);
        table.set(all);
        document.set(JsonBodies.write(OpenApiDocument.build(all, "v1")));
        return all;
    }

    private static void me(Context ctx, TokenStore.Caller caller, List<RestRoute> routes, boolean replaying) {
        List<String> allowed = new java.util.ArrayList<>();
        for (RestRoute route : routes) {
            // a replay offers no change, a live engine no playback
            boolean playback = route.path().startsWith(ReplayEndpoints.PATH);
            if (!route.isPublic() && route.allows(caller.role()) && !(replaying && route.change()) && (replaying || !playback)) {
                allowed.add(route.method().name() + " " + route.path());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("principal", caller.principal());
        body.put("role", caller.role().configName());
        body.put("mode", replaying ? "replay" : "live");
        body.put("allowed", allowed);
        json(ctx, 200, JsonBodies.write(body));
    }

    /** per path template (as a pattern), the methods served there: the routes, /metrics and the stream */
    private static Map<java.util.regex.Pattern, Set<String>> methodsByPath(List<RestRoute> routes) {
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        for (RestRoute route : routes) {
            byPath.computeIfAbsent(route.path(), p -> new java.util.TreeSet<>()).add(route.method().name());
        }
        byPath.computeIfAbsent(OpenApiDocument.METRICS_PATH, p -> new java.util.TreeSet<>()).add("GET");
        byPath.computeIfAbsent(OpenApiDocument.STREAM_PATH, p -> new java.util.TreeSet<>()).add("GET");
        Map<java.util.regex.Pattern, Set<String>> out = new LinkedHashMap<>();
        byPath.forEach((path, m) -> out.put(java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")), Set.copyOf(m)));
        return out;
    }

    /** 405 with Allow when the path is served with other methods (HEAD with GET), 404 otherwise */
    private static void notFound(Context ctx, Map<java.util.regex.Pattern, Set<String>> methods) {
        String path = ctx.path();
        for (Map.Entry<java.util.regex.Pattern, Set<String>> e : methods.entrySet()) {
            if (e.getKey().matcher(path).matches()) {
                java.util.TreeSet<String> allowed = new java.util.TreeSet<>(e.getValue());
                if (allowed.contains("GET")) {
                    allowed.add("HEAD");
                }
                String allow = String.join(", ", allowed);
                ctx.header("Allow", allow);
                error(ctx, 405, "method " + ctx.method() + " not allowed on " + FreeText.printable(path, 200) + " (allowed: " + allow
                        + ")", null);
                return;
            }
        }
        error(ctx, 404, "no route " + ctx.method() + " " + FreeText.printable(path, 200), null);
    }

    private static String tooLarge() {
        return "the request body is larger than " + MAX_BODY_BYTES + " bytes";
    }

    private static RestRoute get(String path, Set<Role> roles, String summary, String description, RestRoute.RouteHandler h) {
        return new RestRoute(HandlerType.GET, path, roles, null, List.of(), summary, description, false, List.of(), h);
    }

    private static RestRoute put(String path, Set<Role> roles, Class<? extends Record> body, String summary, String description,
                                 RestRoute.RouteHandler h) {
        return new RestRoute(HandlerType.PUT, path, roles, body, List.of(), summary, description, true, List.of(), h);
    }

    private static RestRoute post(String path, Set<Role> roles, Class<? extends Record> body, String summary, String description,
                                  RestRoute.RouteHandler h) {
        return new RestRoute(HandlerType.POST, path, roles, body, List.of(), summary, description, true, List.of(), h);
    }

    /** @param readOnly a change route of an engine that replays a journal: refused (409), after authentication and role */
    private static void serve(RestRoute route, TokenStore tokens, boolean readOnly, Context ctx) {
        TokenStore.Caller caller = null;
        try {
            if (!route.isPublic()) {
                caller = authenticate(tokens, ctx);
                if (!route.allows(caller.role())) {
                    throw new ApiError(403, "role " + caller.role().configName() + " may not " + route.method() + " "
                            + route.path() + " (allowed: " + OpenApiDocument.roleNames(route) + ")", null);
                }
            }
            if (readOnly) {
                throw new ApiError(409, io.mme.app.api.PlaybackEngineAccess.READ_ONLY, null);
            }
            // a declared length is refused before reading; a chunked body once read (Javalin caches it for the handler)
            if (route.body() != null && (ctx.contentLength() > MAX_BODY_BYTES || ctx.bodyAsBytes().length > MAX_BODY_BYTES)) {
                throw new ApiError(413, tooLarge(), null);
            }
            route.handler().handle(ctx, caller);
        } catch (HttpResponseException e) {
            // Javalin's own refusals while reading the request (413 past maxRequestSize)
            error(ctx, e.getStatus(), e.getStatus() == 413 ? tooLarge() : e.getMessage(), null);
        } catch (ApiError e) {
            if (e.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"mme\"");
            }
            error(ctx, e.status(), e.getMessage(), e.field());
        } catch (Exception e) {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error: " + e.getClass().getSimpleName(), null);
        }
        if (route.change()) {
            LOG.info("{} {} by {}: {}", ctx.method(), FreeText.printable(ctx.path(), 200),
                    caller == null ? "(unauthenticated)" : caller.principal(), ctx.statusCode());
        }
    }

    private static TokenStore.Caller authenticate(TokenStore tokens, Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiError(401, "authentication required: Authorization: Bearer <token>", null);
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "authentication required: the Authorization scheme must be Bearer", null);
        }
        Optional<TokenStore.Caller> caller = tokens.authenticate(header.substring(7).trim());
        return caller.orElseThrow(() -> new ApiError(401, "invalid token", null));
    }

    static void error(Context ctx, int status, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        json(ctx, status, JsonBodies.write(body));
    }

    static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }
}
