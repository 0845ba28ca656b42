package io.mme.app.api.rest;

/**
 * The request bodies of the change routes, read by {@link JsonBodies} (unknown fields rejected,
 * no type coercion). Values are boxed so that a missing one is told apart from zero. Immutable.
 */
public final class ChangeBodies {
    private ChangeBodies() {
    }

    /**
     * PUT /api/v1/limits/{name}.
     *
     * @param venue  the venue (binance, coinbase, kraken): with {@code symbol} for an instrument or
     *               asset limit, alone for a venue limit, absent for a global one
     * @param symbol the instrument's venue symbol (instrument and asset limits)
     * @param value  the new value in the limit's unit, ≥ 0
     * @param reason why (required, audited)
     */
    public record LimitChange(String venue, String symbol, Long value, String reason) {
    }

    /**
     * Marks a body field that may be left out although its name is one the OpenAPI document
     * otherwise lists as required ({@code scope} of the kill switch, global when absent).
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.RECORD_COMPONENT)
    public @interface Optional {
    }

    /**
     * PUT /api/v1/trading-states.
     *
     * @param scope  global, venue, instrument, or strategy (the hosted strategy's scope: with one
     *               strategy per engine, every order of ours is the strategy's, so it is global)
     * @param venue  for venue and instrument scope
     * @param symbol for instrument scope
     * @param state  ACTIVE, REDUCING or HALTED
     * @param reason why (required, audited)
     */
    public record TradingStateChange(String scope, String venue, String symbol, String state, String reason) {
    }

    /**
     * PUT /api/v1/strategy/parameters/{key}.
     *
     * @param value  the new value in the parameter's unit (the strategy checks its range)
     * @param reason why (required, audited)
     */
    public record ParameterChange(Long value, String reason) {
    }

    /**
     * POST /api/v1/cancel-all.
     *
     * @param scope  global, venue, instrument or strategy (as for trading states)
     * @param venue  for venue and instrument scope
     * @param symbol for instrument scope
     * @param reason why (required, audited)
     */
    public record CancelAll(String scope, String venue, String symbol, String reason) {
    }

    /**
     * POST /api/v1/kill-switch.
     *
     * @param scope  global (the default), venue, instrument or strategy (as for trading states)
     * @param venue  for venue and instrument scope
     * @param symbol for instrument scope
     * @param reason why (required, audited)
     */
    public record KillSwitch(@Optional String scope, String venue, String symbol, String reason) {
    }

    /**
     * POST /api/v1/strategy/start and /stop.
     *
     * @param reason why (required, audited)
     */
    public record Reason(String reason) {
    }

    /**
     * POST /api/v1/replay/speed.
     *
     * @param speed event time per wall time, 0.5 to 100
     */
    public record PlaybackSpeed(Double speed) {
    }

    /**
     * POST /api/v1/replay/seek.
     *
     * @param timeNanos the event time to go to (epoch ns), within the journal's start..end (GET /api/v1/replay)
     */
    public record PlaybackSeek(Long timeNanos) {
    }
}
