package io.mme.app.api.rest;

import io.mme.audit.AuditedChange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.0 schemas of the API's response bodies, one per read route, written beside the
 * handlers that build those bodies ({@link ReadEndpoints}, {@link ChangeEndpoints}, {@link RestApi})
 * so that a change to a body shows as a change here; the contract test validates every response
 * against them. Objects list every property they may have ({@code additionalProperties: false}).
 * Constants; any thread.
 */
final class ResponseSchemas {
    static final List<String> STATES = List.of("ACTIVE", "REDUCING", "HALTED");
    static final List<String> VENUES = java.util.Arrays.stream(io.mme.core.instrument.Venue.values()).map(io.mme.core.instrument.Venue::configName).toList();

    /** the error body of every status but 200 (and the readiness probe's 503) */
    static final Map<String, Object> ERROR = object(props(
            "error", describe(str(), "what was wrong"),
            "field", describe(nullable(str()), "the request field at fault, or null"),
            "applied", describe(bool(), "409/422 from the owning engine: false (nothing changed)"),
            "sequence", describe(int64(), "409/422 from the owning engine: the CONTROL event's journal sequence (see the audit "
                    + "trail)")), "error");

    /** a change's answer: old and new value as the change's kind renders them */
    static final Map<String, Object> CHANGE_RESULT = object(props(
            "applied", bool(),
            "old", describe(value(), "the value before (number, trading state name or boolean)"),
            "new", describe(value(), "the value after"),
            "sequence", describe(int64(), "the CONTROL event's journal sequence"),
            "message", nullable(str())), "applied", "sequence", "old", "new");

    static final Map<String, Object> LIVE = object(props("status", enumOf("live")), "status");

    static final Map<String, Object> READY = object(props(
            "status", enumOf("ready", "not ready"),
            "reasons", array(str())), "status", "reasons");

    static final Map<String, Object> LIMITS = object(props("limits", array(object(props(
            "name", str(), "scope", enumOf("instrument", "asset", "venue", "global", "strategy"), "target", str(),
            "venue", enumOf(VENUES.toArray()), "symbol", str(), "asset", str(), "strategy", str(),
            "unit", str(), "maxValue", int64(), "value", int64()),
            "name", "scope", "target", "unit", "maxValue", "value"))), "limits");

    static final Map<String, Object> POSITIONS = object(props(
            "positions", array(object(merge(props("venue", enumOf(VENUES.toArray()), "symbol", str(), "position", decimal(),
                    "positionLots", int64(), "fills", int64()), money("averageCost"), money("realized"), money("unrealized"),
                    money("fees")), "venue", "symbol", "position", "positionLots", "averageCost", "averageCostNanos", "realized",
                    "realizedNanos", "unrealized", "unrealizedNanos", "fees", "feesNanos", "fills")),
            "totals", object(merge(props("fills", int64()), money("realized"), money("unrealized"), money("fees"),
                    money("dailyPnl")), "realized", "realizedNanos", "unrealized", "unrealizedNanos", "fees", "feesNanos", "fills",
                    "dailyPnl", "dailyPnlNanos"),
            "publishedAtNanos", int64()), "positions", "totals", "publishedAtNanos");

    static final Map<String, Object> OPEN_ORDERS = object(props(
            "venues", array(object(props("venue", str(), "openOrders", int64()), "venue", "openOrders")),
            "otherVenues", int64(), "total", int64(),
            "orders", array(object(props("id", describe(str(), "client order id (all 64 bits: a string)"),
                    "venue", enumOf(VENUES.toArray()), "symbol", str(), "strategy", nullable(str()), "side", enumOf("buy", "sell"),
                    "price", decimal(), "priceTicks", int64(), "size", decimal(), "sizeLots", int64(), "filled", decimal(),
                    "state", str(), "placedAtNanos", nullable(int64()), "ageMillis", nullable(int64())),
                    "id", "venue", "symbol", "strategy", "side", "price", "priceTicks", "size", "sizeLots", "filled", "state",
                    "placedAtNanos", "ageMillis")),
            "publishedAtNanos", int64()), "venues", "otherVenues", "total", "orders", "publishedAtNanos");

    static final Map<String, Object> FILLS = object(props(
            "fills", array(object(props("orderId", str(), "venue", enumOf(VENUES.toArray()), "symbol", str(),
                    "strategy", nullable(str()), "side", enumOf("buy", "sell"), "price", decimal(), "size", decimal(),
                    "timeNanos", int64()), "orderId", "venue", "symbol", "strategy", "side", "price", "size", "timeNanos")),
            "total", int64(), "publishedAtNanos", int64()), "fills", "total", "publishedAtNanos");

    static final Map<String, Object> RISK_REJECTS = object(props("approved", int64(), "rejected", int64(),
            "byCheck", array(object(props("check", str(), "label", str(), "rejected", int64()), "check", "label", "rejected")),
            "publishedAtNanos", int64()), "approved", "rejected", "byCheck", "publishedAtNanos");

