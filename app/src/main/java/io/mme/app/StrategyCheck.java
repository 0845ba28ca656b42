package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.app.config.TradingSettings;
import io.mme.strategy.StrategyCatalog;
import io.mme.strategy.StrategyEngineConfig;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mme strategy check}: runs a strategy type over a recorded run (its journal) in the
 * replay engine, in place of one of the run's strategies ({@code --in-place-of ID}, else the
 * first; same pair, venues and quote slots, the
 * type's default parameters; its market view as deep as {@code --book-depth} asks, else as recorded), and reports per callback the calls, p50 / p99 time and p50 / p99 /
 * mean bytes allocated per call, so a desk sees whether its code is fit for the hot path. The
 * other strategies run as recorded. Runs on the caller's thread; the engine's threads as in a
 * replay.
 */
public final class StrategyCheck {
    private StrategyCheck() {
    }

    /** as {@link #run(Path, Path, String, Integer, String, PrintWriter)} with the recorded book depth, in place of the first strategy */
    public static int run(Path journal, Path strategyPath, String type, PrintWriter out) {
        return run(journal, strategyPath, type, null, null, out);
    }

    /** as {@link #run(Path, Path, String, Integer, String, PrintWriter)} in place of the first strategy */
    public static int run(Path journal, Path strategyPath, String type, Integer bookDepth, PrintWriter out) {
        return run(journal, strategyPath, type, bookDepth, null, out);
    }

    /**
     * @param bookDepth levels a side per venue in the checked strategy's view (null: as recorded)
     * @param inPlaceOf the id of the recorded strategy the checked one replaces (null: the first)
     * @return 0, or {@link Main#EXIT_CONFIG} for a journal, path, type, depth or id that is not usable
     */
    public static int run(Path journal, Path strategyPath, String type, Integer bookDepth, String inPlaceOf, PrintWriter out) {
        if (bookDepth != null && (bookDepth < 1 || bookDepth > StrategyEngineConfig.MAX_BOOK_DEPTH)) {
            out.printf("mme: --book-depth %d: 1 to %d book levels a side%n", bookDepth, StrategyEngineConfig.MAX_BOOK_DEPTH);
            out.flush();
            return Main.EXIT_CONFIG;
        }
        Path config = journal.resolve(EngineRunner.JOURNAL_CONFIG);
        Path queue = journal.resolve(EngineRunner.JOURNAL_QUEUE);
        if (!Files.isRegularFile(config) || !Files.isDirectory(queue)) {
            out.printf("mme: %s is not a journal directory (expected %s and %s/ in it)%n", journal, EngineRunner.JOURNAL_CONFIG,
                    EngineRunner.JOURNAL_QUEUE);
            out.flush();
            return Main.EXIT_CONFIG;
        }
        List<Path> path = new ArrayList<>();
        if (strategyPath != null) {
            for (String entry : strategyPath.toString().split(File.pathSeparator)) {
                path.add(Path.of(entry));
            }
        }
        StrategyCatalog catalog;
        try {
            catalog = StrategyCatalog.load(path);
        } catch (io.mme.strategy.StrategyPluginException e) {
            out.println("mme: " + e.getMessage());
            out.flush();
            return Main.EXIT_CONFIG;
        }
        StrategyFactory factory = catalog.factory(type);
        if (factory == null) {
            out.printf("mme: strategy type '%s' is not known: one of %s%n", type, String.join(", ", catalog.types()));
            out.flush();
            return Main.EXIT_CONFIG;
        }
        MmeSettings recorded = new ConfigLoader().load(config, Map.of());
        List<TradingSettings.StrategySetup> setups = new ArrayList<>(recorded.trading().strategies());
        if (setups.isEmpty()) {
            out.printf("mme: the run in %s has no strategy whose place the checked one could take%n", journal);
            out.flush();
            return Main.EXIT_CONFIG;
        }
        int replaced = 0;
        if (inPlaceOf != null) {
            replaced = -1;
            for (int i = 0; i < setups.size(); i++) {
                if (setups.get(i).id().equals(inPlaceOf)) {
                    replaced = i;
                }
            }
            if (replaced < 0) {
                out.printf("mme: --in-place-of %s: the run in %s has no strategy with that id: one of %s%n", inPlaceOf, journal,
                        String.join(", ", setups.stream().map(TradingSettings.StrategySetup::id).toList()));
                out.flush();
                return Main.EXIT_CONFIG;
            }
        }
        Strategy strategy = factory.newStrategy();
        MeasuredStrategy measured = new MeasuredStrategy(strategy);
        TradingSettings.StrategySetup first = setups.get(replaced);
        StrategyFactory once = new StrategyFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Strategy newStrategy() {
                return measured;
            }
        };
        StrategyEngineConfig engineConfig = bookDepth == null ? first.engine() : first.engine().withBookDepth(bookDepth);
        setups.set(replaced, new TradingSettings.StrategySetup(first.id(), type, once, first.pair(), engineConfig, Map.of()));
        TradingSettings trading = new TradingSettings(setups, recorded.trading().risk(), recorded.trading().execution());
        MmeSettings settings = recorded.withTrading(trading);
        out.printf("strategy check of %s (%s) over %s, in place of strategy %s on %s, book depth %d%n", type, catalog.origin(type),
                journal, first.id(), first.pair(), engineConfig.bookDepth());
        out.flush();
        long events;
        try (EngineAssembly engine = EngineAssembly.replay(settings).start()) {
            long last = engine.feedWholeJournal(queue, n -> { });
            engine.awaitChain(last);
            engine.stop();
            events = last + 1;
        }
        out.printf("%,d events; per call:%n", events);
        out.printf("  %-14s %10s %10s %10s %12s %12s %12s%n", "callback", "calls", "p50 ns", "p99 ns", "p50 bytes", "p99 bytes",
                "mean bytes");
        for (int c = 0; c < MeasuredStrategy.CALLBACKS.size(); c++) {
            long calls = measured.calls[c];
            if (calls == 0) {
                out.printf("  %-14s %10d %10s %10s %12s %12s %12s%n", MeasuredStrategy.CALLBACKS.get(c), 0, "-", "-", "-", "-", "-");
                continue;
            }
            out.printf("  %-14s %,10d %,10d %,10d %,12d %,12d %,12.1f%n", MeasuredStrategy.CALLBACKS.get(c), calls,
                    measured.nanos[c].getValueAtPercentile(50), measured.nanos[c].getValueAtPercentile(99),
                    measured.bytes[c].getValueAtPercentile(50), measured.bytes[c].getValueAtPercentile(99),
                    measured.bytes[c].getMean());
        }
        out.flush();
        return 0;
    }
}
