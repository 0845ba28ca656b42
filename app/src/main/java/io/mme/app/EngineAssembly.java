package io.mme.app;

import io.mme.analytics.LatencyEngine;
import io.mme.app.config.MmeSettings;
import io.mme.app.config.TradingSettings;
import io.mme.audit.DecisionJournalEngine;
import io.mme.audit.JournalEngine;
import io.mme.audit.JournalException;
import io.mme.audit.JournalReader;
import io.mme.audit.OrderJournalEngine;
import io.mme.audit.state.StateStore;
import io.mme.core.state.SnapshotState;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.Instrument;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.runtime.EngineStatus;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.TimerSource;
import io.mme.execution.ExecutionEngine;
import io.mme.marketdata.ConsolidatedView;
import io.mme.marketdata.MarketDataEngine;
import io.mme.matching.BookConfig;
import io.mme.matching.PaperVenue;
import io.mme.matching.SimulatedMarket;
import io.mme.risk.RiskEngine;
import io.mme.strategy.StrategyEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Builds the running engine from validated settings, in one of two modes:
 * <ul>
 *   <li><b>live</b>: the market data engine, the strategy (when configured), risk and execution
 *       on the chain; the journal (audit) and the latency recorder (analytics) after it; the paper
 *       venue with its simulated markets on the outbound ring; a timer source;</li>
 *   <li><b>replay</b>: the same chain engines built from the same settings, fed from a journal by
 *       the caller; no venue, no timer, no journal, no latency (their output is in the journal or
 *       not reproducible), and what the engines publish into the inbound ring is dropped; a playback
 *       served to the page ({@link PlaybackServer}) adds the streaming API's tap after the chain.</li>
 * </ul>
 * Owned by the thread that runs the CLI command; the engines' own state belongs to their threads
 * until {@link #stop()} returned.
 */
final class EngineAssembly implements AutoCloseable {
    /** the paper venue's engine name; config places it under engine.engines.paper */
    static final String PAPER_VENUE = "paper";
    /** the order journal's outbound consumer */
    static final String ORDER_JOURNAL = "orders";
    /** changes GET /api/v1/audit/recent can show (its largest limit) */
    static final int CHANGE_LOG_CAPACITY = 10_000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineAssembly.class);

    private final MmeSettings settings;
    private final boolean replay;
    private final Pipeline pipeline;
    private final MarketDataEngine marketData;
    private final StrategyEngine strategy;
    private final RiskEngine risk;
    private final ExecutionEngine execution;
    private final JournalEngine journal;
    private final DecisionJournalEngine decisions;
    private final OrderJournalEngine orders;
    private final Recovery recovery;
    private final StateStore store;
    private final PeriodicControl snapshotClock;
    private final Path runDirectory;
    /** held from before the state files are opened until after everything is closed; null in a replay */
    private final RunDirectoryLock lock;
    private StoreTiers stores;
    private io.mme.app.api.ApiServer api;
    private volatile io.mme.app.metrics.MetricsExporter metrics;
    private final io.mme.app.api.ControlAnswers controlAnswers = new io.mme.app.api.ControlAnswers();
    /** every kind of change with names, for GET /api/v1/audit/recent (seeded from the journal on a restart) */
    private io.mme.app.api.ChangeLog changeLog;
    private final LatencyEngine latency;
    /** the latency recorder's lock while there is no exporter (no API) */
    private final Object latencyLock = new Object();
    private final TimerSource timer;
    private final io.mme.app.stream.StreamTap streamTap;
    private volatile io.mme.app.stream.StreamServer streamServer;
    private boolean stopped;
    /** the live public feeds (none in a replay) */
    private final io.mme.app.venues.LiveFeeds feeds;
    /** the live and testnet gateways (none in a replay) */
    private final io.mme.app.venues.Gateways gateways;
    private io.mme.app.venues.RingGatewayReports gatewayReports;
    /** removes or archives old journal files ({@code journal.retain}); null in a replay and while retention is off */
    private io.mme.audit.JournalRetention retention;

    private EngineAssembly(MmeSettings settings, boolean replay, Path runDirectory, RunDirectoryLock lock, StateStore store,
                           Recovery recovery, Map<String, String> environment) {
        this(settings, replay, runDirectory, lock, store, recovery, environment, null);
    }

    /** @param replayTap a replay's stream tap (a playback served to the page), or null; a live engine makes its own */
    private EngineAssembly(MmeSettings settings, boolean replay, Path runDirectory, RunDirectoryLock lock, StateStore store,
                           Recovery recovery, Map<String, String> environment, io.mme.app.stream.StreamTap replayTap) {
        this.settings = settings;
        this.lock = lock;
        this.feeds = replay ? null : new io.mme.app.venues.LiveFeeds(settings.venues(), settings.instruments(),
                settings.paper().queueModel() != null);
        this.replay = replay;
        this.recovery = recovery;
        this.store = store;
        this.runDirectory = runDirectory;
        Pipeline.Builder builder = Pipeline.builder(settings.pipeline());
        if (replay) {
            builder.replay();
        }
        ConsolidatedView consolidated = new ConsolidatedView(settings.instruments(), settings.fairValue(), settings.takerFeeBps());
        // the slots carry as many book levels as the deepest strategy view reads, no more
        int bookDepth = settings.trading().bookDepth();
        builder.bookDepth(bookDepth);
        marketData = new MarketDataEngine(settings.instruments(), settings.bookLevelsPerSide(), settings.staleAfter().toNanos(),
                feeds != null && feeds.any() ? feeds
                        : (id, reason) -> LOG.warn("{}: book invalid ({}); the paper venue republishes every change, nothing to resync",
                        settings.instruments().get(id), reason),
                consolidated, bookDepth);
        builder.stage(Pipeline.MARKETDATA, marketData);

        TradingSettings trading = settings.trading();
        if (!trading.strategies().isEmpty()) {
            for (TradingSettings.StrategySetup setup : trading.strategies()) {
                int first = setup.engine().instrumentIds().get(0);
                if (consolidated.pairOf(first) != setup.engine().pairId()) {
                    throw new IllegalStateException("strategy " + setup.id() + " pair id " + setup.engine().pairId()
                            + " differs from the market data engine's " + consolidated.pairOf(first) + " for " + setup.pair());
                }
            }
            strategy = new StrategyEngine(trading.newHostedStrategies(), settings.instruments(), trading.risk().makerFeeBps(),
                    trading.risk().takerFeeBps());
            builder.stage(Pipeline.STRATEGY, strategy);
        } else {
            strategy = null;
        }
        for (int i = 0; i < settings.instruments().size(); i++) {
            if (trading.risk().pairOfInstrument()[i] != consolidated.pairOf(i)) {
                throw new IllegalStateException("risk pair ids differ from the market data engine's for " + settings.instruments().get(i));
            }
        }
        risk = new RiskEngine(settings.instruments(), trading.risk());
        builder.stage(Pipeline.RISK, risk);
        execution = new ExecutionEngine(trading.execution());
        builder.stage(Pipeline.EXECUTION, execution);

        if (replay) {
            journal = null;
            decisions = null;
            orders = null;
            latency = null;
            streamTap = replayTap;
            if (replayTap != null) {
                builder.stage(Pipeline.STREAM, replayTap);
            }
            pipeline = builder.build();
            timer = null;
            snapshotClock = null;
            gateways = null;
            return;
        }
        // a restart: the engines take the states saved at the snapshot point, then the journal's tail
        restoreStates(recovery.states());
        builder.firstSequence(recovery.statePoint() + 1).snapshots(store);
        journal = new JournalEngine(runDirectory.resolve(EngineRunner.JOURNAL_QUEUE), settings.journalSync(), settings.journalRoll());
        builder.stage(Pipeline.JOURNAL, journal);
        changeLog = new io.mme.app.api.ChangeLog(settings.instruments(), CHANGE_LOG_CAPACITY, settings.strategyOfInstrument());
        if (recovery.isRestart()) {
            // the changes up to the state point are not replayed through the chain: read them from the journal
            try {
                int seeded = changeLog.seed(runDirectory.resolve(EngineRunner.JOURNAL_DECISIONS), recovery.statePoint());
                LOG.info("API change log: {} changes up to event {} read from the decisions journal", seeded, recovery.statePoint());
            } catch (RuntimeException e) {
                // the journal itself is recovery's business; the API's list then starts with the replayed tail
                LOG.warn("API change log: the decisions journal could not be read ({}); it lists changes from event {} on",
                        e.getMessage(), recovery.statePoint() + 1);
            }
        }
        decisions = new DecisionJournalEngine(runDirectory.resolve(EngineRunner.JOURNAL_DECISIONS), settings.journalSync(),
                settings.journalRoll()).onControl(controlAnswers::answered)
                .onChange(changeLog::changed);
        builder.stage(Pipeline.AUDIT, decisions);
        orders = new OrderJournalEngine(runDirectory.resolve(EngineRunner.JOURNAL_ORDERS), settings.journalSync(), settings.journalRoll());
        builder.outbound(ORDER_JOURNAL, orders);
        latency = new LatencyEngine();
        builder.stage(Pipeline.ANALYTICS, latency);
        streamTap = new io.mme.app.stream.StreamTap(settings.instruments(), 5_000, settings.bookCapacity());
        builder.stage(Pipeline.STREAM, streamTap);
        // the paper venue holds the books of the venues in paper mode and sees only their commands
        List<BookConfig> books = new ArrayList<>();
        List<Integer> paperVenues = new ArrayList<>();
        for (io.mme.app.config.VenueSettings.Setup venueSetup : settings.venues().setups().values()) {
            if (venueSetup.mode() == io.mme.core.venue.VenueMode.PAPER) {
                paperVenues.add(venueSetup.venue().id());
            }
        }
        for (Instrument instrument : settings.instruments().all()) {
            if (paperVenues.contains(instrument.venue().id())) {
                books.add(BookConfig.of(instrument.venue().id(), instrument.id()).withCapacity(settings.bookCapacity()));
            }
        }
        if (!books.isEmpty()) {
            EpochClock venueClock = EpochClock.system();
            long start = venueClock.epochNanos();
            List<SimulatedMarket> markets = new ArrayList<>();
            io.mme.matching.SharedMidPath path = settings.sharedMidSeed() == null ? null
                    : new io.mme.matching.SharedMidPath(settings.sharedMidSeed(), start);
            for (SimulatedMarket.Params params : settings.simulatedMarkets()) {
                markets.add(new SimulatedMarket(params, start, path));
            }
            PaperVenue paper = new PaperVenue(books, markets, settings.paper(), venueClock);
            if (feeds.tapes().length > 0) {
                paper.liveFeeds(feeds.tapes());
            }
            builder.outbound(PAPER_VENUE, new io.mme.app.venues.VenueFilter(paper, paperVenues));
        }
        gateways = new io.mme.app.venues.Gateways(settings.venues(), settings.instruments(), environment,
                new io.mme.core.venue.ClientIdCodec(clientIdTag(settings, runDirectory)));
        if (gateways.any()) {
            builder.outbound(io.mme.app.config.VenueSettings.GATEWAYS,
                    new io.mme.app.venues.GatewayRouter(settings.instruments(), gateways.byVenue()));
        }
        pipeline = builder.build();
        timer = new TimerSource(pipeline.inbound(), settings.timerPeriod());
        snapshotClock = settings.snapshotEvery().isZero() ? null
                : new PeriodicControl(pipeline.inbound(), settings.snapshotEvery(), ControlCommands.SNAPSHOT, "mme", "periodic state snapshot");
    }

    private static String clientIdTag(MmeSettings settings, Path runDirectory) {
        try {
            return io.mme.app.venues.ClientIdTags.forRunDirectory(runDirectory, settings.venues().clientIdTag());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot keep the client-id tag in " + runDirectory + ": " + e.getMessage(), e);
        }
    }

    /** the engines that keep state files, by name, in chain order */
    private Map<String, SnapshotState> stateful() {
        Map<String, SnapshotState> out = new LinkedHashMap<>();
        for (Object[] e : new Object[][]{{Pipeline.MARKETDATA, marketData}, {Pipeline.STRATEGY, strategy}, {Pipeline.RISK, risk},
                {Pipeline.EXECUTION, execution}}) {
            if (e[1] instanceof SnapshotState state) {
                out.put((String) e[0], state);
            }
        }
        return out;
    }

    private void restoreStates(Map<String, StateStore.Saved> states) {
        if (states.isEmpty()) {
            return;
        }
        for (Map.Entry<String, SnapshotState> e : stateful().entrySet()) {
            StateStore.Saved saved = states.get(e.getKey());
            if (saved == null) {
                throw new StateFormatException("no saved state for the " + e.getKey() + " engine");
            }
            if (saved.version() != e.getValue().stateVersion()) {
                throw new StateFormatException("the " + e.getKey() + " engine's saved state has format version " + saved.version()
                        + ", this build reads version " + e.getValue().stateVersion());
            }
            e.getValue().readState(new StateReader(saved.state()));
        }
    }

    /** the names of the engines that keep state files, for a state store's load */
    static List<String> statefulEngines(MmeSettings settings) {
        List<String> names = new ArrayList<>(List.of(Pipeline.MARKETDATA, Pipeline.RISK, Pipeline.EXECUTION));
        if (!settings.trading().strategies().isEmpty()) {
            names.add(1, Pipeline.STRATEGY);
        }
        return names;
    }

    /**
     * The live engine in a run directory: a new one, or a restart of the run it holds (the
     * journal's tail after the last saved states is fed through the engines before they go live).
     * States that cannot be read are reported and the journal replayed from its start instead.
     */
    static EngineAssembly live(MmeSettings settings, Path runDirectory) {
        return live(settings, runDirectory, System.getenv());
    }

    /**
     * The same, reading venue keys from {@code environment}; locks the run directory first
     * ({@link RunDirectoryLock}: a second engine on it is refused before it touches anything).
     */
    static EngineAssembly live(MmeSettings settings, Path runDirectory, Map<String, String> environment) {
        RunDirectoryLock lock = RunDirectoryLock.acquire(runDirectory);
        try {
            return live(settings, runDirectory, environment, lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /** the same in a run directory the caller has locked; the engine releases {@code lock} when it stops */
    static EngineAssembly live(MmeSettings settings, Path runDirectory, Map<String, String> environment, RunDirectoryLock lock) {
        StateStore store = new StateStore(runDirectory.resolve(EngineRunner.STATE_FILE));
        Recovery recovery;
        try {
            recovery = Recovery.prepare(runDirectory.resolve(EngineRunner.JOURNAL_QUEUE), store, statefulEngines(settings),
                    settings.journalRoll());
        } catch (RuntimeException e) {
            store.close(); // refused (a pruned journal without a state to resume from) or failed: nothing else was opened
            throw e;
        }
        try {
            return new EngineAssembly(settings, false, runDirectory, lock, store, recovery, environment);
        } catch (StateFormatException e) {
            List<String> report = new ArrayList<>(recovery.report());
            report.add("the saved states cannot be read (" + e.getMessage() + "): the journal is replayed from its start");
            return new EngineAssembly(settings, false, runDirectory, lock, store,
                    new Recovery(recovery.lastJournaled(), Map.of(), report), environment);
        }
    }

    /** the chain engines only, to be fed from a journal */
    static EngineAssembly replay(MmeSettings settings) {
        return replay(settings, null);
    }

    /**
     * The same with the streaming API's tap after the chain (a playback served to the page); the tap
     * outlives the assembly (a seek backward puts it into the next one, {@link io.mme.app.stream.StreamTap#restart()}ed)
     */
    static EngineAssembly replay(MmeSettings settings, io.mme.app.stream.StreamTap tap) {
        return new EngineAssembly(settings, true, null, null, null, new Recovery(-1, Map.of(), List.of()), Map.of(), tap);
    }

    /** what the restart found and did (empty for a new run) */
    Recovery recovery() {
        return recovery;
    }

    /**
     * Starts the engine threads. On a restart, first feeds the journal's tail (the events after the
     * saved states) through the engines in recovery mode — nothing reaches a venue, nothing the
     * engines publish is published again — then publishes the reconcile command so that execution
     * queries the status of every order left open, and only then starts the clocks and opens the
     * venue.
     */
    EngineAssembly start() {
        if (replay) {
            pipeline.start();
            return this;
        }
        long from = recovery.statePoint() + 1;
        boolean tail = recovery.lastJournaled() >= from;
        if (tail) {
            pipeline.recovering(true);
        }
        pipeline.start();
        if (tail) {
            feedJournal(runDirectory.resolve(EngineRunner.JOURNAL_QUEUE), from, recovery.lastJournaled(), n -> { });
            awaitChain(recovery.lastJournaled());
            pipeline.recovering(false);
            LOG.info("recovered: states at event {}, journal tail {}..{} replayed", recovery.statePoint(), from, recovery.lastJournaled());
        }
        if (recovery.isRestart()) {
            pipeline.inbound().publish(InboundEventType.CONTROL, RECONCILE, null);
        }
        if (feeds.any()) {
            feeds.start(pipeline.inbound());
        }
        if (gateways.any()) {
            long owner = settings.trading().execution() == null ? 1 : settings.trading().execution().ownerId();
            gatewayReports = new io.mme.app.venues.RingGatewayReports(pipeline.inbound(), owner);
            gateways.start(gatewayReports);
        }
        if (settings.stores().any()) {
            stores = new StoreTiers(settings, runDirectory, this).start();
        }
        if (settings.api().enabled()) {
            api = startApi();
        }
        timer.start();
        if (snapshotClock != null) {
            snapshotClock.start();
        }
        if (settings.journalRetention().enabled()) {
            retention = newRetention().start(io.mme.audit.JournalRetention.period(settings.journalRoll()));
        }
        return this;
    }

    /**
     * Journal retention for this run: a restart resumes at the oldest saved state at the earliest,
     * and PostgreSQL (when on) needs what its store has not committed; a relative archive is under
     * the run directory.
     */
    io.mme.audit.JournalRetention newRetention() {
        io.mme.audit.JournalRetention.Policy policy = settings.journalRetention();
        if (policy.archive() != null && !policy.archive().isAbsolute()) {
            policy = new io.mme.audit.JournalRetention.Policy(policy.retain(), runDirectory.resolve(policy.archive()));
        }
        List<String> engines = statefulEngines(settings);
        boolean postgres = settings.stores().postgres().enabled();
        return new io.mme.audit.JournalRetention(runDirectory, policy, new io.mme.audit.JournalRetention.Needs() {
            @Override
            public long restartPoint() {
                return store.oldestPoint(engines);
            }

            @Override
            public long drainedIndex(int journal) {
                if (!postgres) {
                    return Long.MAX_VALUE;
                }
                io.mme.audit.store.AuditStore audit = stores == null ? null : stores.audit();
                return audit == null ? -1 : audit.drainedIndex(journal);
            }
        });
    }

    /** what the operator surfaces (REST, metrics) may see of this engine and how they send commands */
    io.mme.app.api.EngineAccess access() {
        return new io.mme.app.api.LiveEngineAccess(settings.instruments(), risk, strategy, marketData.view(), execution.view(),
                execution.openOrdersView(), pipeline.health(), pipeline.inbound(), controlAnswers, gateways == null ? List.of() : gateways.all(), changeLog,
                runDirectory == null ? null : io.mme.audit.RunId.forRunDirectory(runDirectory));
    }

    /** the REST API (and what else is installed on its server) on the configured address */
    private io.mme.app.api.ApiServer startApi() {
        io.mme.app.api.rest.TokenStore tokens;
        try {
            tokens = io.mme.app.api.rest.TokenStore.fromEnvironment(settings.apiTokensFile());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the API tokens " + settings.apiTokensFile() + ": " + e.getMessage(), e);
        }
        if (tokens.size() == 0) {
            LOG.warn("the API has no tokens (api.tokensFile, MME_API_TOKENS): every request will be refused with 401");
        }
        io.mme.app.api.EngineAccess access = access();
        java.util.function.BooleanSupplier storesReachable = () -> stores == null
                || ((stores.audit() == null || !stores.audit().isDown()) && (stores.redis() == null || !stores.redis().isDown()));
        metrics = new io.mme.app.metrics.MetricsExporter(access, latency, () -> stores == null ? null : stores.audit(),
                () -> stores == null ? null : stores.redis());
        // requests and the stream's figures in /metrics (the stream server is made below)
        io.mme.app.metrics.ApiMetrics apiMetrics = new io.mme.app.metrics.ApiMetrics(() -> streamServer == null ? null : streamServer.stats());
        metrics.register(apiMetrics);
        io.mme.app.api.ApiServer server = new io.mme.app.api.ApiServer(settings.api())
                .install(apiMetrics::install)
                .install(app -> io.mme.app.api.rest.RestApi.install(app, access, tokens, storesReachable, java.time.Duration.ofSeconds(5)))
                .install(metrics::install);
        io.mme.app.web.WebPage.install(server);
        // the page's tick-to-quote tiles: the last seconds, kept current by the window's own thread
        io.mme.app.metrics.LatencyWindow window = metrics.latencyWindow();
        if (window != null) {
            window.start();
        }
        streamServer = new io.mme.app.stream.StreamServer(streamTap, access, tokens, window,
                io.mme.app.stream.StreamServer.Settings.defaults().withAllowedOrigins(settings.api().allowedOrigins()));
        server.install(streamServer::install);
        server.start();
        LOG.info("API on http://{}:{}/api/v1 ({} tokens)", server.host(), server.port(), tokens.size());
        return server;
    }

    /**
     * Samples the latency recorder and runs {@code reader} on it, under the lock every sampler takes
     * (the exporter's while /metrics is on: scrapes and the page's window sample too). Readers work
     * on the cumulative histograms, so one reader's samples do not change another's figures.
     * Returns null in a replay (no recorder).
     */
    <T> T readLatency(java.util.function.Function<LatencyEngine, T> reader) {
        if (latency == null) {
            return null;
        }
        io.mme.app.metrics.MetricsExporter exporter = metrics;
        synchronized (exporter != null ? exporter.latencyLock() : latencyLock) {
            latency.sample();
            return reader.apply(latency);
        }
    }

    /** the HTTP server, or null when the API is off */
    io.mme.app.api.ApiServer api() {
        return api;
    }

    /** the Redis and PostgreSQL tiers, or null when both are off */
    StoreTiers stores() {
        return stores;
    }

    /**
     * Feeds the whole journal (a replay) and checks that it is whole.
     *
     * @return the last event fed
     * @throws io.mme.audit.JournalDamagedException when it is not: the events before the damage were fed
     */
    long feedWholeJournal(Path queue, java.util.function.LongConsumer progress) {
        long[] fed = {0};
        return JournalReader.checkWhole(queue, record -> {
            long sequence = pipeline.inbound().publish(record.type(), COPY_INPUT, record);
            if (sequence != record.sequence()) {
                throw new JournalException("journal record " + record.sequence() + " became event " + sequence);
            }
            if ((++fed[0] & ((1 << 20) - 1)) == 0) {
                progress.accept(fed[0]);
            }
        });
    }

    /**
     * Publishes one journal record through the edge publisher onto its own event number (a playback's
     * feeder, one record at a time); a record that lands elsewhere is an error.
     */
    void feedRecord(InboundEvent record) {
        long sequence = pipeline.inbound().publish(record.type(), COPY_INPUT, record);
        if (sequence != record.sequence()) {
            throw new JournalException("journal record " + record.sequence() + " became event " + sequence);
        }
    }

    /**
     * Feeds the journal's records {@code from..to} through the edge publisher, each onto its own
     * event number (a record that lands elsewhere is an error): a restart's tail (the recovery
     * checked it first). Returns the last record fed (-1: none); {@code progress} hears the count now and then.
     */
    long feedJournal(Path queue, long from, long to, java.util.function.LongConsumer progress) {
        long last = -1;
        long fed = 0;
        try (JournalReader reader = new JournalReader(queue)) {
            InboundEvent record;
            while ((record = reader.next()) != null && record.sequence() <= to) {
                if (record.sequence() < from) {
                    continue;
                }
                long sequence = pipeline.inbound().publish(record.type(), COPY_INPUT, record);
                if (sequence != record.sequence()) {
                    throw new JournalException("journal record " + record.sequence() + " became event " + sequence);
                }
                last = sequence;
                if ((++fed & ((1 << 20) - 1)) == 0) {
                    progress.accept(fed);
                }
            }
        }
        return last;
    }

    private static final InboundPublisher.Writer<InboundEvent> COPY_INPUT = (slot, record) -> slot.copyInputFrom(record);
    private static final InboundPublisher.Writer<Object> RECONCILE = (event, unused) ->
            event.control().set(ControlCommands.RECONCILE, 0, "mme", "restart: orders open before it are of unknown status").target(-1, -1);

    Pipeline pipeline() {
        return pipeline;
    }

    MmeSettings settings() {
        return settings;
    }

    /** the market data engine; read its books only after {@link #stop()} (its thread owns them) */
    MarketDataEngine marketData() {
        return marketData;
    }

    /** the strategy engine, or null when none is configured */
    StrategyEngine strategy() {
        return strategy;
    }

    /** the live and testnet gateways, none in a replay */
    List<io.mme.core.venue.VenueGateway> gateways() {
        return gateways == null ? List.of() : gateways.all();
    }

    /** the gateways' reports into the ring, null without gateways or before start */
    io.mme.app.venues.RingGatewayReports gatewayReports() {
        return gatewayReports;
    }

    RiskEngine risk() {
        return risk;
    }

    ExecutionEngine execution() {
        return execution;
    }

    /** the journal, or null in a replay */
    JournalEngine journal() {
        return journal;
    }

    /** the decisions journal, or null in a replay */
    DecisionJournalEngine decisionJournal() {
        return decisions;
    }

    /** the order journal, or null in a replay */
    OrderJournalEngine orderJournal() {
        return orders;
    }

    /** the latency recorder, or null in a replay */
    LatencyEngine latency() {
        return latency;
    }

    /**
     * Ends trading deterministically: publishes the kill switch into the inbound ring (so it is
     * journaled and a replay halts at the same event), then waits until the execution engine has
     * handled it and its cancels were answered. Only then may {@link #stop()} halt the outbound gate
     * without changing a decision that a replay would take differently.
     *
     * @return the kill switch's sequence
     */
    long endTrading(String principal, String reason, long timeoutNanos) {
        long sequence = control(ControlCommands.KILL_SWITCH, principal, reason, -1, -1, null, 0);
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() - deadline < 0) {
            EngineStatus status = pipeline.health().engine(Pipeline.EXECUTION);
            if (status != null && status.lastSequence() >= sequence && quiet()) {
                break;
            }
            LockSupport.parkNanos(5_000_000L);
        }
        return sequence;
    }

    /**
     * Waits until the last engine of the chain has finished event {@code sequence} (a replay's last
     * record), so that stopping cannot overtake a decision; gives up when an engine thread died.
     */
    void awaitChain(long sequence) {
        while (true) {
            EngineStatus status = pipeline.health().engine(Pipeline.EXECUTION);
            if (status.lastSequence() >= sequence) {
                return;
            }
            for (EngineStatus engine : pipeline.health().engines()) {
                if (engine.state() == io.mme.core.runtime.EngineState.DEAD) {
                    return;
                }
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** publishes a control command into the inbound ring (journaled like any input); returns its event number */
    long control(String command, String principal, String reason, int venueId, int instrumentId, String key, long value) {
        Object[] args = {command, principal, reason, venueId, instrumentId, key, value};
        return pipeline.inbound().publish(InboundEventType.CONTROL, CONTROL, args);
    }

    private static final InboundPublisher.Writer<Object[]> CONTROL = (event, a) -> event.control()
            .set((String) a[0], 0, (String) a[1], (String) a[2]).target((Integer) a[3], (Integer) a[4]).argument((String) a[5], (Long) a[6]);

    /** true when the execution engine has no order still waiting for an answer */
    private boolean quiet() {
        return execution.view().total(io.mme.execution.ExecutionCounter.OPEN_ORDERS) == 0;
    }

    /** stops the timer, drains the rings; returns events left unprocessed */
    long stop() {
        if (stopped) {
            return 0;
        }
        stopped = true;
        if (streamServer != null) {
            streamServer.close();
        }
        if (api != null) {
            api.close();
        }
        if (metrics != null && metrics.latencyWindow() != null) {
            metrics.latencyWindow().close();
        }
        if (snapshotClock != null) {
            snapshotClock.close();
        }
        if (retention != null) {
            retention.close();
        }
        if (timer != null) {
            timer.close();
        }
        if (feeds != null) {
            feeds.close();
        }
        long left = pipeline.shutdown();
        if (gateways != null) {
            // after the rings drained: the end of trading's cancels have been handed over
            gateways.close();
        }
        if (stores != null) {
            stores.close(); // the audit store writes what the journals hold first, if PostgreSQL takes it
        }
        if (retention != null) {
            // once more now that the states are saved and the store drained: a stopped run keeps only what a restart needs
            try {
                retention.prune(System.currentTimeMillis());
            } catch (RuntimeException e) {
                LOG.warn("journal retention at stop: {} (the next start tries again)", e.toString());
            }
        }
        if (store != null) {
            store.close();
        }
        if (lock != null) {
            lock.close(); // last: nothing of this engine touches the directory any more
        }
        return left;
    }

    /**
     * The digest of the final state of the engines whose decisions a replay must reproduce: the
     * strategy's quotes and inventory, risk's positions, PnL, open orders and limits, and
     * execution's orders (every command sent, in order) — after {@link #stop()}.
     */
    String digest() {
        if (!stopped) {
            throw new IllegalStateException("the digest is taken after the engines stopped");
        }
        StateDigest digest = new StateDigest();
        digest.putString("mme state digest v1");
        digest.putBoolean(strategy != null);
        if (strategy != null) {
            strategy.digestState(digest);
        }
        risk.digestState(digest);
        execution.digestState(digest);
        return digest.hex();
    }

    @Override
    public void close() {
        stop();
    }
}
