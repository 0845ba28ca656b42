package io.mme.app.api.rest;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One route of the API: what {@link RestApi} registers on Javalin and what {@link OpenApiDocument}
 * describes, from the same value, so that the two cannot drift. Immutable.
 *
 * @param method      GET, PUT or POST
 * @param path        Javalin path syntax, which is OpenAPI's: {@code /api/v1/limits/{name}}
 * @param roles       who may call it (admin always may); empty = no authentication
 * @param body        the request body's record type, or null
 * @param query       query parameters (all optional integers), or empty
 * @param summary     one line for the document
 * @param description what it returns or does
 * @param change      true for a control command answered by the owning engine (409/422/503/504)
 * @param statuses    extra response statuses beyond those implied by the other fields
 * @param handler     the work, after authentication and authorization
 * @param schemas     the response body's schema per status where it is not the default ({@code Error} for
 *                    every error, {@code ChangeResult} for a change's 200, a plain object otherwise)
 */
record RestRoute(HandlerType method, String path, Set<Role> roles, Class<? extends Record> body, List<QueryParam> query,
                 String summary, String description, boolean change, List<Integer> statuses, RouteHandler handler,
                 Map<Integer, Map<String, Object>> schemas) {

    /**
     * An optional query parameter: an integer between minimum and maximum, or, when {@code values}
     * is not empty, one of those strings.
     */
    record QueryParam(String name, String description, long minimum, long maximum, long defaultValue, List<String> values) {
        QueryParam(String name, String description, long minimum, long maximum, long defaultValue) {
            this(name, description, minimum, maximum, defaultValue, List.of());
        }

        /** a string parameter taking one of {@code values} */
        static QueryParam oneOf(String name, String description, List<String> values) {
            return new QueryParam(name, description, 0, 0, 0, values);
        }

        QueryParam {
            values = List.copyOf(values);
        }
    }

    RestRoute(HandlerType method, String path, Set<Role> roles, Class<? extends Record> body, List<QueryParam> query,
              String summary, String description, boolean change, List<Integer> statuses, RouteHandler handler) {
        this(method, path, roles, body, query, summary, description, change, statuses, handler, Map.of());
    }

    /** the same route with the 200 body's schema */
    RestRoute returning(Map<String, Object> schema) {
        return returning(200, schema);
    }

    /** the same route with the schema of one status's body */
    RestRoute returning(int status, Map<String, Object> schema) {
        Map<Integer, Map<String, Object>> all = new java.util.TreeMap<>(schemas);
        all.put(status, schema);
        return new RestRoute(method, path, roles, body, query, summary, description, change, statuses, handler, all);
    }

    /** a route's work: {@code caller} is null on routes without authentication */
    @FunctionalInterface
    interface RouteHandler {
        void handle(Context ctx, TokenStore.Caller caller) throws Exception;
    }

    RestRoute {
        roles = Set.copyOf(roles);
        query = List.copyOf(query);
        statuses = List.copyOf(statuses);
        schemas = Map.copyOf(schemas);
    }

    boolean isPublic() {
        return roles.isEmpty();
    }

    /** whether a caller of that role may call it */
    boolean allows(Role role) {
        return role == Role.ADMIN || roles.contains(role);
    }

    /** every status the route answers with, ascending */
    List<Integer> allStatuses() {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>(statuses);
        all.add(200);
        if (!isPublic()) {
            all.add(401);
            if (!roles.containsAll(java.util.EnumSet.complementOf(java.util.EnumSet.of(Role.ADMIN)))) {
                all.add(403); // some role may not call it
            }
        }
        if (body != null || !query.isEmpty()) {
            all.add(400);
        }
        if (body != null) {
            all.add(413);
        }
        if (change) {
            all.addAll(List.of(409, 503, 504));
            if (body != null && java.util.Arrays.stream(body.getRecordComponents()).anyMatch(c -> c.getName().equals("value"))) {
                all.add(422); // a value the owning engine may find out of its range
            }
        }
        return List.copyOf(all);
    }
}
