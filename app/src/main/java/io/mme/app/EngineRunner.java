package io.mme.app;

import io.mme.audit.RunId;
import io.mme.analytics.LatencyEngine;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Instrument;
import io.mme.core.runtime.EngineState;
import io.mme.core.runtime.EngineStatus;
import io.mme.core.runtime.PipelineHealth;
import io.mme.execution.ExecutionCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs an {@link EngineAssembly} for the CLI commands and reports on it. CLI thread only. */
public final class EngineRunner {
    /** the effective configuration a journal directory carries, so that its replay is built alike */
    public static final String JOURNAL_CONFIG = "mme-config.yaml";
    /** the subdirectory of a run directory that holds the input journal (Chronicle Queue) */
    public static final String JOURNAL_QUEUE = "queue";
    /** the decisions journal (intents with verdicts, answered control commands) */
    public static final String JOURNAL_DECISIONS = "decisions";
    /** the journal of the orders sent */
    public static final String JOURNAL_ORDERS = "orders";
    /** the engines' state files (Chronicle Map) */
    public static final String STATE_FILE = "state/engines.cm3";
    private static final Logger LOG = LoggerFactory.getLogger(EngineRunner.class);
    private static final long END_OF_TRADING_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private EngineRunner() {
    }

    /**
     * Runs the live engine for {@code seconds} (the demo), printing the trading table every
     * {@code reportSeconds}, then ends trading with the kill switch, drains, and prints the summary
     * ending with {@code digest: <hex>}. SIGTERM or SIGINT end it early the same way (see {@link StopSignals}).
     *
     * @param journal where the journal goes; null: a temporary directory, deleted afterwards
     */
    public static int runFor(MmeSettings settings, String configSource, int seconds, int reportSeconds, Path journal, PrintWriter out) {
        return run(settings, configSource, seconds, reportSeconds, journal, true, "mme demo", out);
    }

    /**
     * Runs until SIGTERM or SIGINT (the engine of {@code mme run}), printing the trading table every
     * {@code reportSeconds} (0: never); then kill switch, drain and the summary, as the demo ends.
     * The journal directory (a temporary one when null) is kept.
     */
    public static int runUntilStopped(MmeSettings settings, String configSource, Path journal, int reportSeconds, PrintWriter out) {
        return run(settings, configSource, 0, reportSeconds, journal, false, "mme run", out);
    }

    /**
     * The life of a run: start, the periodic table, the stop (the end of {@code seconds} when
     * positive, or the first SIGTERM/SIGINT), kill switch, drain, summary with the digest, exit code.
     */
    private static int run(MmeSettings settings, String configSource, int seconds, int reportSeconds, Path journal,
                           boolean demo, String principal, PrintWriter out) {
        try (StopSignals signals = StopSignals.install()) {
            Path directory = journal;
            boolean temporary = directory == null && demo;
            // the run directory's lock first: a second engine on it is refused before it prints or touches anything
            RunDirectoryLock lock;
            try {
                directory = directory == null ? Files.createTempDirectory("mme-journal-") : directory;
                lock = RunDirectoryLock.acquire(directory);
            } catch (IOException e) {
                out.printf("mme: cannot prepare the journal directory %s: %s%n", journal, e.getMessage());
                out.flush();
                return Main.EXIT_CONFIG;
            }
            printHeader(settings, configSource, out);
            try {
                prepareJournal(settings, directory);
            } catch (IOException | RuntimeException e) {
                lock.close();
                out.printf("mme: cannot prepare the journal directory %s: %s%n", directory, e.getMessage());
                out.flush();
                return Main.EXIT_CONFIG;
            }
            out.printf("journal: %s%s (run %s)%n", directory, temporary ? " (temporary; --journal DIR keeps it)" : "",
                    RunId.forRunDirectory(directory));
            try (EngineAssembly engine = startLive(settings, directory, lock, out)) {
                if (demo) {
                    resumeIfHalted(engine, principal, out);
                }
                out.printf("%s (timer every %d ms)%s; SIGTERM or Ctrl-C ends trading (kill switch), drains the rings and prints the summary%n%n",
                        seconds > 0 ? "running for " + seconds + " s" : "running until stopped", settings.timerPeriod().toMillis(),
                        reportSeconds > 0 ? "; the table below repeats every " + reportSeconds + " s" : "");
                out.flush();
                String why = awaitEnd(engine, seconds, reportSeconds, signals, out);
                long killSwitch = engine.endTrading(principal, why, END_OF_TRADING_TIMEOUT_NANOS);
                out.printf("%s: kill switch published as event %d (cancels every open order, trading HALTED)%n", why, killSwitch);
                out.flush();
                long left = engine.stop();
                return printSummary(settings, engine, directory, left, out);
            } finally {
                if (temporary) {
                    deleteQuietly(directory);
                }
            }
        }
    }

