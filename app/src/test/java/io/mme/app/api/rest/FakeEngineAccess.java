package io.mme.app.api.rest;

import io.mme.app.api.ControlAnswer;
import io.mme.app.api.ControlRequest;
import io.mme.app.api.EngineAccess;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.runtime.PipelineHealth;
import io.mme.execution.ExecutionConfig;
import io.mme.execution.ExecutionEngine;
import io.mme.execution.ExecutionView;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.MarketDataView;
import io.mme.marketdata.ResyncRequests;
import io.mme.risk.ChangeRecord;
import io.mme.risk.RiskConfig;
import io.mme.risk.RiskEngine;
import io.mme.risk.RiskView;
import io.mme.strategy.InventorySkewStrategy;
import io.mme.strategy.StrategyEngine;
import io.mme.strategy.StrategyEngineConfig;
import io.mme.strategy.StrategyView;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An {@link EngineAccess} for the API tests: views of real engines built over a three-instrument
 * registry (never run, so books are SYNCING and numbers zero), a settable change log, and control
 * requests recorded and answered by a settable rule (default: applied, old value 7). Thread-safe.
 */
final class FakeEngineAccess implements EngineAccess {
    static InstrumentRegistry registry() {
        return InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.0001", null, null, null, null))
                .build();
    }

    final InstrumentRegistry registry = registry();
    final RiskEngine risk = new RiskEngine(registry, RiskConfig.defaults(registry));
    final MarketDataEngine marketData = new MarketDataEngine(registry, 16, Duration.ofSeconds(5).toNanos(), ResyncRequests.NONE);
    final ExecutionEngine execution = new ExecutionEngine(ExecutionConfig.defaults());
    final StrategyEngine strategy = new StrategyEngine(StrategyEngineConfig.of(RiskConfig.pairIds(registry)[1], List.of(1, 2)),
            registry, new InventorySkewStrategy(InventorySkewStrategy.Parameters.defaults()));
    final List<ControlRequest> submitted = new CopyOnWriteArrayList<>();
    final AtomicLong sequence = new AtomicLong(100);
    volatile List<ChangeRecord> changes = List.of();
    static final String RUN_ID = "20261207T000000Z-test01";
    volatile String runId = RUN_ID;
    /** the change log the API reads, as the live engine's (fed by a test through {@code changed}) */
    volatile io.mme.app.api.ChangeLog changeLog;
    volatile Function<ControlRequest, ControlAnswer> answers = r -> new ControlAnswer(0, sequence.incrementAndGet(), true, true, 7, null);
    /** when set, submit throws this as the live access does when the ring is closed */
    volatile boolean shuttingDown;
    /** when set, submit never answers (the future times out) */
    volatile boolean silent;

    @Override
    public InstrumentRegistry instruments() {
        return registry;
    }

    @Override
    public RiskView risk() {
        return risk.view();
    }

    @Override
    public List<io.mme.strategy.StrategyUnit> strategies() {
        return strategy.units();
    }

    @Override
    public StrategyView strategy() {
        return strategy.view();
    }

    @Override
    public List<String> strategyParameterKeys() {
        return strategy.parameterKeys();
    }

    @Override
    public MarketDataView books() {
        return marketData.view();
    }

    @Override
    public ExecutionView execution() {
        return execution.view();
    }

    @Override
    public io.mme.execution.OpenOrdersView openOrders() {
        return execution.openOrdersView();
    }

    @Override
    public PipelineHealth health() {
        throw new UnsupportedOperationException("the REST API does not read the pipeline's health");
    }

    @Override
    public List<ChangeRecord> riskChanges() {
        return changes;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public List<io.mme.audit.AuditedChange> changes(int limit, String kind) {
        return changeLog.last(limit, kind);
    }

    @Override
    public CompletableFuture<ControlAnswer> submit(ControlRequest request, Duration timeout) {
        submitted.add(request);
        CompletableFuture<ControlAnswer> answer = new CompletableFuture<>();
        if (shuttingDown) {
            answer.completeExceptionally(new IllegalStateException("the pipeline is shutting down"));
        } else if (!silent) {
            answer.complete(answers.apply(request));
        }
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void reset() {
        submitted.clear();
        changes = List.of();
        changeLog = new io.mme.app.api.ChangeLog(registry, 10_000);
        answers = r -> new ControlAnswer(0, sequence.incrementAndGet(), true, true, 7, null);
        shuttingDown = false;
        silent = false;
    }
}
