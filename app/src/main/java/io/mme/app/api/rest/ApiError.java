package io.mme.app.api.rest;

/**
 * A request the API answers with an error status and a JSON body {@code {"error":..,"field":..}};
 * thrown by handlers and written by {@link RestApi}'s route wrapper. Any thread.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    ApiError(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static ApiError badRequest(String field, String message) {
        return new ApiError(400, message, field);
    }

    int status() {
        return status;
    }

    /** the request field at fault, or null */
    String field() {
        return field;
    }
}
