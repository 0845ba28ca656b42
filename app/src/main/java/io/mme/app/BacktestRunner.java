package io.mme.app;

import io.mme.app.config.MmeSettings;
import io.mme.backtest.Backtest;
import io.mme.backtest.BacktestReport;
import io.mme.backtest.ReportWriter;
import io.mme.core.digest.StateDigest;
import io.mme.core.ring.InboundEvent;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.Pipeline;
import io.mme.execution.ExecutionCounter;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mme backtest}: builds the chain engines from the configuration exactly as a replay does
 * ({@link EngineAssembly#replay}, never started: no threads, no journal, no venue), hands them to a
 * {@link Backtest} that drives them in event time against the simulated exchange, then prints the
 * summary table, writes the report and ends with {@code digest: <hex>} of the engines' final state
 * (the same state a live run's digest covers). CLI thread only.
 */
public final class BacktestRunner {
    private BacktestRunner() {
    }

    /** the result of one run, for the command and the tests */
    public record Result(Backtest.Outcome outcome, BacktestReport report, String digest, int exitCode) {
    }

    /** one quiet pass for the benchmark: the outcome, the digest, and the pass's wall time, CPU time and allocation on this thread */
    record Pass(Backtest.Outcome outcome, String digest, long nanos, long cpuNanos, long allocatedBytes) {
    }

    /** builds fresh engines from the settings and runs the backtest once, printing nothing */
    static Pass pass(MmeSettings settings, Backtest.Options options, PrintWriter err) {
        EngineAssembly assembly = EngineAssembly.replay(settings);
        Backtest backtest = new Backtest(settings.instruments(), chainNames(assembly), chainEngines(assembly), options, err);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        Backtest.Outcome outcome = backtest.run(p -> { });
        long nanos = System.nanoTime() - started;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        return new Pass(outcome, digest(assembly), nanos, cpu, allocated);
    }

    private static List<String> chainNames(EngineAssembly assembly) {
        List<String> names = new ArrayList<>();
        names.add(Pipeline.MARKETDATA);
        if (assembly.strategy() != null) {
            names.add(Pipeline.STRATEGY);
        }
        names.add(Pipeline.RISK);
        names.add(Pipeline.EXECUTION);
        return names;
    }

    private static List<Engine<InboundEvent>> chainEngines(EngineAssembly assembly) {
        List<Engine<InboundEvent>> engines = new ArrayList<>();
        engines.add(assembly.marketData());
        if (assembly.strategy() != null) {
            engines.add(assembly.strategy());
        }
        engines.add(assembly.risk());
        engines.add(assembly.execution());
        return engines;
    }

    /**
     * Runs one backtest.
     *
     * @param reportDirectory where report.json and report.html go, or null for none
     * @param err             where skipped lines and notices go, and the progress bar
     * @param progress        draw the progress bar on {@code err}
     * @throws io.mme.backtest.BacktestInputException when the input cannot be used
     */
    public static Result run(MmeSettings settings, Backtest.Options options, Path reportDirectory, PrintWriter out, PrintWriter err,
                             boolean progress) {
        return run(settings, options, reportDirectory, null, out, err, progress);
    }

    /**
     * Runs one backtest and, with {@code journalDirectory}, records the chain's input there as a run
     * journal (the effective configuration and the input queue, as {@code mme run --journal}
     * writes them): every event the engines saw from the moment trading started, the simulated
     * exchange's answers and the timers included, so that {@code mme replay --journal DIR} rebuilds
     * the same final state (the same digest) and {@code mme replay --journal DIR --serve} plays the
     * backtest in the web page.
     *
     * @param journalDirectory a new or empty directory for the journal, or null for none
     */
    public static Result run(MmeSettings settings, Backtest.Options options, Path reportDirectory, Path journalDirectory,
                             PrintWriter out, PrintWriter err, boolean progress) {
        EngineAssembly assembly = EngineAssembly.replay(settings);
        List<String> names = chainNames(assembly);
        List<Engine<InboundEvent>> engines = chainEngines(assembly);
        io.mme.audit.JournalEngine journal = null;
        if (journalDirectory != null) {
            journal = openJournal(settings, journalDirectory);
            // first in the chain, as in a live run: it records each event's input before any engine acts on it
            names.add(0, io.mme.core.runtime.Pipeline.JOURNAL);
            engines.add(0, journal);
        }
        String[] strategyOfInstrument = strategyLabels(settings);

        Backtest backtest = new Backtest(settings.instruments(), names, engines, options, err);
        long started = System.nanoTime();
        ProgressBar bar = progress ? new ProgressBar(err) : null;
        Backtest.Outcome outcome = backtest.run(bar == null ? p -> { } : bar::show);
        if (bar != null) {
            bar.done();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        String digest = digest(assembly);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("data", options.data().stream().map(Path::toString).toList());
        run.put("firstTimestampNanos", outcome.firstTimestamp());
        run.put("lastTimestampNanos", outcome.lastTimestamp());
        run.put("fromNanos", options.fromNanos());
        run.put("toNanos", options.toNanos());
        run.put("queueModel", options.queueModel().name());
        run.put("latencyModel", options.latency().describe());
        run.put("venueMessages", outcome.venueMessages());
        run.put("skippedLines", outcome.skippedLines());
        run.put("events", outcome.events());
        run.put("commands", outcome.commands());
        run.put("fills", outcome.fills());
        run.put("rejects", outcome.rejects());
        run.put("engineFaults", outcome.engineFaults());
        run.put("notes", outcome.notes());
        run.put("digest", digest);
        BacktestReport report = BacktestReport.of(backtest.recorder(), strategyOfInstrument, run);

        out.printf("backtest of %s: %,d venue messages (%,d skipped), %,d engine events in %.2f s (%,.0f messages/s)%n",
                run.get("data").toString(), outcome.venueMessages(), outcome.skippedLines(), outcome.events(), seconds,
                outcome.venueMessages() / Math.max(seconds, 1e-9));
        out.printf("simulated exchange: queue model %s, latency %s; %,d commands, %,d fills, %,d rejects%n",
                options.queueModel().name(), options.latency().describe(), outcome.commands(), outcome.fills(), outcome.rejects());
        var view = assembly.execution().view();
        out.printf("execution engine: %,d orders sent, %,d acked, %,d fills, %,d cancels, %,d replaces, %,d venue rejects, %,d open%n",
                view.total(ExecutionCounter.ORDERS_SENT), view.total(ExecutionCounter.ACKS), view.total(ExecutionCounter.FILLS),
                view.total(ExecutionCounter.CANCELS), view.total(ExecutionCounter.REPLACES), view.total(ExecutionCounter.REJECTS),
                view.total(ExecutionCounter.OPEN_ORDERS));
        for (String note : outcome.notes()) {
            out.println("note: " + note);
        }
        out.println();
        out.print(report.table());
        if (reportDirectory != null) {
            Path html = ReportWriter.write(report, reportDirectory);
            out.printf("report: %s and %s%n", reportDirectory.resolve("report.json"), html);
        }
        int code = outcome.engineFaults() > 0 ? Main.EXIT_FAILED : Main.EXIT_OK;
        if (code != Main.EXIT_OK) {
            out.printf("%,d engine faults: trading was halted from the first (see the log)%n", outcome.engineFaults());
        }
        if (journal != null) {
            out.printf("journal: %,d events appended in %s (mme replay --journal %s gives the same digest; add --serve to play it in the page)%n",
                    journal.appended(), journalDirectory, journalDirectory);
        }
        out.println("digest: " + digest);
        out.flush();
        return new Result(outcome, report, digest, code);
    }

    /** writes the effective configuration into a new or empty directory and opens its input journal */
    private static io.mme.audit.JournalEngine openJournal(MmeSettings settings, Path directory) {
        try {
            java.nio.file.Files.createDirectories(directory);
            try (var entries = java.nio.file.Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new io.mme.backtest.BacktestInputException("--journal " + directory
                            + ": not empty (a backtest records a new journal; give a new or empty directory)");
                }
            }
            new io.mme.app.config.ConfigLoader().writeEffective(settings, directory.resolve(EngineRunner.JOURNAL_CONFIG));
        } catch (java.io.IOException e) {
            throw new io.mme.backtest.BacktestInputException("--journal " + directory + ": " + e.getMessage());
        }
        return new io.mme.audit.JournalEngine(directory.resolve(EngineRunner.JOURNAL_QUEUE), settings.journalSync(), settings.journalRoll());
    }

    /**
     * The strategy quoting each instrument, as the report labels it: the strategy's id from a
     * {@code strategies:} list, its type for the single {@code strategy:} section (whose id is
     * {@code default}); null where no strategy quotes.
     */
    static String[] strategyLabels(MmeSettings settings) {
        String[] labels = new String[settings.instruments().size()];
        for (var setup : settings.trading().strategies()) {
            String label = settings.trading().strategies().size() == 1 && setup.id().equals("default") ? setup.type() : setup.id();
            for (int instrument : setup.engine().instrumentIds()) {
                labels[instrument] = label;
            }
        }
        return labels;
    }

    /** the digest of the decisions' state, as {@link EngineAssembly#digest()} takes it for a live run or a replay */
    private static String digest(EngineAssembly assembly) {
        StateDigest digest = new StateDigest();
        digest.putString("mme state digest v1");
        digest.putBoolean(assembly.strategy() != null);
        if (assembly.strategy() != null) {
            assembly.strategy().digestState(digest);
        }
        assembly.risk().digestState(digest);
        assembly.execution().digestState(digest);
        return digest.hex();
    }

    /** a one-line bar on stderr, redrawn when the share read moves by a percent */
    private static final class ProgressBar {
        private final PrintWriter err;
        private long shown = -1;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        void show(long perMille) {
            long percent = perMille / 10;
            if (percent == shown) {
                return;
            }
            shown = percent;
            int filled = (int) (percent * 30 / 100);
            err.print("\rbacktest [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + percent + "%");
            err.flush();
        }

        void done() {
            show(1000);
            err.println();
            err.flush();
        }
    }
}
