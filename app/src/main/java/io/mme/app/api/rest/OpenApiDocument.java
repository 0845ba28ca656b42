package io.mme.app.api.rest;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.0 document from the route table {@link RestApi} registers, so that every
 * route is described and nothing else: paths, methods, who may call (bearer security plus an
 * {@code x-roles} list), path and query parameters, the request body's schema from its record
 * (every field, no others: {@code additionalProperties: false}) and the responses. Built once at
 * install; stateless.
 */
final class OpenApiDocument {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final Map<Integer, String> STATUS_TEXT = Map.ofEntries(
            Map.entry(200, "OK"),
            Map.entry(400, "invalid request: the body names the field at fault"),
            Map.entry(401, "missing or unknown bearer token (WWW-Authenticate: Bearer)"),
            Map.entry(403, "the token's role may not call this route"),
            Map.entry(404, "no strategy with that id (GET /api/v1/strategies lists them)"),
            Map.entry(413, "the request body is larger than " + RestApi.MAX_BODY_BYTES + " bytes"),
            Map.entry(409, "the owning engine answered but refused the change (the body says why), or no engine owns it"),
            Map.entry(422, "the owning engine refused the value as outside its range (the body says the range)"),
            Map.entry(503, "not available: the engine is shutting down, or (readiness) not ready"),
            Map.entry(504, "the owning engine did not answer in time; the change may still apply later (see the audit trail)"));

    private OpenApiDocument() {
    }

    static Map<String, Object> build(List<RestRoute> routes, String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of(
                "title", "mme REST API",
                "version", version,
                "description", "Operator API of the mme market-making engine. Authentication: 'Authorization: Bearer <token>' on every "
                        + "route except the health probes and this document (which are public). Roles: viewer, trader, "
                        + "risk-officer, admin; admin may call every route. Every change needs a non-blank 'reason' and is "
                        + "audited with the token's principal; it is answered once the engine that owns the state has handled it. "
                        + "Refusals: 422 when the engine's refusal message says the value is out of its range (risk: 'negative value' "
                        + "or 'above the largest'; strategy: 'must be between'), 409 for every other refusal. Unknown request "
                        + "fields are rejected (400). Text (every request body string and path parameter) must hold no control "
                        + "characters (newline, tab, other C0/C1 characters, U+2028, U+2029) and is at most "
                        + FreeText.MAX_REASON + " characters for 'reason', " + FreeText.MAX_NAME + " for the others (400 otherwise). "
                        + "Bodies over " + RestApi.MAX_BODY_BYTES + " bytes get 413; a method a path does not serve gets 405 with "
                        + "an 'Allow' header; an unknown path 404. Every error body is an 'Error'."));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (RestRoute route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<String, Object>());
            item.put(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        paths.put(METRICS_PATH, Map.of("get", metricsOperation()));
        paths.put(STREAM_PATH, Map.of("get", streamOperation()));
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")));
        components.put("schemas", Map.of("Error", ResponseSchemas.ERROR, "ChangeResult", ResponseSchemas.CHANGE_RESULT));
        doc.put("components", components);
        doc.put("security", List.of(Map.of("bearer", List.of())));
        return doc;
    }

    /** the metrics exporter's path (io.mme.app.metrics.MetricsExporter#PATH), served beside the API */
    static final String METRICS_PATH = "/metrics";
    /** the streaming endpoint's path (io.mme.app.stream.StreamServer#PATH) */
    static final String STREAM_PATH = "/api/v1/stream";

    private static Map<String, Object> metricsOperation() {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", "getMetrics");
        op.put("summary", "Prometheus metrics");
        op.put("description", "Every metric family of the engine and the JVM for Prometheus: the text format 0.0.4, or OpenMetrics "
                + "1.0 when the Accept header asks for application/openmetrics-text. Served by the engine beside the API (not by "
                + "the REST route table). Public: no authentication.");
        op.put("x-roles", List.of());
        op.put("security", List.of());
        op.put("responses", Map.of("200", Map.of("description", "the metrics", "content", Map.of(
                "text/plain; version=0.0.4", Map.of("schema", Map.of("type", "string")),
                "application/openmetrics-text; version=1.0.0", Map.of("schema", Map.of("type", "string"))))));
        return op;
    }

