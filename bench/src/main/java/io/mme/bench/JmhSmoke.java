package io.mme.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code ./mme bench --smoke [REGEXP...]}: every JMH benchmark of the jar (or those the regular
 * expressions select) once, in this JVM (no fork), without warm-up and with one 100 ms measurement
 * iteration, and checks the answer: JMH fails on the first benchmark that throws, and every selected
 * benchmark, with every combination of its parameters, must have produced a finite, positive score.
 * A benchmark that silently ran nothing, or one that lost its parameters, fails the run (exit 1).
 * The scores themselves mean nothing at this length. Main thread only.
 */
public final class JmhSmoke {
    private static final String PREFIX = "mme bench --smoke: ";

    private JmhSmoke() {
    }

    public static void main(String[] args) throws RunnerException {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.toLevel(System.getProperty("mme.log.level", "WARN"), ch.qos.logback.classic.Level.WARN));
        }
        List<String> includes = new ArrayList<>();
        for (String arg : args) {
            if (!arg.equals(BenchArgs.SMOKE)) {
                includes.add(arg);
            }
        }
        int status;
        try {
            status = run(includes);
        } catch (RunnerException | RuntimeException e) {
            System.err.println(PREFIX + "FAILED: " + e.getMessage());
            e.printStackTrace(System.err);
            status = 1;
        }
        System.exit(status);
    }

    static int run(List<String> includes) throws RunnerException {
        OptionsBuilder builder = new OptionsBuilder();
        for (String include : includes) {
            builder.include(include);
        }
        Options options = builder
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        // what should run: the benchmark list the annotation processor wrote into the jar
        SortedSet<String> expected = new TreeSet<>();
        Set<BenchmarkListEntry> entries = BenchmarkList.defaultList().find(
                org.openjdk.jmh.runner.format.OutputFormatFactory.createFormatInstance(System.err, VerboseMode.SILENT), includes.isEmpty() ? List.of(".*") : includes, List.of());
        for (BenchmarkListEntry entry : entries) {
            expected.add(entry.getUsername());
        }
        if (expected.isEmpty()) {
            System.err.println(PREFIX + "FAILED: no benchmark matches " + includes);
            return 1;
        }
        System.err.printf(Locale.ROOT, PREFIX + "%d benchmarks, one 100 ms iteration each (every parameter combination), no fork%n",
                expected.size());
        Collection<RunResult> results = new Runner(options).run();
        SortedSet<String> ran = new TreeSet<>();
        List<String> bad = new ArrayList<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            ran.add(name);
            double score = result.getPrimaryResult().getScore();
            String label = name + result.getParams().getParamsKeys().stream()
                    .map(k -> " " + k + "=" + result.getParams().getParam(k)).reduce("", String::concat);
            System.err.printf(Locale.ROOT, "  %-90s %14.3f %s%n", label, score, result.getPrimaryResult().getScoreUnit());
            if (!(score > 0) || Double.isInfinite(score)) {
                bad.add(label + ": score " + score);
            }
        }
        SortedSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(ran);
        if (!missing.isEmpty()) {
            bad.add("no result for " + missing);
        }
        if (results.size() < expected.size()) {
            bad.add(results.size() + " results for " + expected.size() + " benchmarks");
        }
        if (!bad.isEmpty()) {
            System.err.println(PREFIX + "FAILED: " + String.join("; ", bad));
            return 1;
        }
        System.err.printf(Locale.ROOT, PREFIX + "OK: %d runs of %d benchmarks, each with a finite positive score%n",
                results.size(), expected.size());
        return 0;
    }
}
