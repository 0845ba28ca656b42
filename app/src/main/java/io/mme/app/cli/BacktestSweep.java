package io.mme.app.cli;

import io.mme.app.BacktestRunner;
import io.mme.app.Main;
import io.mme.app.config.ConfigException;
import io.mme.app.config.MmeSettings;
import io.mme.backtest.Backtest;
import io.mme.backtest.BacktestInputException;
import io.mme.backtest.BacktestReport;
import io.mme.backtest.LatencyModel;
import io.mme.matching.QueueModel;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code mme backtest --sweep KEY=V1,V2 ...}: every combination of the values, each a backtest of
 * its own (its own engines, deterministic), two at a time (one per core), then one table ranked by
 * the chosen metric with each run's digest and report directory. A configuration key is set as its
 * {@code MME_} environment override would set it, so every value is validated like the file's.
 * Thread: the CLI thread, and two worker threads that each run whole backtests.
 */
final class BacktestSweep {
    private static final List<String> RANKS = List.of("netPnl", "sharpe", "pnlPerHour", "fills", "spreadCaptureBps", "maxDrawdown");

    /** one swept key and its values */
    record Axis(String key, List<String> values) {
    }

    /** one grid point's outcome */
    private record Point(Map<String, String> values, BacktestRunner.Result result, String error, Path report) {
    }

    private final Path config;
    private final List<Path> files;
    private final List<Path> journals;
    private final Long fromNanos;
    private final Long toNanos;
    private final String queueModel;
    private final String latency;
    private final Path reportRoot;
    private final String rank;

    BacktestSweep(Path config, List<Path> files, List<Path> journals, Long fromNanos, Long toNanos, String queueModel, String latency, Path reportRoot,
                  String rank) {
        this.config = config;
        this.files = files;
        this.journals = journals;
        this.fromNanos = fromNanos;
        this.toNanos = toNanos;
        this.queueModel = queueModel;
        this.latency = latency;
        this.reportRoot = reportRoot;
        this.rank = rank;
    }