    private static Map<String, Object> streamOperation() {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", "getStream");
        op.put("summary", "live stream (WebSocket)");
        op.put("description", "WebSocket upgrade (protocol v1, docs/STREAMING.md): authenticate with the upgrade's "
                + "'Authorization: Bearer <token>' or a first message {\"op\":\"auth\",\"token\":..} within 5 s, then "
                + "{\"op\":\"subscribe\",\"channel\":..} to l2Book, l3Book, trades, quotes, positions or tradingStates "
                + "(risk's trading state per scope: global, venues, instruments; sent on subscribing and on each change); "
                + "a status message comes every second. Messages are JSON text frames, each with its stream's id and seq; books "
                + "and trades are a snapshot then deltas, a gap is recovered by resubscribing. A bad request (an unknown field "
                + "included) gets {\"type\":\"error\",..} and the session stays open; a client behind is conflated or loses "
                + "trades messages, one that takes nothing for 30 s is closed with 1008. "
                + "An invalid token closes the session with 1008. A browser's Origin must be the server's own or in "
                + "api.allowedOrigins (HTTP 403 otherwise; not a role's refusal, so not listed as a response). Served by the engine beside the API. Roles: viewer, trader, "
                + "risk-officer, admin.");
        op.put("x-roles", List.of("viewer", "trader", "risk-officer", "admin"));
        op.put("parameters", List.of(
                Map.of("name", "Upgrade", "in", "header", "required", true, "schema", Map.of("type", "string", "enum", List.of("websocket"))),
                Map.of("name", "Connection", "in", "header", "required", true, "schema", Map.of("type", "string"))));
        op.put("responses", Map.of(
                "101", Map.of("description", "Switching Protocols: the WebSocket session"),
                "400", Map.of("description", "not a WebSocket upgrade request")));
        return op;
    }

    private static Map<String, Object> operation(RestRoute route) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", route.method().name().toLowerCase(Locale.ROOT) + operationName(route.path()));
        op.put("summary", route.summary());
        String who = route.isPublic() ? "Public: no authentication."
                : "Roles: " + String.join(", ", roleNames(route)) + ".";
        op.put("description", route.description() + " " + who);
        op.put("x-roles", roleNames(route));
        if (route.isPublic()) {
            op.put("security", List.of());
        }
        List<Object> parameters = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(route.path());
        while (m.find()) {
            parameters.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        for (RestRoute.QueryParam q : route.query()) {
            parameters.add(Map.of("name", q.name(), "in", "query", "required", false, "description", q.description(),
                    "schema", q.schema()));
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (route.body() != null) {
            op.put("requestBody", Map.of("required", true, "content",
                    Map.of("application/json", Map.of("schema", schema(route.body())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        for (int status : route.allStatuses()) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("description", status == 200 ? route.description() : STATUS_TEXT.getOrDefault(status, "error"));
            String ref = status == 200 ? (route.change() ? "ChangeResult" : null) : "Error";
            Map<String, Object> schema = route.schemas().containsKey(status) ? route.schemas().get(status)
                    : ref == null ? Map.of("type", "object") : Map.of("$ref", "#/components/schemas/" + ref);
            response.put("content", Map.of("application/json", Map.of("schema", schema)));
            responses.put(String.valueOf(status), response);
        }
        op.put("responses", responses);
        return op;
    }

    static List<String> roleNames(RestRoute route) {
        List<String> names = new ArrayList<>();
        for (Role role : Role.values()) {
            if (!route.isPublic() && route.allows(role)) {
                names.add(role.configName());
            }
        }
        return names;
    }

    private static String operationName(String path) {
        StringBuilder name = new StringBuilder();
        for (String part : path.split("[/{}\\-.]+")) {
            if (!part.isEmpty() && !part.equals("api") && !part.equals("v1")) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }

    /** the JSON schema of a body record: every component, nothing else; {@code reason} required */
    static Map<String, Object> schema(Class<? extends Record> type) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Class<?> t = component.getType();
            Map<String, Object> property = new LinkedHashMap<>();
            if (t == Long.class || t == long.class) {
                property.put("type", "integer");
                property.put("format", "int64");
            } else if (t == Boolean.class || t == boolean.class) {
                property.put("type", "boolean");
            } else if (t == Double.class || t == double.class) {
                property.put("type", "number");
            } else {
                property.put("type", "string");
                property.put("maxLength", FreeText.maxLength(component.getName()));
                property.put("pattern", FreeText.PATTERN);
            }
            switch (component.getName()) {
                case "state" -> property.put("enum", List.of("ACTIVE", "REDUCING", "HALTED"));
                case "scope" -> property.put("enum", List.of("global", "venue", "instrument", "strategy"));
                case "speed" -> {
                    property.put("minimum", io.mme.app.api.PlaybackControl.MIN_SPEED);
                    property.put("maximum", io.mme.app.api.PlaybackControl.MAX_SPEED);
                }
                case "venue" -> property.put("enum", java.util.Arrays.stream(io.mme.core.instrument.Venue.values()).map(io.mme.core.instrument.Venue::configName).toList());
                case "reason" -> {
                    property.put("minLength", 1);
                    property.put("description", "why (audited): no control characters, at most " + FreeText.MAX_REASON
                            + " characters");
                }
                default -> { }
            }
            properties.put(component.getName(), property);
        }
        List<String> required = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            if (List.of("reason", "value", "scope", "state", "speed", "timeNanos").contains(component.getName())
                    && !component.isAnnotationPresent(ChangeBodies.Optional.class)) {
                required.add(component.getName());
            }
        }
        return object(properties, required);
    }

    private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }
}