    static final Map<String, Object> ME = object(props("principal", str(),
            "role", enumOf("viewer", "trader", "risk-officer", "admin"),
            "mode", describe(enumOf("live", "replay"), "replay: the engine replays a journal (mme replay --serve), read-only: "
                    + "no change route is allowed, /api/v1/replay controls the playback"),
            "allowed", describe(array(str()), "every route the role may use, as 'METHOD /path/{template}'")),
            "principal", "role", "mode", "allowed");

    /** GET /api/v1/replay and the answer of every playback control */
    static final Map<String, Object> REPLAY = object(props(
            "journal", describe(str(), "the run directory replayed"),
            "state", describe(enumOf("playing", "paused", "seeking", "ended"), "what the playback does now (seeking: a seek is "
                    + "under way; a backward one rebuilds the engines from the journal's start)"),
            "playing", describe(bool(), "playing (true) or paused; stays as it was through a seek and at the end"),
            "speed", describe(Map.of("type", "number", "minimum", io.mme.app.api.PlaybackControl.MIN_SPEED,
                    "maximum", io.mme.app.api.PlaybackControl.MAX_SPEED), "event time per wall time"),
            "startNanos", describe(int64(), "event time of the journal's first record (epoch ns)"),
            "endNanos", describe(int64(), "event time of its last record (epoch ns)"),
            "positionNanos", describe(int64(), "event time of the last record released into the engines (epoch ns)"),
            "start", describe(str(), "startNanos as ISO-8601 UTC"),
            "end", describe(str(), "endNanos as ISO-8601 UTC"),
            "position", describe(str(), "positionNanos as ISO-8601 UTC"),
            "progress", describe(Map.of("type", "number", "minimum", 0, "maximum", 1), "(position - start) / (end - start)"),
            "records", describe(int64(), "records in the journal"),
            "released", describe(int64(), "records released into the engines since the engines were (re)built"),
            "rebuilds", describe(int64(), "seeks backward so far (each built the engines again)")),
            "journal", "state", "playing", "speed", "startNanos", "endNanos", "positionNanos", "start", "end", "position", "progress",
            "records", "released", "rebuilds");

    static final Map<String, Object> TRADING_STATES = object(props(
            "global", enumOf(STATES.toArray()),
            "venues", array(object(props("venue", enumOf(VENUES.toArray()), "state", enumOf(STATES.toArray())), "venue", "state")),
            "instruments", array(object(props("venue", enumOf(VENUES.toArray()), "symbol", str(), "state", enumOf(STATES.toArray()),
                    "effective", enumOf(STATES.toArray())), "venue", "symbol", "state", "effective"))),
            "global", "venues", "instruments");

    private static final Map<String, Object> SIDE = nullable(object(props("price", decimal(), "priceTicks", int64(),
            "size", decimal(), "sizeLots", int64()), "price", "priceTicks", "size", "sizeLots"));

    static final Map<String, Object> FEEDS = object(props(
            "feeds", array(object(props("venue", enumOf(VENUES.toArray()), "symbol", str(), "pair", str(),
                    "state", str(), "bid", SIDE, "ask", SIDE), "venue", "symbol", "pair", "state", "bid", "ask")),
            "fairValues", array(object(merge(props("pair", str()), nullableMoney("fairValue")), "pair", "fairValue",
                    "fairValueNanos")),
            "publishedAtNanos", int64()), "feeds", "fairValues", "publishedAtNanos");

    static final Map<String, Object> AUDIT = object(props(
            "runId", describe(nullable(str()), "the run id that keys this run's rows in the PostgreSQL audit trail (the run "
                    + "directory's run-id file); null for an engine without a run directory"),
            "changes", array(object(props(
            "sequence", describe(int64(), "the CONTROL event's journal sequence"),
            "timestampNanos", int64(),
            "time", describe(str(), "ISO-8601 UTC"),
            "kind", describe(str(), "one of " + String.join(", ", AuditedChange.KINDS) + " (or a command name this version "
                    + "does not know)"),
            "command", str(),
            "requestId", describe(int64(), "0 for an engine's own change"),
            "principal", describe(nullable(str()), "who: the token's principal, 'risk' for the risk engine's own changes"),
            "reason", describe(nullable(str()), "why"),
            "scope", enumOf("global", "venue", "instrument", "strategy"),
            "venue", nullable(str()),
            "symbol", nullable(str()),
            "key", describe(nullable(str()), "the limit or parameter name"),
            "oldValue", describe(nullableValue(), "the value before (null when refused or unanswered): a number, a trading "
                    + "state name, or for start/stop whether it was quoting"),
            "newValue", describe(value(), "the value asked for, in the same form"),
            "applied", describe(nullable(bool()), "null when no engine answered"),
            "message", nullable(str()),
            "strategy", describe(nullable(str()), "the strategy's id for a strategy's start, stop, parameter or own limit")),
            "sequence", "timestampNanos", "time", "kind", "command", "requestId", "principal", "reason", "scope", "venue",
            "symbol", "key", "oldValue", "newValue", "applied", "message", "strategy"))), "runId", "changes");