    /**
     * The CLI thread's wait while the engine runs: the table every {@code reportSeconds}, until
     * {@code seconds} have passed (when positive) or a stop signal came. Returns why the run ends.
     */
    private static String awaitEnd(EngineAssembly engine, int seconds, int reportSeconds, StopSignals signals, PrintWriter out) {
        TradingConsole console = new TradingConsole(engine);
        long startNanos = System.nanoTime();
        for (long s = 1; seconds <= 0 || s <= seconds; s++) {
            long wait = startNanos + TimeUnit.SECONDS.toNanos(s) - System.nanoTime();
            if (signals.awaitStop(Math.max(0, wait))) {
                return "stop requested (" + signals.stopSignal() + ")";
            }
            if (reportSeconds > 0 && s % reportSeconds == 0 && (seconds <= 0 || s < seconds)) {
                PipelineHealth health = engine.pipeline().health();
                console.print(String.format("%3d s  events through the chain %,d%s", s,
                        health.engine(io.mme.core.runtime.Pipeline.EXECUTION).lastSequence() + 1,
                        health.tradingHalted() ? "  TRADING HALTED: " + health.haltReason() : ""), true, out);
                out.println();
                out.flush();
            }
        }
        return "end of run";
    }

    /** after the stop: the engines, books, trading summary, latency, orders, and the digest; returns the exit code */
    private static int printSummary(MmeSettings settings, EngineAssembly engine, Path directory, long left, PrintWriter out) {
        out.println();
        out.println("engines after shutdown:");
        out.print(engine.pipeline().health().describe());
        printBooks(settings, engine, out);
        out.println();
        new TradingConsole(engine).print("summary (whole run)", false, out);
        printLatency(engine, out);
        printExecution(engine, out);
        out.printf("journal: %,d events appended in %s%n", engine.journal().appended(), directory);
        int code = report(engine.pipeline().health(), left, out);
        out.println("digest: " + engine.digest());
        out.flush();
        return code;
    }

    /**
     * Re-runs every chain engine from a journal written by a live run and prints the digest of
     * the final state, which equals the live run's.
     */
    public static int replay(Path journal, PrintWriter out) {
        return replay(journal, out, out);
    }

    /**
     * The same, with errors to {@code err}: a damaged journal is one line there (the file, the last
     * good event, the remedy) and exit 1; the replay stops at the damage.
     */
    public static int replay(Path journal, PrintWriter out, PrintWriter err) {
        return replay(journal, false, Map.of(), out, err);
    }

    /**
     * The same; with {@code restoreArchive} the files retention archived are first moved back into
     * the journals (under the run directory's lock: refused while an engine runs on it).
     */
    public static int replay(Path journal, boolean restoreArchive, PrintWriter out, PrintWriter err) {
        return replay(journal, restoreArchive, Map.of(), out, err);
    }

    /**
     * The same, with {@code overrides} over the run's configuration ({@code MME_STRATEGY_PATH} from
     * {@code --strategy-path}: the plug-in jars of a run that moved).
     */
    public static int replay(Path journal, Map<String, String> overrides, PrintWriter out, PrintWriter err) {
        return replay(journal, false, overrides, out, err);
    }

