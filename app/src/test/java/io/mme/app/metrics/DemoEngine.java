package io.mme.app.metrics;

import io.mme.analytics.LatencyEngine;
import io.mme.analytics.redis.RedisConfig;
import io.mme.analytics.redis.RedisHotStatePublisher;
import io.mme.app.api.ControlAnswer;
import io.mme.app.api.ControlRequest;
import io.mme.app.api.EngineAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.app.config.TradingSettings;
import io.mme.audit.store.AuditStore;
import io.mme.audit.store.AuditStoreConfig;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.TradingState;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.PipelineHealth;
import io.mme.execution.ExecutionEngine;
import io.mme.execution.ExecutionView;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.MarketDataView;
import io.mme.risk.ChangeRecord;
import io.mme.risk.RiskEngine;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyEngine;
import io.mme.strategy.StrategyView;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The test's engine: the demo configuration's instruments and the real engines' views, filled with
 * known numbers through the views' own (package-private) publish methods, as the engines would on a
 * TIMER event; a real pipeline with the latency recorder that has run a few timer events; and the
 * two store tiers, constructed but not started (nothing listens). Owned by the test thread.
 */
final class DemoEngine implements EngineAccess, AutoCloseable {
    /** binance BTCUSDT (id 0) and coinbase BTC-USD (id 1) have VALID books; kraken (id 2) is SYNCING */
    static final long BID_TICKS = 6_500_000;
    static final long ASK_TICKS = 6_500_100;
    /** 65,000.5 in 10^-9 quote units */
    static final long FAIR_NANOS = 65_000_500_000_000L;

    final MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of());
    final InstrumentRegistry instruments = settings.instruments();
    final MarketDataView books;
    final RiskView risk;
    final ExecutionView execution;
    final StrategyView strategy;
    final LatencyEngine latency = new LatencyEngine();
    final Pipeline pipeline;
    final AuditStore audit;
    final RedisHotStatePublisher redis;

    DemoEngine(Path dir) throws Exception {
        books = new MarketDataEngine(instruments, settings.bookLevelsPerSide(), settings.staleAfter().toNanos(), (id, reason) -> { }).view();
        for (int id = 0; id < 2; id++) {
            call(books, "publishBook", id, BookState.VALID, BID_TICKS, 100L, ASK_TICKS, 200L);
        }
        if (books.pairs() > 0) {
            call(books, "publishFairValue", 0, FAIR_NANOS);
        }
        call(books, "publishedAt", 1_700_000_000_000_000_000L);

        TradingSettings trading = settings.trading();
        risk = new RiskEngine(instruments, trading.risk()).view();
        for (int id = 0; id < instruments.size(); id++) {
            call(risk, "instrument", id, 10L + id, 65_000_000_000_000L, 1_500_000_000L, -250_000_000L, 10_000_000L, 3L, TradingState.ACTIVE);
        }
        call(risk, "global", TradingState.ACTIVE, -2_000_000_000L, 40L, 2L, 6L, 1_700_000_000_000_000_000L);

        execution = new ExecutionEngine(trading.execution()).view();
        long[] counters = new long[(execution.venueCount() + 1) * io.mme.execution.ExecutionCounter.values().length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = i + 1;
        }
        call(execution, "publish", (Object) counters);

        TradingSettings.StrategySetup setup = trading.strategy();
        strategy = new StrategyEngine(setup.engine(), instruments, setup.newStrategy()).view();
        call(strategy, "publishQuote", 0, BID_TICKS - 10, 50L, ASK_TICKS + 10, 60L);
        call(strategy, "publishTotals", 1_000_000L, FAIR_NANOS, true, false, 1_700_000_000_000_000_000L);

        Engine<InboundEvent> nothing = (event, sequence, endOfBatch) -> { };
        pipeline = Pipeline.builder(settings.pipeline()).stage(Pipeline.MARKETDATA, nothing).stage(Pipeline.ANALYTICS, latency).build().start();
        for (int i = 0; i < 5; i++) {
            pipeline.inbound().publishTimer();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pipeline.health().engine(Pipeline.ANALYTICS).lastSequence() < pipeline.firstSequence() + 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        audit = new AuditStore(AuditStoreConfig.of("jdbc:postgresql://127.0.0.1:1/none"), dir, instruments, null);
        redis = new RedisHotStatePublisher(RedisConfig.standalone("redis://127.0.0.1:1", "test"));
    }

    static void call(Object target, String name, Object... args) throws Exception {
        for (Method m : target.getClass().getDeclaredMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                m.setAccessible(true);
                m.invoke(target, args);
                return;
            }
        }
        throw new NoSuchMethodException(target.getClass().getSimpleName() + "." + name);
    }

    MetricsExporter exporter() {
        return new MetricsExporter(this, latency, () -> audit, () -> redis);
    }

    Instrument instrument(int id) {
        return instruments.get(id);
    }

    @Override
    public InstrumentRegistry instruments() {
        return instruments;
    }

    @Override
    public RiskView risk() {
        return risk;
    }

    @Override
    public StrategyView strategy() {
        return strategy;
    }

    @Override
    public List<String> strategyParameterKeys() {
        return List.of();
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
    public PipelineHealth health() {
        return pipeline.health();
    }

    @Override
    public List<ChangeRecord> riskChanges() {
        return List.of();
    }

    @Override
    public CompletableFuture<ControlAnswer> submit(ControlRequest request, Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no control in the metrics test"));
    }

    @Override
    public void close() {
        pipeline.shutdown();
        pipeline.close();
        redis.close();
        audit.close();
    }
}
