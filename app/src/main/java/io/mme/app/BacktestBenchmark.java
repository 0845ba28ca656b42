package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.backtest.Backtest;
import io.mme.backtest.LatencyModel;
import io.mme.matching.QueueModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * {@code ./mme bench backtest}: the shared BTCUSDT capture through the real Binance decoder, the
 * whole chain (market data, strategy, risk, execution) and the simulated exchange, in event time on
 * one thread, pass after pass with fresh engines. The capture is inflated once into a temporary
 * text file first, so a pass measures decode + chain + simulator, not gzip. Reports venue messages
 * per second (median and best of the measured passes) by the wall clock and by the thread's CPU
 * time (the figure that holds on a machine whose cores other processes share), and the bytes this
 * thread allocated in a measured pass (building a pass's engines is outside it; the capture
 * reader's three 64 KiB buffers are inside). Checks its answer: every pass must give the first pass's
 * digest, with fills, and no engine fault. A main class of the app jar (it builds the engines from
 * the configuration as {@code mme backtest} does), not JMH. Thread: main.
 */
public final class BacktestBenchmark {
    private static final String PREFIX = "bench backtest: ";

    private BacktestBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("chronicle.analytics.disable", "true");
        Path root = Path.of(System.getProperty("mme.project.root", "."));
        Path config = root.resolve("examples/backtest-btcusdt.yaml");
        Path data = root.resolve("../shared/data/hftbacktest/binance-spot/btcusdt_20240808.gz");
        int warmup = 5;
        int passes = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> {
                    warmup = 1;
                    passes = 2;
                }
                case "--config" -> config = Path.of(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: ./mme bench backtest [--config F] [--data CAPTURE.gz] [--warmup N] [--passes N] [--smoke]");
                    System.out.println("  defaults: examples/backtest-btcusdt.yaml on ../shared/data/hftbacktest/binance-spot/btcusdt_20240808.gz,");
                    System.out.println("  5 warm-up passes, 10 measured; --smoke: 1 warm-up, 2 measured (CI)");
                    return;
                }
                default -> {
                    System.err.println(PREFIX + "unknown option " + args[i] + " (--help)");
                    System.exit(2);
                }
            }
        }
        if (!Files.isRegularFile(data) || !Files.isRegularFile(config)) {
            System.err.println(PREFIX + "missing " + (Files.isRegularFile(config) ? data : config));
            System.exit(2);
        }
        Path text = Files.createTempFile("mme-bench-backtest-", ".txt");
        try {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(data), 1 << 16); OutputStream out = Files.newOutputStream(text)) {
                in.transferTo(out);
            }
            MmeSettings settings = new ConfigLoader().load(config, Map.of());
            var risk = settings.trading().risk();
            Backtest.Options options = new Backtest.Options(List.of(text), null, null, QueueModel.power(2), LatencyModel.constant(5_000_000,
                    5_000_000), settings.timerPeriod().toNanos(), 20_000, risk.makerFeeBps(), risk.takerFeeBps());
            PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream(), false, java.nio.charset.StandardCharsets.UTF_8);
            String digest = null;
            List<Double> rates = new ArrayList<>();
            List<Double> cpuRates = new ArrayList<>();
            long allocated = 0;
            long messages = 0;
            for (int p = 0; p < warmup + passes; p++) {
                BacktestRunner.Pass pass = BacktestRunner.pass(settings, options, quiet);
                if (digest == null) {
                    digest = pass.digest();
                }
                if (!pass.digest().equals(digest) || pass.outcome().fills() == 0 || pass.outcome().engineFaults() > 0) {
                    System.err.printf(PREFIX + "FAILED: pass %d gave digest %s, %d fills, %d engine faults (first pass: %s)%n", p,
                            pass.digest(), pass.outcome().fills(), pass.outcome().engineFaults(), digest);
                    System.exit(1);
                }
                if (p >= warmup) {
                    rates.add(pass.outcome().venueMessages() / (pass.nanos() / 1e9));
                    cpuRates.add(pass.outcome().venueMessages() / (pass.cpuNanos() / 1e9));
                    allocated = pass.allocatedBytes();
                    messages = pass.outcome().venueMessages();
                }
            }
            double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] cpuSorted = cpuRates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, PREFIX + "%s: %,d venue messages a pass, %d measured passes after %d warm-up: wall clock median %,.0f"
                            + " msg/s (best %,.0f); per CPU second of the one thread median %,.0f msg/s (best %,.0f); last pass allocated %,d bytes"
                            + " (%.1f bytes per message, with the reader's buffers); digest %s, same every pass%n",
                    data.getFileName(), messages, passes, warmup, sorted[sorted.length / 2], sorted[sorted.length - 1],
                    cpuSorted[cpuSorted.length / 2], cpuSorted[cpuSorted.length - 1], allocated, allocated / (double) Math.max(1, messages),
                    digest);
            if (Arrays.stream(sorted).anyMatch(r -> r <= 0)) {
                System.exit(1);
            }
        } finally {
            Files.deleteIfExists(text);
        }
    }
}
