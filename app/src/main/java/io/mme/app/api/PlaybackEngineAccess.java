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
import java.util.function.Supplier;

/**
 * {@link EngineAccess} of a replay with playback controls: every read goes to the engines being fed
 * now ({@code current}: another set after a seek backward rebuilt them), and control commands are
 * refused, since a replay is read-only (the REST API refuses them with 409 before they get here).
 * Holds no state of its own beyond its two references; any thread.
 */
public final class PlaybackEngineAccess implements EngineAccess {
    /** what every refused change says */
    public static final String READ_ONLY = "this engine replays a journal (mme replay --serve): it is read-only, "
            + "trading controls are refused; the playback is controlled through /api/v1/replay";

    private final Supplier<EngineAccess> current;
    private final PlaybackControl playback;

    public PlaybackEngineAccess(Supplier<EngineAccess> current, PlaybackControl playback) {
        this.current = current;
        this.playback = playback;
    }

    @Override
    public PlaybackControl playback() {
        return playback;
    }

    @Override
    public InstrumentRegistry instruments() {
        return current.get().instruments();
    }

    @Override
    public RiskView risk() {
        return current.get().risk();
    }

    @Override
    public StrategyView strategy() {
        return current.get().strategy();
    }

    @Override
    public List<io.mme.strategy.StrategyUnit> strategies() {
        return current.get().strategies();
    }

    @Override
    public List<String> strategyParameterKeys() {
        return current.get().strategyParameterKeys();
    }

    @Override
    public MarketDataView books() {
        return current.get().books();
    }

    @Override
    public ExecutionView execution() {
        return current.get().execution();
    }

    @Override
    public io.mme.execution.OpenOrdersView openOrders() {
        return current.get().openOrders();
    }

    @Override
    public PipelineHealth health() {
        return current.get().health();
    }

    @Override
    public List<ChangeRecord> riskChanges() {
        return current.get().riskChanges();
    }

    @Override
    public String runId() {
        return current.get().runId();
    }

    @Override
    public List<io.mme.audit.AuditedChange> changes(int limit, String kind) {
        return current.get().changes(limit, kind);
    }

    @Override
    public CompletableFuture<ControlAnswer> submit(ControlRequest request, Duration timeout) {
        return CompletableFuture.failedFuture(new IllegalStateException(READ_ONLY));
    }
}
