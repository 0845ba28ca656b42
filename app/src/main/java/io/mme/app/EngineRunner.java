package io.mme.app;

import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Instrument;
import io.mme.core.runtime.EngineState;
import io.mme.core.runtime.EngineStatus;
import io.mme.core.runtime.PipelineHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs an {@link EngineAssembly} for the CLI commands and reports on it. Main thread only. */
public final class EngineRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRunner.class);

    private EngineRunner() {
    }

    /** Runs for {@code seconds}, printing progress each second and the engines' state at the end. */
    public static int runFor(MmeSettings settings, String configSource, int seconds, PrintWriter out) {
        printHeader(settings, configSource, out);
        try (EngineAssembly engine = new EngineAssembly(settings).start()) {
            out.printf("running for %d s (timer every %d ms)%n", seconds, settings.timerPeriod().toMillis());
            out.flush();
            long startNanos = System.nanoTime();
            for (int s = 1; s <= seconds; s++) {
                sleepUntil(startNanos + TimeUnit.SECONDS.toNanos(s));
                PipelineHealth health = engine.pipeline().health();
                out.printf("  %3ds  events through the chain: %,d  trades in the market: %,d  trading: %s%n", s,
                        engine.eventsThroughChain(), engine.trades(), health.tradingHalted() ? "HALTED" : "ACTIVE");
                out.flush();
            }
            out.println();
            out.println("engines before shutdown:");
            out.print(engine.pipeline().health().describe());
            long left = engine.stop();
            printBooks(settings, engine, out);
            return report(engine.pipeline().health(), left, out);
        }
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

    /** Runs until the JVM is asked to stop (SIGINT, SIGTERM); the shutdown hook drains the rings. */
    public static int runUntilStopped(MmeSettings settings, String configSource, PrintWriter out) {
        printHeader(settings, configSource, out);
        EngineAssembly engine = new EngineAssembly(settings).start();
        CountDownLatch stopped = new CountDownLatch(1);
        long[] left = new long[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stop requested: draining the rings");
            left[0] = engine.stop();
            stopped.countDown();
        }, "mme-shutdown"));
        out.println("running; Ctrl-C or SIGTERM stops after draining the rings");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return report(engine.pipeline().health(), left[0], out);
    }

    private static void printHeader(MmeSettings settings, String configSource, PrintWriter out) {
        out.printf("mme: configuration %s; %d cores; %d instruments%n", configSource,
                Runtime.getRuntime().availableProcessors(), settings.instruments().size());
        for (Instrument instrument : settings.instruments().all()) {
            out.printf("  #%d %-8s %-10s %-9s tick %s lot %s%n", instrument.id(), instrument.venue().configName(),
                    instrument.venueSymbol(), instrument.pair(), instrument.tick().step(), instrument.lot().step());
        }
        out.printf("venue: paper (our matching engine), %s; no network connections are opened%n",
                settings.simulatedMarkets().isEmpty() ? "no simulated order flow"
                        : settings.simulatedMarkets().size() + " simulated markets");
        out.flush();
    }

    private static int report(PipelineHealth health, long left, PrintWriter out) {
        out.println();
        out.println("engines after shutdown:");
        out.print(health.describe());
        boolean faulted = false;
        for (EngineStatus status : health.engines()) {
            faulted |= status.faults() > 0 || status.state() == EngineState.DEAD;
        }
        if (left > 0) {
            out.printf("shutdown left %d events unprocessed%n", left);
        }
        out.flush();
        return faulted || left > 0 ? Main.EXIT_FAILED : Main.EXIT_OK;
    }

    private static void sleepUntil(long deadlineNanos) {
        long wait;
        while ((wait = deadlineNanos - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
