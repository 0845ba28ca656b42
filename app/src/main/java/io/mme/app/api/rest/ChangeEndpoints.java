package io.mme.app.api.rest;

import io.javalin.http.Context;
import io.mme.app.api.ControlAnswer;
import io.mme.app.api.ControlRequest;
import io.mme.app.api.EngineAccess;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.TradingState;
import io.mme.risk.LimitKind;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * The change routes: each validates its body, becomes one {@link ControlRequest} (principal = the
 * token's, reason required) and waits for the owning engine's answer. Status rule: 200 applied;
 * 422 refused with a message saying the value is out of the engine's range
 * ({@link #OUT_OF_RANGE}); 409 any other refusal or no engine owning the command; 504 no answer
 * within the timeout; 503 the engine is shutting down. Stateless; any Jetty thread (blocks it
 * while waiting).
 */
final class ChangeEndpoints {
    /**
     * The phrases of the engines' refusal messages that mean "value out of range": risk's
     * {@code negative value} and {@code above the largest}, the strategies' {@code must be between}.
     */
    static final List<String> OUT_OF_RANGE = List.of("negative value", "above the largest", "must be between");

    private final EngineAccess engine;
    private final Duration timeout;

    ChangeEndpoints(EngineAccess engine, Duration timeout) {
        this.engine = engine;
        this.timeout = timeout;
    }

    void limit(Context ctx, TokenStore.Caller caller) {
        ChangeBodies.LimitChange body = JsonBodies.read(ctx.body(), ChangeBodies.LimitChange.class);
        String reason = reason(body.reason());
        String name = ctx.pathParam("name");
        FreeText.check("name", "path parameter", name);
        if (body.value() == null) {
            throw ApiError.badRequest("value", "field 'value' is required");
        }
        if (body.value() < 0) {
            throw ApiError.badRequest("value", "field 'value' must be >= 0, not " + body.value());
        }
        LimitKind kind = LimitKind.ofKey(name);
        int venue = -1;
        int instrument = -1;
        LimitKind.Scope scope = kind == null ? guessScope(body) : kind.scope();
        switch (scope) {
            case INSTRUMENT, ASSET -> {
                Instrument in = instrument(body.venue(), body.symbol());
                venue = in.venue().id();
                instrument = in.id();
            }
            case VENUE -> {
                forbid("symbol", body.symbol(), name + " is set on a venue");
                venue = venue(body.venue()).id();
            }
            case GLOBAL -> {
                forbid("venue", body.venue(), name + " is global");
                forbid("symbol", body.symbol(), name + " is global");
            }
            case STRATEGY -> {
                // neither venue nor instrument (as before this case was written out)
            }
        }
        // an unknown name goes to the engine all the same: it owns the limits and refuses it (409)
        submit(ctx, new ControlRequest(ControlCommands.SET_LIMIT, caller.principal(), reason, venue, instrument, name, body.value()),
                old -> old, body.value());
    }

    void tradingState(Context ctx, TokenStore.Caller caller) {
        ChangeBodies.TradingStateChange body = JsonBodies.read(ctx.body(), ChangeBodies.TradingStateChange.class);
        String reason = reason(body.reason());
        if (body.scope() == null) {
            throw ApiError.badRequest("scope", "field 'scope' is required: " + SCOPES);
        }
        if (body.state() == null) {
            throw ApiError.badRequest("state", "field 'state' is required: ACTIVE, REDUCING or HALTED");
        }
        TradingState state = Arrays.stream(TradingState.values()).filter(s -> s.name().equalsIgnoreCase(body.state().trim()))
                .findFirst().orElseThrow(() -> ApiError.badRequest("state", "unknown state '" + body.state()
                        + "': expected ACTIVE, REDUCING or HALTED"));
        Target target = target(body.scope(), body.venue(), body.symbol());
        submit(ctx, new ControlRequest(ControlCommands.SET_TRADING_STATE, caller.principal(), reason, target.venue(),
                target.instrument(), null, state.ordinal()), ChangeEndpoints::stateName, state.name());
    }

    void parameter(Context ctx, TokenStore.Caller caller) {
        ChangeBodies.ParameterChange body = JsonBodies.read(ctx.body(), ChangeBodies.ParameterChange.class);
        String reason = reason(body.reason());
        if (body.value() == null) {
            throw ApiError.badRequest("value", "field 'value' is required");
        }
        String key = ctx.pathParam("key");
        FreeText.check("key", "path parameter", key);
        submit(ctx, new ControlRequest(ControlCommands.SET_STRATEGY_PARAMETER, caller.principal(), reason, -1, -1, key, body.value()),
                old -> old, body.value());
    }

    void start(Context ctx, TokenStore.Caller caller) {
        String reason = reason(JsonBodies.read(ctx.body(), ChangeBodies.Reason.class).reason());
        submit(ctx, new ControlRequest(ControlCommands.START_STRATEGY, caller.principal(), reason, -1, -1, null, 0),
                old -> old != 0, true);
    }

    void stop(Context ctx, TokenStore.Caller caller) {
        String reason = reason(JsonBodies.read(ctx.body(), ChangeBodies.Reason.class).reason());
        submit(ctx, new ControlRequest(ControlCommands.STOP_STRATEGY, caller.principal(), reason, -1, -1, null, 0),
                old -> old != 0, false);
    }

    /** the strategy named by the path's {id}: its first instrument addresses it in a control command (404 when unknown) */
    private int strategyInstrument(Context ctx) {
        String id = ctx.pathParam("id");
        FreeText.check("id", "path parameter", id);
        for (io.mme.strategy.StrategyUnit unit : engine.strategies()) {
            if (unit.id().equals(id)) {
                return unit.view().instrumentId(0);
            }
        }
        throw new ApiError(404, "no strategy '" + id + "'; strategies: "
                + String.join(", ", engine.strategies().stream().map(io.mme.strategy.StrategyUnit::id).toList()), "id");
    }

    void strategyParameter(Context ctx, TokenStore.Caller caller) {
        ChangeBodies.ParameterChange body = JsonBodies.read(ctx.body(), ChangeBodies.ParameterChange.class);
        String reason = reason(body.reason());
        if (body.value() == null) {
            throw ApiError.badRequest("value", "field 'value' is required");
        }
        String key = ctx.pathParam("key");
        FreeText.check("key", "path parameter", key);
        int instrument = strategyInstrument(ctx);
        submit(ctx, new ControlRequest(ControlCommands.SET_STRATEGY_PARAMETER, caller.principal(), reason, -1, instrument, key,
                body.value()), old -> old, body.value());
    }

    void strategyStart(Context ctx, TokenStore.Caller caller) {
        String reason = reason(JsonBodies.read(ctx.body(), ChangeBodies.Reason.class).reason());
        int instrument = strategyInstrument(ctx);
        submit(ctx, new ControlRequest(ControlCommands.START_STRATEGY, caller.principal(), reason, -1, instrument, null, 0),
                old -> old != 0, true);
    }

    void strategyStop(Context ctx, TokenStore.Caller caller) {
        String reason = reason(JsonBodies.read(ctx.body(), ChangeBodies.Reason.class).reason());
        int instrument = strategyInstrument(ctx);
        submit(ctx, new ControlRequest(ControlCommands.STOP_STRATEGY, caller.principal(), reason, -1, instrument, null, 0),
                old -> old != 0, false);
    }

    /** the names of a strategy's own limits in the API and the configuration, and the risk limit each is */
    static final Map<String, LimitKind> STRATEGY_LIMITS = Map.of("maxPosition", LimitKind.STRATEGY_MAX_POSITION,
            "dailyLossLimit", LimitKind.STRATEGY_DAILY_LOSS, "maxOpenOrders", LimitKind.STRATEGY_MAX_OPEN_ORDERS);

    void strategyLimit(Context ctx, TokenStore.Caller caller) {
        ChangeBodies.ParameterChange body = JsonBodies.read(ctx.body(), ChangeBodies.ParameterChange.class);
        String reason = reason(body.reason());
        String name = ctx.pathParam("name");
        FreeText.check("name", "path parameter", name);
        LimitKind kind = STRATEGY_LIMITS.get(name);
        if (kind == null) {
            throw ApiError.badRequest("name", "unknown strategy limit '" + name + "': expected one of "
                    + String.join(", ", new java.util.TreeSet<>(STRATEGY_LIMITS.keySet())));
        }
        if (body.value() == null) {
            throw ApiError.badRequest("value", "field 'value' is required");
        }
        if (body.value() < 0) {
            throw ApiError.badRequest("value", "field 'value' must be >= 0, not " + body.value());
        }
        int instrument = strategyInstrument(ctx);
        submit(ctx, new ControlRequest(ControlCommands.SET_LIMIT, caller.principal(), reason, -1, instrument, kind.key(),
                body.value()), old -> old, body.value());
    }

    void killSwitch(Context ctx, TokenStore.Caller caller) {
        ChangeBodies.KillSwitch body = JsonBodies.read(ctx.body(), ChangeBodies.KillSwitch.class);
        String reason = reason(body.reason());
        Target target = body.scope() == null && body.venue() == null && body.symbol() == null ? Target.GLOBAL
                : target(body.scope() == null ? "global" : body.scope(), body.venue(), body.symbol());
        submit(ctx, new ControlRequest(ControlCommands.KILL_SWITCH, caller.principal(), reason, target.venue(), target.instrument(),
                null, 0), ChangeEndpoints::stateName, TradingState.HALTED.name());
    }

    void cancelAll(Context ctx, TokenStore.Caller caller) {
        ChangeBodies.CancelAll body = JsonBodies.read(ctx.body(), ChangeBodies.CancelAll.class);
        String reason = reason(body.reason());
        if (body.scope() == null) {
            throw ApiError.badRequest("scope", "field 'scope' is required: " + SCOPES);
        }
        Target target = target(body.scope(), body.venue(), body.symbol());
        submit(ctx, new ControlRequest(ControlCommands.CANCEL_ALL, caller.principal(), reason, target.venue(), target.instrument(),
                null, 0), old -> old, 0L);
    }

    static final String SCOPES = "global, venue, instrument or strategy";

    /** what a scope names, as the control command's target (-1 = all) */
    record Target(int venue, int instrument) {
        static final Target GLOBAL = new Target(-1, -1);
    }

    /**
     * The target of a scope. {@code strategy} stands for every strategy of the desk, the global
     * scope (trading states are not kept per strategy: one strategy is stopped by its own start/stop
     * route and bounded by its own limits).
     */
    private Target target(String scope, String venue, String symbol) {
        switch (scope.trim().toLowerCase(Locale.ROOT)) {
            case "global", "strategy" -> {
                forbid("venue", venue, "scope " + scope.trim() + " takes no venue");
                forbid("symbol", symbol, "scope " + scope.trim() + " takes no symbol");
                return Target.GLOBAL;
            }
            case "venue" -> {
                forbid("symbol", symbol, "scope venue takes no symbol");
                return new Target(venue(venue).id(), -1);
            }
            case "instrument" -> {
                Instrument in = instrument(venue, symbol);
                return new Target(in.venue().id(), in.id());
            }
            default -> throw ApiError.badRequest("scope", "unknown scope '" + scope + "': expected " + SCOPES);
        }
    }

    /** the HTTP status for a refusal message: 422 when it says the value is out of range, else 409 */
    static int refusalStatus(String message) {
        if (message != null) {
            for (String phrase : OUT_OF_RANGE) {
                if (message.contains(phrase)) {
                    return 422;
                }
            }
        }
        return 409;
    }

    private void submit(Context ctx, ControlRequest request, LongFunction<Object> old, Object newValue) {
        ControlAnswer answer;
        try {
            CompletableFuture<ControlAnswer> future = engine.submit(request, timeout);
            answer = future.get(timeout.toMillis() + 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            throw new ApiError(503, "the engine is shutting down: " + e.getMessage(), null);
        } catch (TimeoutException e) {
            throw timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted while waiting for the engine's answer", null);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw timedOut();
            }
            if (cause instanceof IllegalStateException) {
                throw new ApiError(503, "the engine is shutting down: " + cause.getMessage(), null);
            }
            throw new IllegalStateException("the engine's answer failed", cause);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("applied", answer.applied());
        body.put("sequence", answer.sequence());
        if (!answer.answered()) {
            body.put("error", "no engine owns " + request.command() + " (is a strategy configured?); nothing changed");
            RestApi.json(ctx, 409, JsonBodies.write(body));
            return;
        }
        if (!answer.applied()) {
            body.put("error", answer.message() == null ? "refused by the engine" : answer.message());
            RestApi.json(ctx, refusalStatus(answer.message()), JsonBodies.write(body));
            return;
        }
        body.put("old", old.apply(answer.oldValue()));
        body.put("new", newValue);
        if (answer.message() != null) {
            body.put("message", answer.message());
        }
        RestApi.json(ctx, 200, JsonBodies.write(body));
    }

    private ApiError timedOut() {
        return new ApiError(504, "no answer from the engine within " + timeout.toMillis()
                + " ms; the change may still apply (see /api/v1/audit/recent)", null);
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw ApiError.badRequest("reason", "field 'reason' is required and must not be blank");
        }
        FreeText.check("reason", "field", reason);
        return reason.trim();
    }

    private static Object stateName(long ordinal) {
        return ordinal >= 0 && ordinal < TradingState.values().length ? TradingState.values()[(int) ordinal].name() : ordinal;
    }

    private static LimitKind.Scope guessScope(ChangeBodies.LimitChange body) {
        if (body.symbol() != null) {
            return LimitKind.Scope.INSTRUMENT;
        }
        return body.venue() != null ? LimitKind.Scope.VENUE : LimitKind.Scope.GLOBAL;
    }

    private static void forbid(String field, String value, String why) {
        if (value != null) {
            throw ApiError.badRequest(field, "field '" + field + "' is not allowed: " + why);
        }
    }

    private static Venue venue(String text) {
        if (text == null || text.isBlank()) {
            throw ApiError.badRequest("venue", "field 'venue' is required: binance, coinbase or kraken");
        }
        try {
            return Venue.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("venue", e.getMessage());
        }
    }

    private Instrument instrument(String venueText, String symbol) {
        Venue venue = venue(venueText);
        if (symbol == null || symbol.isBlank()) {
            throw ApiError.badRequest("symbol", "field 'symbol' is required: the instrument's venue symbol");
        }
        Instrument instrument = engine.instruments().find(venue, symbol.trim());
        if (instrument == null) {
            throw ApiError.badRequest("symbol", "no instrument " + symbol + " on " + venue.configName());
        }
        return instrument;
    }
}