    /** the same, with both: archived files restored first, and overrides over the run's configuration */
    public static int replay(Path journal, boolean restoreArchive, Map<String, String> overrides, PrintWriter out, PrintWriter err) {
        Path config = journal.resolve(JOURNAL_CONFIG);
        Path queue = journal.resolve(JOURNAL_QUEUE);
        if (!Files.isRegularFile(config) || !Files.isDirectory(queue)) {
            out.printf("mme: %s is not a journal directory (expected %s and %s/ in it)%n", journal, JOURNAL_CONFIG, JOURNAL_QUEUE);
            out.flush();
            return Main.EXIT_CONFIG;
        }
        // the configuration the live run used, as written; the environment does not apply to a replay
        MmeSettings settings = new ConfigLoader().load(config, overrides);
        out.printf("replay of %s (%d instruments)%n", journal, settings.instruments().size());
        out.flush();
        if (restoreArchive) {
            Path archive = settings.journalRetention().archive();
            if (archive == null) {
                err.printf("mme: --restore-archive: the run %s has no journal.archive (removed journal files were deleted)%n", journal);
                err.flush();
                return Main.EXIT_CONFIG;
            }
            Path from = journal.resolve(archive);
            RunDirectoryLock held = RunDirectoryLock.acquire(journal); // no engine may write while files move back
            try {
                int moved = io.mme.audit.JournalRetention.restore(journal, from);
                out.printf("restored %d archived journal files from %s%n", moved, from);
                out.flush();
            } finally {
                held.close();
            }
        }
        String pruned = prunedStart(journal, queue, settings);
        if (pruned != null) {
            err.println(pruned);
            err.flush();
            return Main.EXIT_FAILED;
        }
        try (EngineAssembly engine = EngineAssembly.replay(settings).start()) {
            long startNanos = System.nanoTime();
            long last;
            try {
                last = engine.feedWholeJournal(queue, n -> {
                    out.printf("  %,d events replayed%n", n);
                    out.flush();
                });
            } catch (io.mme.audit.JournalDamagedException e) {
                out.flush();
                err.printf("mme: %s; replay stopped there. A restart of the run on it repairs it: `mme run --config FILE"
                        + " --journal %s` keeps events 0..%d, moves the damaged journal aside and goes on%n",
                        e.getMessage(), journal, e.lastGood());
                err.flush();
                return Main.EXIT_FAILED;
            }
            long events = last + 1;
            engine.awaitChain(last);
            long left = engine.stop();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            out.printf("replayed %,d events in %.2f s%n", events, seconds);
            new TradingConsole(engine).print("final state", false, out);
            printExecution(engine, out);
            int code = report(engine.pipeline().health(), left, out);
            out.println("digest: " + engine.digest());
            out.flush();
            return code;
        }
    }

