package io.mme.app.api;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.InboundEventType;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.runtime.PipelineHealth;
import io.mme.execution.ExecutionView;
import io.mme.marketdata.MarketDataView;
import io.mme.risk.ChangeRecord;
import io.mme.risk.RiskEngine;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyEngine;
import io.mme.strategy.StrategyView;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link EngineAccess} over a running engine. Control requests get ids from a counter seeded with
 * the wall clock (unique across restarts), enter the inbound ring through the edge publisher, and
 * are answered through {@link ControlAnswers}. Thread-safe.
 */
public final class LiveEngineAccess implements EngineAccess {
    private final InstrumentRegistry instruments;
    private final RiskEngine risk;
    private final StrategyEngine strategy;
    private final MarketDataView books;
    private final ExecutionView execution;
    private final io.mme.execution.OpenOrdersView openOrders;
    private final PipelineHealth health;
    private final InboundPublisher inbound;
    private final ControlAnswers answers;
    private final List<io.mme.core.venue.VenueGateway> gateways;
    private final String runId;
    /** null in an engine without the audit stage (a replay) */
    private final ChangeLog changes;
    private final AtomicLong nextRequestId = new AtomicLong(System.currentTimeMillis() * 1000);

    /**
     * @param changes the change log the API reads (null in an engine without the audit stage)
     * @param runId   the run directory's run id, which keys this run's rows in PostgreSQL (null: none)
     */
    public LiveEngineAccess(InstrumentRegistry instruments, RiskEngine risk, StrategyEngine strategy, MarketDataView books,
                            ExecutionView execution, io.mme.execution.OpenOrdersView openOrders, PipelineHealth health, InboundPublisher inbound, ControlAnswers answers,
                            List<io.mme.core.venue.VenueGateway> gateways, ChangeLog changes, String runId) {
        this.runId = runId;
        this.gateways = List.copyOf(gateways);
        this.changes = changes;
        this.instruments = instruments;
        this.risk = risk;
        this.strategy = strategy;
        this.books = books;
        this.execution = execution;
        this.openOrders = openOrders;
        this.health = health;
        this.inbound = inbound;
        this.answers = answers;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public InstrumentRegistry instruments() {
        return instruments;
    }

    @Override
    public RiskView risk() {
        return risk.view();
    }

    @Override
    public java.util.List<io.mme.strategy.StrategyUnit> strategies() {
        return strategy == null ? java.util.List.of() : strategy.units();
    }

    @Override
    public StrategyView strategy() {
        return strategy == null ? null : strategy.view();
    }

    @Override
    public List<String> strategyParameterKeys() {
        return strategy == null ? List.of() : strategy.parameterKeys();
    }

    @Override
    public MarketDataView books() {
        return books;
    }

    @Override
    public ExecutionView execution() {
        return execution;
    }

    @Override
    public io.mme.execution.OpenOrdersView openOrders() {
        return openOrders;
    }

    @Override
    public PipelineHealth health() {
        return health;
    }

    @Override
    public List<ChangeRecord> riskChanges() {
        return risk.changeLog();
    }

    @Override
    public List<io.mme.audit.AuditedChange> changes(int limit, String kind) {
        return changes == null ? List.of() : changes.last(limit, kind);
    }

    private static final InboundPublisher.Writer<Object[]> WRITE = (event, a) -> {
        ControlRequest r = (ControlRequest) a[0];
        event.control().set(r.command(), (Long) a[1], r.principal(), r.reason()).target(r.venueId(), r.instrumentId())
                .argument(r.key(), r.value());
    };

    @Override
    public CompletableFuture<ControlAnswer> submit(ControlRequest request, Duration timeout) {
        long id = nextRequestId.incrementAndGet();
        CompletableFuture<ControlAnswer> answer = answers.expect(id, timeout);
        try {
            inbound.publish(InboundEventType.CONTROL, WRITE, new Object[]{request, id});
        } catch (IllegalStateException shuttingDown) {
            answer.completeExceptionally(shuttingDown);
        }
        return answer;
    }

    @Override
    public List<io.mme.core.venue.VenueGateway> gateways() {
        return gateways;
    }
}
