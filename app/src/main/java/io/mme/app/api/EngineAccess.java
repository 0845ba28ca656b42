package io.mme.app.api;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.runtime.PipelineHealth;
import io.mme.execution.ExecutionView;
import io.mme.marketdata.MarketDataView;
import io.mme.risk.ChangeRecord;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyView;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP handlers may see of the running engine, from any thread: the engines' read-only
 * views (published on TIMER events), the pipeline's health, the risk change log, and control
 * commands, which enter the inbound ring like every input and are answered by the engine that
 * owns the state they change. Nothing here touches an engine's own state.
 */
public interface EngineAccess {
    InstrumentRegistry instruments();

    RiskView risk();

    /** null when no strategy is configured */
    StrategyView strategy();

    /**
     * The desk's strategies in configuration order (empty without one): ids, instruments and views
     * are safe to read from any thread (see {@link io.mme.strategy.StrategyUnit}).
     */
    default List<io.mme.strategy.StrategyUnit> strategies() {
        return List.of();
    }

    /** the strategy's parameter keys (engine and strategy ones), empty without a strategy */
    List<String> strategyParameterKeys();

    MarketDataView books();

    ExecutionView execution();

    /** the execution engine's published open orders and our last fills; null when there is none */
    default io.mme.execution.OpenOrdersView openOrders() {
        return null;
    }

    PipelineHealth health();

    /** the live and testnet gateways (empty when every venue is paper) */
    default List<io.mme.core.venue.VenueGateway> gateways() {
        return List.of();
    }

    /** the risk engine's recorded limit and state changes, oldest first */
    List<ChangeRecord> riskChanges();

    /**
     * The run id of the engine's run directory, which keys its rows in the PostgreSQL audit trail
     * ({@link io.mme.audit.RunId}); null when the engine has none.
     */
    default String runId() {
        return null;
    }

    /**
     * The last {@code limit} changes of every kind (or of {@code kind} when not null: see
     * {@link io.mme.audit.AuditedChange#KINDS}), oldest first, with names instead of ids and
     * ordinals, each with its owning engine's answer.
     */
    default List<io.mme.audit.AuditedChange> changes(int limit, String kind) {
        return List.of();
    }

    /**
     * The playback controls when this engine replays a journal ({@code mme replay --serve}): the
     * API then refuses every change (409) and offers /api/v1/replay; null for a live engine.
     */
    default PlaybackControl playback() {
        return null;
    }

    /**
     * Publishes the command into the inbound ring (journaled) and completes with the owning
     * engine's answer once the chain has handled it, or exceptionally with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     */
    CompletableFuture<ControlAnswer> submit(ControlRequest request, Duration timeout);
}