    /**
     * {@code mme replay --journal DIR --serve}: plays the run's journal through the chain engines in
     * replay mode with playback controls, and serves the web page, the REST API and the streaming API
     * on it (read-only) until SIGTERM or SIGINT. The API is configured as the run's (api.* of the
     * stored configuration, then the environment's MME_API_* variables, as for a live run), enabled,
     * on {@code port} when given; tokens as a live run reads them (api.tokensFile, MME_API_TOKENS).
     *
     * @param speed the speed it starts at (0.5..100)
     * @param play  start playing at once (else paused at the journal's start)
     */
    public static int serveReplay(Path journal, Integer port, double speed, boolean play, Map<String, String> overrides,
                                  PrintWriter out, PrintWriter err) {
        Path config = journal.resolve(JOURNAL_CONFIG);
        Path queue = journal.resolve(JOURNAL_QUEUE);
        if (!Files.isRegularFile(config) || !Files.isDirectory(queue)) {
            err.printf("mme: %s is not a journal directory (expected %s and %s/ in it)%n", journal, JOURNAL_CONFIG, JOURNAL_QUEUE);
            err.flush();
            return Main.EXIT_CONFIG;
        }
        if (!(speed >= io.mme.app.api.PlaybackControl.MIN_SPEED && speed <= io.mme.app.api.PlaybackControl.MAX_SPEED)) {
            err.printf("mme: --speed %s: expected a speed from %s to %s%n", speed, io.mme.app.api.PlaybackControl.MIN_SPEED,
                    io.mme.app.api.PlaybackControl.MAX_SPEED);
            err.flush();
            return Main.EXIT_CONFIG;
        }
        Map<String, String> apiOverrides = new java.util.HashMap<>(overrides);
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("MME_API_") && !k.equals(io.mme.app.api.rest.TokenStore.ENVIRONMENT) && !k.equals("MME_API_TLS_PASSWORD")) {
                apiOverrides.put(k, v);
            }
        });
        apiOverrides.put("MME_API_ENABLED", "true");
        if (port != null) {
            apiOverrides.put("MME_API_PORT", port.toString());
        }
        MmeSettings settings = new ConfigLoader().load(config, apiOverrides);
        String pruned = prunedStart(journal, queue, settings);
        if (pruned != null) {
            err.println(pruned);
            err.flush();
            return Main.EXIT_FAILED;
        }
        io.mme.app.api.rest.TokenStore tokens;
        try {
            tokens = io.mme.app.api.rest.TokenStore.fromEnvironment(settings.apiTokensFile());
        } catch (IOException e) {
            err.printf("mme: cannot read the API tokens %s: %s%n", settings.apiTokensFile(), e.getMessage());
            err.flush();
            return Main.EXIT_CONFIG;
        }
        if (tokens.size() == 0) {
            err.println("mme: the API has no tokens (api.tokensFile, MME_API_TOKENS_FILE or MME_API_TOKENS): every request would be "
                    + "refused with 401, so the page could not sign in; give it one as for `mme run`");
            err.flush();
            return Main.EXIT_CONFIG;
        }
        try (StopSignals signals = StopSignals.install();
             PlaybackServer server = PlaybackServer.start(settings, journal, settings.api(), tokens, speed, play)) {
            io.mme.app.api.PlaybackControl.Status s = server.status();
            out.printf("replay of %s (%d instruments): %,d records, event time %s to %s%n", journal, settings.instruments().size(),
                    s.records(), java.time.Instant.ofEpochSecond(0, s.startNanos()), java.time.Instant.ofEpochSecond(0, s.endNanos()));
            out.printf("serving the page and the APIs (read-only) at %s, %s at %sx; sign in with an API token of the run%n",
                    server.url(), play ? "playing" : "paused at the start", s.speed());
            out.println("playback: the page's bar, or /api/v1/replay (play, pause, speed, seek); SIGTERM or Ctrl-C stops");
            out.flush();
            while (!signals.awaitStop(java.util.concurrent.TimeUnit.SECONDS.toNanos(1))) {
                if (server.failure() != null) {
                    err.printf("mme: the replay stopped: %s%n", server.failure());
                    err.flush();
                    return Main.EXIT_FAILED;
                }
            }
            out.printf("stop requested (%s): replay server closed%n", signals.stopSignal());
            out.flush();
            return Main.EXIT_OK;
        }
    }

    /**
     * One line when retention removed the beginning of the run's input journal (a replay needs every
     * event from 0): where it begins now, and where the removed files are, if anywhere; null when the
     * journal is whole (or empty). Archived files put back are seen: the queue's listing is refreshed first.
     */
    static String prunedStart(Path journal, Path queue, MmeSettings settings) {
        long first;
        try {
            io.mme.audit.JournalRetention.refreshListing(queue);
            first = io.mme.audit.JournalReader.firstSequence(queue);
        } catch (RuntimeException damaged) {
            return null; // the replay's own check names the damage
        }
        if (first <= 0) {
            return null;
        }
        java.nio.file.Path archive = settings.journalRetention().archive();
        String where = archive == null
                ? "they were deleted (no journal.archive); PostgreSQL holds their rows if the run had its store on"
                : "they are in " + journal.resolve(archive) + ": `mme replay --restore-archive --journal " + journal
                + "` (the engine stopped) moves them back and replays the whole run";
        return "mme: the journal " + queue + " begins at event " + first + ": events 0.." + (first - 1)
                + " were removed by journal.retain, and a replay needs every event from 0, so it does not start; " + where
                + ". A restart of the run does not need them (it resumes from its saved states)";
    }

    /** builds and starts the live engine in a run directory, printing what a restart found */
    private static EngineAssembly startLive(MmeSettings settings, Path directory, RunDirectoryLock lock, PrintWriter out) {
        EngineAssembly engine;
        try {
            engine = EngineAssembly.live(settings, directory, System.getenv(), lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
        Recovery recovery = engine.recovery();
        if (recovery.isRestart()) {
            long first = io.mme.audit.JournalReader.firstSequence(directory.resolve(JOURNAL_QUEUE));
            out.printf("restart: the journal holds events %d..%d%s; %s%n", Math.max(0, first), recovery.lastJournaled(),
                    first > 0 ? " (the events before were removed by journal.retain)" : "",
                    recovery.states().isEmpty() ? "no saved states: replaying the journal from its start"
                            : "engine states saved at event " + recovery.statePoint() + ", replaying events "
                            + (recovery.statePoint() + 1) + ".." + recovery.lastJournaled());
        }
        for (String line : recovery.report()) {
            out.println("recovery: " + line);
        }
        out.flush();
        long startNanos = System.nanoTime();
        engine.start();
        if (recovery.isRestart()) {
            out.printf("recovered in %.2f s; orders open before the restart are being reconciled by status queries%n",
                    (System.nanoTime() - startNanos) / 1e9);
            out.flush();
        }
        return engine;
    }

    /**
     * The demo ends every run with the kill switch, so a restarted demo finds trading HALTED in the
     * state it recovered. It resumes it (global trading state ACTIVE, strategy started) through
     * control commands on the ring, recorded like an operator's; `mme run` never does this.
     */
    private static void resumeIfHalted(EngineAssembly engine, String principal, PrintWriter out) {
        if (!engine.recovery().isRestart()) {
            return;
        }
        io.mme.risk.RiskView view = engine.risk().view();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (view.publishedAtNanos() == 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        if (view.globalState() != io.mme.core.ring.TradingState.HALTED) {
            return;
        }
        out.println("trading was HALTED when the run stopped (the kill switch that ends a demo); resuming it");
        out.flush();
        engine.control(io.mme.core.ring.ControlCommands.SET_TRADING_STATE, principal, "demo restarted", -1, -1, null,
                io.mme.core.ring.TradingState.ACTIVE.ordinal());
        engine.control(io.mme.core.ring.ControlCommands.START_STRATEGY, principal, "demo restarted", -1, -1, null, 0);
    }

    /**
     * A new run directory gets the effective configuration; one that holds a journal is a restart of
     * that run, which must use the configuration stored with it (a replay uses it too).
     */
    private static Path prepareJournal(MmeSettings settings, Path directory) throws IOException {
        Path dir = directory == null ? Files.createTempDirectory("mme-journal-") : directory;
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(JOURNAL_QUEUE))) {
            if (!Files.isRegularFile(dir.resolve(JOURNAL_CONFIG))) {
                throw new IOException("it holds a journal but not its configuration " + JOURNAL_CONFIG);
            }
            return dir;
        }
        new ConfigLoader().writeEffective(settings, dir.resolve(JOURNAL_CONFIG));
        return dir;
    }

    /**
     * The settings for a run in {@code directory}: a directory that already holds a journal is a
     * restart and uses the configuration stored with it (the command line's is ignored, with a note).
     */
    public static MmeSettings settingsFor(Path directory, MmeSettings requested, PrintWriter out) {
        if (directory != null && Files.exists(directory.resolve(JOURNAL_QUEUE)) && Files.isRegularFile(directory.resolve(JOURNAL_CONFIG))) {
            out.printf("%s holds a journal: restarting that run with the configuration stored with it%n", directory);
            return new ConfigLoader().load(directory.resolve(JOURNAL_CONFIG), Map.of());
        }
        return requested;
    }

    private static void printLatency(EngineAssembly engine, PrintWriter out) {
        String text = engine.readLatency(latency -> {
            StringBuilder lines = new StringBuilder("tick-to-quote, market data event in -> risk-approved order on the outbound ring: ")
                    .append(latency.tickToQuote().describe()).append(System.lineSeparator()).append("  per stage (p50 / p99):");
            for (int s = 0; s < LatencyEngine.STAGES.length; s++) {
                io.mme.analytics.LatencySummary summary = latency.stage(s);
                lines.append(' ').append(LatencyEngine.STAGES[s]).append(' ').append(io.mme.analytics.LatencySummary.micros(summary.p50()))
                        .append(" / ").append(io.mme.analytics.LatencySummary.micros(summary.p99())).append(';');
            }
            return lines.toString();
        });
        if (text != null) {
            out.println(text);
        }
    }

    private static void printExecution(EngineAssembly engine, PrintWriter out) {
        var view = engine.execution().view();
        out.printf("orders: %,d sent, %,d acked, %,d fills, %,d cancels, %,d replaces, %,d venue rejects, %,d refused before sending, %,d late fills, %,d timeouts, %,d open%n",
                view.total(ExecutionCounter.ORDERS_SENT), view.total(ExecutionCounter.ACKS), view.total(ExecutionCounter.FILLS),
                view.total(ExecutionCounter.CANCELS), view.total(ExecutionCounter.REPLACES), view.total(ExecutionCounter.REJECTS),
                view.total(ExecutionCounter.SYNTHETIC_REJECTS), view.total(ExecutionCounter.LATE_FILLS),
                view.total(ExecutionCounter.TIMEOUTS), view.total(ExecutionCounter.OPEN_ORDERS));
    }

    /** every book's state and touch, and each pair's fair value; the engine has stopped, so its books may be read */
    private static void printBooks(MmeSettings settings, EngineAssembly engine, PrintWriter out) {
        io.mme.marketdata.MarketDataEngine md = engine.marketData();
        out.println();
        out.println("books (market data engine):");
        StringBuilder text = new StringBuilder();
        for (Instrument instrument : settings.instruments().all()) {
            io.mme.marketdata.L2Book book = md.book(instrument.id());
            text.setLength(0);
            text.append(String.format("  %-8s %-10s %-8s ", instrument.venue().configName(), instrument.venueSymbol(), md.state(instrument.id())));
            appendTouch(instrument, book, text);
            text.append(String.format("  levels %d/%d", book.levels(io.mme.core.ring.Side.BUY), book.levels(io.mme.core.ring.Side.SELL)));
            out.println(text);
        }
        for (int pair = 0; pair < md.consolidated().pairs(); pair++) {
            long fv = md.fairValue(pair);
            out.printf("  fair value %-9s (%s): %s%n", md.consolidated().pairName(pair), settings.fairValue().configName(),
                    fv == io.mme.marketdata.ConsolidatedView.NO_VALUE ? "none (no valid venue)"
                            : io.mme.core.instrument.DecimalGrid.of("fair value", "0.000000001").format(fv));
        }
    }

    private static void appendTouch(Instrument instrument, io.mme.marketdata.L2Book book, StringBuilder text) {
        long bid = book.bestPrice(io.mme.core.ring.Side.BUY);
        long ask = book.bestPrice(io.mme.core.ring.Side.SELL);
        if (bid == io.mme.marketdata.L2Book.NO_PRICE) {
            text.append("-");
        } else {
            instrument.appendPrice(bid, text);
        }
        text.append(" / ");
        if (ask == io.mme.marketdata.L2Book.NO_PRICE) {
            text.append("-");
        } else {
            instrument.appendPrice(ask, text);
        }
    }

    private static void printHeader(MmeSettings settings, String configSource, PrintWriter out) {
        out.printf("mme: configuration %s; %d cores; %d instruments%n", configSource,
                Runtime.getRuntime().availableProcessors(), settings.instruments().size());
        for (Instrument instrument : settings.instruments().all()) {
            out.printf("  #%d %-8s %-10s %-9s tick %s lot %s%n", instrument.id(), instrument.venue().configName(),
                    instrument.venueSymbol(), instrument.pair(), instrument.tick().step(), instrument.lot().step());
        }
        boolean network = settings.venues().anyFeed()
                || settings.venues().setups().values().stream().anyMatch(v -> v.mode() != io.mme.core.venue.VenueMode.PAPER);
        out.printf("%s; paper venue (our matching engine): %s; %s%n", settings.venues().describeModes(),
                settings.simulatedMarkets().isEmpty() ? "no simulated order flow" : settings.simulatedMarkets().size() + " simulated markets",
                network ? "connects to the venues named above" : "no network connections are opened");
        var strategies = settings.trading().strategies();
        if (strategies.isEmpty()) {
            out.println("strategy: none configured (no quoting)");
        }
        for (var strategy : strategies) {
            out.println("strategy " + strategy.id() + ": " + strategy.type() + " on " + strategy.pair() + " across "
                    + strategy.engine().instrumentIds().size() + " venues");
        }
        out.flush();
    }

    private static int report(PipelineHealth health, long left, PrintWriter out) {
        boolean faulted = false;
        for (EngineStatus status : health.engines()) {
            faulted |= status.faults() > 0 || status.state() == EngineState.DEAD;
        }
        if (faulted) {
            out.println("an engine faulted:");
            out.print(health.describe());
        }
        if (left > 0) {
            out.printf("shutdown left %d events unprocessed%n", left);
        }
        out.flush();
        return faulted || left > 0 ? Main.EXIT_FAILED : Main.EXIT_OK;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete the temporary journal {}: {}", directory, e.getMessage());
        }
    }
}