    /** parses KEY=V1,V2 options; a key given twice or without values is refused */
    static List<Axis> axes(List<String> options) {
        List<Axis> axes = new ArrayList<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0 || eq == option.length() - 1) {
                throw new IllegalArgumentException("--sweep '" + option + "': expected KEY=V1,V2,... (e.g. strategy.parameters.spread.ticks=2,4,8)");
            }
            String key = option.substring(0, eq).trim();
            List<String> values = new ArrayList<>();
            for (String v : option.substring(eq + 1).split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
            if (axes.stream().anyMatch(a -> a.key().equals(key))) {
                throw new IllegalArgumentException("--sweep: " + key + " is swept twice");
            }
            axes.add(new Axis(key, values));
        }
        return axes;
    }

    static void checkRank(String rank) {
        if (!RANKS.contains(rank)) {
            throw new IllegalArgumentException("--rank '" + rank + "': expected one of " + String.join(", ", RANKS));
        }
    }

    /** the MME_ variable of a configuration path: instruments[0].makerFeeBps -> MME_INSTRUMENTS_0_MAKER_FEE_BPS */
    static String environmentName(String path) {
        String p = path.replace("[", ".").replace("]", "");
        StringBuilder out = new StringBuilder("MME_");
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(p.charAt(i - 1)) && p.charAt(i - 1) != '.') {
                out.append('_');
            }
            out.append(c == '-' || c == '.' ? '_' : Character.toUpperCase(c));
        }
        return out.toString();
    }

    int run(List<Axis> axes, PrintWriter out, PrintWriter err) {
        List<Map<String, String>> grid = new ArrayList<>();
        grid.add(new LinkedHashMap<>());
        for (Axis axis : axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> point : grid) {
                for (String value : axis.values()) {
                    Map<String, String> p = new LinkedHashMap<>(point);
                    p.put(axis.key(), value);
                    next.add(p);
                }
            }
            grid = next;
        }
        out.printf("sweep: %d runs on 2 threads, ranked by %s%n", grid.size(), rank);
        out.flush();
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mme-sweep");
            t.setDaemon(true);
            return t;
        });
        List<Future<Point>> futures = new ArrayList<>();
        for (int i = 0; i < grid.size(); i++) {
            Map<String, String> point = grid.get(i);
            Path report = reportRoot == null ? null : reportRoot.resolve("run-" + (i + 1));
            futures.add(pool.submit(() -> runPoint(point, report)));
        }
        List<Point> points = new ArrayList<>();
        try {
            for (Future<Point> f : futures) {
                points.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.EXIT_FAILED;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep run failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        int failed = 0;
        for (Point p : points) {
            if (p.error() != null) {
                failed++;
                err.println("mme backtest --sweep " + p.values() + ": " + p.error());
            }
        }
        List<Point> ranked = new ArrayList<>(points.stream().filter(p -> p.error() == null).toList());
        Comparator<Point> byMetric = Comparator.comparingDouble(p -> metric(p.result().report()));
        ranked.sort(rank.equals("maxDrawdown") ? byMetric : byMetric.reversed());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%4s", "rank"));
        for (Axis a : axes) {
            header.append(String.format(Locale.ROOT, "  %-" + Math.max(8, a.key().length()) + "s", a.key()));
        }
        header.append(String.format(Locale.ROOT, "  %10s %6s %9s %9s %8s %8s  %-16s %s", "net PnL", "fills", "Sharpe", "max DD", "mo5s bp",
                "O/T", "digest", "report"));
        out.println(header);
        int n = 0;
        for (Point p : ranked) {
            BacktestReport.Row total = total(p.result().report());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%4d", ++n));
            for (Axis a : axes) {
                line.append(String.format(Locale.ROOT, "  %-" + Math.max(8, a.key().length()) + "s", p.values().get(a.key())));
            }
            line.append(String.format(Locale.ROOT, "  %10.4f %6d %9.2f %9.4f %8s %8.1f  %-16s %s", total.net(), total.fills(),
                    total.sharpe(), total.maxDrawdown(), Double.isNaN(total.markoutBps()[1]) ? "-"
                            : String.format(Locale.ROOT, "%.2f", total.markoutBps()[1]), total.orderToTrade(),
                    p.result().digest().substring(0, 16), p.report() == null ? "-" : p.report().toString()));
            out.println(line);
        }
        out.flush();
        err.flush();
        return failed > 0 ? Main.EXIT_CONFIG : points.stream().allMatch(p -> p.result().exitCode() == 0) ? Main.EXIT_OK : Main.EXIT_FAILED;
    }

    private Point runPoint(Map<String, String> values, Path report) {
        try {
            Map<String, String> overrides = new LinkedHashMap<>();
            String queue = queueModel;
            String lat = latency;
            for (Map.Entry<String, String> e : values.entrySet()) {
                switch (e.getKey()) {
                    case "queue-model" -> queue = e.getValue();
                    case "latency" -> lat = e.getValue();
                    default -> overrides.put(environmentName(e.getKey()), e.getValue());
                }
            }
            MmeSettings settings = ConfigOptions.load(config, null, overrides);
            var risk = settings.trading().risk();
            Backtest.Options options = new Backtest.Options(files, fromNanos, toNanos, QueueModel.parse(queue), LatencyModel.parse(lat),
                    settings.timerPeriod().toNanos(), Math.max(settings.bookLevelsPerSide(), 20_000), risk.makerFeeBps(), risk.takerFeeBps(),
                    io.mme.app.JournalMarketData.openers(journals, settings.instruments()));
            PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream(), false, java.nio.charset.StandardCharsets.UTF_8);
            StringWriter notices = new StringWriter();
            BacktestRunner.Result result = BacktestRunner.run(settings, options, report, quiet, new PrintWriter(notices), false);
            return new Point(values, result, null, report);
        } catch (ConfigException | BacktestInputException | IllegalArgumentException e) {
            return new Point(values, null, e.getMessage(), report);
        }
    }

    private double metric(BacktestReport report) {
        BacktestReport.Row t = total(report);
        return switch (rank) {
            case "sharpe" -> t.sharpe();
            case "pnlPerHour" -> t.pnlPerHour();
            case "fills" -> t.fills();
            case "spreadCaptureBps" -> t.spreadCaptureBps();
            case "maxDrawdown" -> t.maxDrawdown();
            default -> t.net();
        };
    }

    private static BacktestReport.Row total(BacktestReport report) {
        return report.total();
    }
}
