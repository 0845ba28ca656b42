package io.mme.app.cli;

import io.mme.app.BacktestRunner;
import io.mme.app.Main;
import io.mme.app.config.MmeSettings;
import io.mme.backtest.Backtest;
import io.mme.backtest.BacktestInputException;
import io.mme.backtest.LatencyModel;
import io.mme.matching.QueueModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mme backtest --config F --data PATH...}: the configured strategy, risk and execution on
 * recorded venue messages, in event time, against a simulated exchange with queue position and
 * latency; prints the summary and 'digest: <hex>'. CLI thread only.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Backtest the configured strategy on recorded venue messages: the real Binance decoder and the real",
                "market data, strategy, risk and execution engines, run in event time on one thread against a simulated",
                "exchange (queue position, latency). Input: captures of the hftbacktest collector (gzip or text,",
                "'<local ns> <raw venue message>' per line), several files merged by time. Prints the summary table and",
                "'digest: <hex>' (the same input gives the same digest); --report DIR writes report.json and report.html."})
public final class BacktestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file (instruments, strategy, risk)")
    Path config;

    @Option(names = "--strategy-path", paramLabel = "DIR|JAR", description = {"plug-in strategies: a jar, or a directory of jars",
            "(several separated by the path separator); their types may be named in strategies[].type"})
    Path strategyPath;

    @Option(names = {"-d", "--data"}, required = true, arity = "1..*", paramLabel = "PATH",
            description = {"hftbacktest captures or Tardis.dev CSV files, or directories of them (*.gz, *.txt, *.csv), or the",
                    "engine's own journals (a run directory of mme run with a venue feed: its market data only), merged by receive time"})
    List<Path> data;

    @Option(names = "--from", paramLabel = "T", description = "start trading at T (ISO instant, e.g. 2024-08-08T23:56:00Z, or unix ns); the data before only builds the books")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "end at T (ISO instant or unix ns)")
    String to;

    @Option(names = "--report", paramLabel = "DIR", description = "write report.json and report.html (self-contained, opens offline) into DIR")
    Path report;

    @Option(names = "--queue-model", paramLabel = "MODEL", defaultValue = "power:2",
            description = "risk-averse | power:N | log (default: ${DEFAULT-VALUE})")
    String queueModel;

    @Option(names = "--latency", paramLabel = "MODEL", defaultValue = "constant:5",
            description = "constant:MS | constant:ENTRY_MS/RESPONSE_MS | file:PATH (microseconds, one a line) | feed:K (K x the feed latency) (default: ${DEFAULT-VALUE})")
    String latency;

    @Option(names = {"-j", "--journal"}, paramLabel = "DIR", description = {"also record the engines' input as a run journal in DIR (new or empty):",
            "mme replay --journal DIR gives the same digest, and with --serve plays the backtest in the web page"})
    Path journal;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...",
            description = {"run the grid of every combination (repeatable): KEY a configuration path (strategy.parameters.spread.ticks,",
                    "instruments[0].makerFeeBps, ...) or queue-model / latency; runs on both cores, each deterministic"})
    List<String> sweep;

    @Option(names = "--rank", paramLabel = "METRIC", defaultValue = "netPnl",
            description = "what ranks a sweep: netPnl, sharpe, pnlPerHour, fills, spreadCaptureBps or maxDrawdown (lowest first) (default: ${DEFAULT-VALUE})")
    String rank;

    @Override
    public Integer call() {
        QueueModel queue;
        LatencyModel latencyModel;
        Long fromNanos;
        Long toNanos;
        try {
            queue = QueueModel.parse(queueModel);
            latencyModel = LatencyModel.parse(latency);
            fromNanos = time("--from", from);
            toNanos = time("--to", to);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (fromNanos != null && toNanos != null && toNanos <= fromNanos) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to " + to + " is not after --from " + from);
        }
        List<Path> files;
        List<Path> journals = journals(data);
        try {
            files = files(data);
        } catch (BacktestInputException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (sweep != null && !sweep.isEmpty() && journal != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--journal records one backtest: it cannot go with --sweep");
        }
        if (sweep != null && !sweep.isEmpty()) {
            List<BacktestSweep.Axis> axes;
            try {
                axes = BacktestSweep.axes(sweep);
                BacktestSweep.checkRank(rank);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return new BacktestSweep(config, files, journals, fromNanos, toNanos, queueModel, latency, report, rank)
                    .run(axes, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        MmeSettings settings = ConfigOptions.load(config, null, ConfigOptions.strategyPath(strategyPath));
        var risk = settings.trading().risk();
        Backtest.Options options = new Backtest.Options(files, fromNanos, toNanos, queue, latencyModel, settings.timerPeriod().toNanos(),
                Math.max(settings.bookLevelsPerSide(), 20_000), risk.makerFeeBps(), risk.takerFeeBps(),
                io.mme.app.JournalMarketData.openers(journals, settings.instruments()));
        try {
            return BacktestRunner.run(settings, options, report, journal, spec.commandLine().getOut(), spec.commandLine().getErr(), !noProgress)
                    .exitCode();
        } catch (BacktestInputException e) {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("mme backtest: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Main.EXIT_CONFIG;
        }
    }

    private static Long time(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(text);
            }
            Instant t = Instant.parse(text);
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "': expected an ISO instant such as 2024-08-08T23:56:00Z or unix nanoseconds");
        }
    }

    /** the given paths that are the engine's journals (a run directory or its queue/) */
    static List<Path> journals(List<Path> given) {
        return given.stream().filter(io.mme.app.JournalMarketData::isJournal).toList();
    }

    /**
     * Files as given; a directory gives its *.gz, *.txt and *.csv files in name order; a journal
     * ({@link #journals}) gives none.
     */
    static List<Path> files(List<Path> given) {
        List<Path> out = new java.util.ArrayList<>();
        boolean journals = false;
        for (Path p : given) {
            if (io.mme.app.JournalMarketData.isJournal(p)) {
                journals = true;
            } else if (Files.isDirectory(p)) {
                try (var list = Files.list(p)) {
                    list.filter(f -> f.getFileName().toString().matches(".*\\.(gz|txt|csv)$")).sorted()
                            .forEach(out::add);
                } catch (java.io.IOException e) {
                    throw new BacktestInputException("--data " + p + ": cannot list the directory (" + e.getMessage() + ")");
                }
            } else if (Files.isReadable(p)) {
                out.add(p);
            } else {
                throw new BacktestInputException("--data " + p + ": no such readable file or directory");
            }
        }
        if (out.isEmpty() && !journals) {
            throw new BacktestInputException("--data " + given + ": no capture or CSV files (*.gz, *.txt, *.csv) in it");
        }
        return out;
    }
}