    static final Map<String, Object> STRATEGY = object(merge(props(
            "configured", bool(),
            "parameterKeys", array(str()),
            "quoting", bool(),
            "quotes", array(object(props("venue", enumOf(VENUES.toArray()), "symbol", str(), "bid", SIDE, "ask", SIDE),
                    "venue", "symbol", "bid", "ask")),
            "publishedAtNanos", int64()), money("inventory"), nullableMoney("fairValue")),
            "configured", "parameterKeys");

    static final Map<String, Object> STRATEGIES = object(props("strategies", array(object(merge(props(
            "id", str(),
            "type", str(),
            "pair", str(),
            "venues", array(object(props("venue", enumOf(VENUES.toArray()), "symbol", str(), "bid", SIDE, "ask", SIDE),
                    "venue", "symbol", "bid", "ask")),
            "state", describe(enumOf("quoting", "stopped", "halted"), "halted: the strategy's code threw; see haltReason"),
            "haltReason", nullable(str()),
            "openOrders", describe(int64(), "quote slots holding an order (pending or live)"),
            "fills", describe(int64(), "fills of our orders on its instruments"),
            "parameters", describe(Map.of("type", "object", "additionalProperties", int64()), "every parameter key and value"),
            "report", describe(Map.of("type", "object", "additionalProperties", int64()),
                    "what the strategy reports about itself (read-only; e.g. xemm's hedge slippage and edge per round trip), "
                            + "each key in the unit it names; empty for a strategy that reports nothing"),
            "limits", object(props("maxPosition", int64(), "dailyLossLimit", int64(), "maxOpenOrders", int64()),
                    "maxPosition", "dailyLossLimit", "maxOpenOrders"),
            "publishedAtNanos", int64()),
            money("position"), money("realized"), money("unrealized"), money("fees"), money("pnl"), nullableMoney("fairValue")),
            "id", "type", "pair", "venues", "state", "haltReason", "openOrders", "fills", "parameters", "report", "limits",
            "position", "positionNanos", "realized", "realizedNanos", "unrealized", "unrealizedNanos", "fees", "feesNanos", "pnl", "pnlNanos",
            "fairValue", "fairValueNanos", "publishedAtNanos"))), "strategies");

    static final Map<String, Object> DOCUMENT = describe(object(props(
            "openapi", str(), "info", Map.of("type", "object"), "paths", Map.of("type", "object"),
            "components", Map.of("type", "object"), "security", Map.of("type", "array")),
            "openapi", "info", "paths"), "this document");

    private ResponseSchemas() {
    }

    static Map<String, Object> str() {
        return Map.of("type", "string");
    }

    /** exact decimal text */
    static Map<String, Object> decimal() {
        return Map.of("type", "string", "pattern", "^-?[0-9]+(\\.[0-9]+)?$");
    }

    static Map<String, Object> int64() {
        return Map.of("type", "integer", "format", "int64");
    }

    static Map<String, Object> bool() {
        return Map.of("type", "boolean");
    }

    /** a number, a string or a boolean */
    static Map<String, Object> value() {
        return Map.of("anyOf", List.of(int64(), str(), bool()));
    }

    /** a number, a string, a boolean or null (OpenAPI 3.0 has no null type: the string branch is nullable) */
    static Map<String, Object> nullableValue() {
        return Map.of("anyOf", List.of(int64(), nullable(str()), bool()));
    }

    static Map<String, Object> enumOf(Object... values) {
        return Map.of("type", "string", "enum", List.of(values));
    }

    static Map<String, Object> array(Map<String, Object> items) {
        return Map.of("type", "array", "items", items);
    }

    static Map<String, Object> nullable(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>(schema);
        out.put("nullable", true);
        return out;
    }

    static Map<String, Object> describe(Map<String, Object> schema, String description) {
        Map<String, Object> out = new LinkedHashMap<>(schema);
        out.put("description", description);
        return out;
    }

    /** a 10^-9 amount as decimal text {@code name} and {@code nameNanos} */
    private static Map<String, Object> money(String name) {
        return props(name, decimal(), name + "Nanos", int64());
    }

    private static Map<String, Object> nullableMoney(String name) {
        return props(name, nullable(decimal()), name + "Nanos", nullable(int64()));
    }

    static Map<String, Object> props(Object... nameSchema) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < nameSchema.length; i += 2) {
            out.put((String) nameSchema[i], nameSchema[i + 1]);
        }
        return out;
    }

    @SafeVarargs
    private static Map<String, Object> merge(Map<String, Object>... parts) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> p : parts) {
            out.putAll(p);
        }
        return out;
    }

    static Map<String, Object> object(Map<String, Object> properties, String... required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (required.length > 0) {
            schema.put("required", new ArrayList<>(List.of(required)));
        }
        schema.put("additionalProperties", false);
        return schema;
    }
}
