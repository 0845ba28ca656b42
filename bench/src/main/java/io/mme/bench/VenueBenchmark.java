package io.mme.bench;

import io.mme.venuegateway.ExecutionReportSubscriber;
import io.mme.venuegateway.MarketDataSubscriber;
import io.mme.venuegateway.VenueClient;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./mme bench venue}: the round trip through the venue's binary interface, order out →
 * execution report in, over loopback TCP, with the venue in a separate process (started here, with
 * this JVM's flags and class path) and UDP subscribers of both multicast streams in this one.
 *
 * <p>Requests follow a plan fixed in advance: request i is due at {@code start + i / rate}; its
 * latency is measured from that planned time, not from when it was actually written, so a client or
 * venue that falls behind shows as latency rather than as fewer requests (no coordinated omission).
 * {@link VenueLoadClient} sends (one thread, batches of every request due per write) and reads
 * (another thread) on one session; even requests are new GTC limit orders around a mid (about half
 * cross and trade), odd ones cancel the new order sent {@value VenueLoadClient#CANCEL_LAG} new
 * orders earlier; the first answer to each (ACCEPTED or REJECTED for a new order, CANCELLED or
 * CANCEL_REJECTED for a cancel) closes its round trip. The run says whether the offered rate was
 * met (sent and answered at 99% of it or more), checks that every request was answered exactly once
 * and that both subscribers end in sequence, and fails (exit 1) otherwise. The market data and the
 * execution report subscribers poll on a third thread, each with its own recovery session.
 * Thread: main's; it reads the client's and the subscribers' results after joining their threads.
 */
public final class VenueBenchmark {

    private VenueBenchmark() {
    }

    static final String USAGE = """
            usage: ./mme bench venue [OPTIONS]
              --rate R          requests per second offered (new orders and cancels, half each; default 100000)
              --seconds S       measured seconds (default 5)
              --warmup S        seconds sent before measuring (default 2)
              --packet-bytes N  the venue's largest UDP packet (default 1472; up to 65507 on loopback)
              --smoke           a short run at 5,000/s (1 s, no warm-up) that checks every answer (CI)
            """;

    public static void main(String[] rawArgs) throws Exception {
        String[] args = BenchArgs.withSmokeDefaults(rawArgs, "--rate", "5000", "--seconds", "1", "--warmup", "0");
        long rate = 100_000;
        long seconds = 5;
        long warmup = 2;
        long packetBytes = 1472;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    case "--rate" -> rate = BenchArgs.number("--rate", value(args, ++i), 1, 10_000_000);
                    case "--seconds" -> seconds = BenchArgs.number("--seconds", value(args, ++i), 1, 600);
                    case "--warmup" -> warmup = BenchArgs.number("--warmup", value(args, ++i), 0, 600);
                    case "--packet-bytes" -> packetBytes = BenchArgs.number("--packet-bytes", value(args, ++i), 104, 65_507);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("mme bench venue: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        int status = run(rate, seconds, warmup, (int) packetBytes, System.out);
        if (BenchArgs.smoke(rawArgs) && status == 0) {
            System.out.println("mme bench venue: smoke OK: every request answered once, both subscribers in sequence");
        }
        System.exit(status);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static int run(long rate, long seconds, long warmupSeconds, int packetBytes, PrintStream out) throws Exception {
        int mdPort = freeUdpPort();
        int execPort = freeUdpPort();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mme.venuegateway.VenueServerMain",
                "--md", "239.255.20.1:" + mdPort, "--exec", "239.255.20.2:" + execPort,
                "--session", "1:bench", "--session", "2:recovery", "--session", "3:replay",
                "--orders-per-second", String.valueOf(Math.max(rate * 2, 1000)), "--outbound-bytes", String.valueOf(64 << 20),
                "--packet-bytes", String.valueOf(packetBytes)));
        Process venue = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader venueOut = new BufferedReader(new InputStreamReader(venue.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; (line = venueOut.readLine()) != null; ) {
                if (line.startsWith("venue: ready port=")) {
                    port = Integer.parseInt(line.substring("venue: ready port=".length()).split(" ")[0]);
                    break;
                }
                out.println("[venue] " + line);
            }
            if (port < 0) {
                out.println("mme bench venue: the venue process did not start");
                return 1;
            }
            Thread echo = new Thread(() -> venueOut.lines().forEach(l -> out.println("[venue] " + l)), "venue-output");
            echo.setDaemon(true);
            echo.start();
            return measure(new InetSocketAddress("127.0.0.1", port), new InetSocketAddress("239.255.20.1", mdPort),
                    new InetSocketAddress("239.255.20.2", execPort), rate, seconds, warmupSeconds, packetBytes, out);
        } finally {
            venue.getOutputStream().close(); // the venue stops when its standard input closes
            if (!venue.waitFor(10, TimeUnit.SECONDS)) {
                venue.destroy();
            }
        }
    }

    private static int measure(InetSocketAddress venue, InetSocketAddress marketData, InetSocketAddress executions, long rate,
                               long seconds, long warmupSeconds, int packetBytes, PrintStream out) throws Exception {
        VenueClient mdRecovery = VenueClient.connect(venue);
        mdRecovery.login(2, "recovery");
        mdRecovery.flush();
        VenueClient execRecovery = VenueClient.connect(venue);
        execRecovery.login(3, "replay");
        execRecovery.flush();
        MarketDataSubscriber subscriber = new MarketDataSubscriber(marketData, "lo", mdRecovery);
        long[] execNext = {1};
        long[] execOutOfOrder = {0};
        ExecutionReportSubscriber execSubscriber = new ExecutionReportSubscriber(executions, "lo", execRecovery, (seq, r) -> {
            if (seq < execNext[0]) { // a repeat or a step back; a step forward is a gap the venue no longer kept (counted)
                execOutOfOrder[0]++;
            }
            execNext[0] = seq + 1;
        });
        AtomicBoolean subscribing = new AtomicBoolean(true);
        Thread subThread = new Thread(() -> {
            while (subscribing.get()) {
                if (subscriber.poll() + execSubscriber.poll() == 0) {
                    // two cores shared with the venue: do not spin; the 8 MiB receive buffers hold far more than a millisecond
                    LockSupport.parkNanos(200_000);
                }
            }
            long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long giveUp = quietUntil + TimeUnit.SECONDS.toNanos(10);
            while ((System.nanoTime() < quietUntil || subscriber.recovering() || execSubscriber.recovering())
                    && System.nanoTime() < giveUp) { // what is still in flight
                subscriber.poll();
                execSubscriber.poll();
            }
        }, "venue-subscriber");
        subThread.start();

        long total = (seconds + warmupSeconds) * rate;
        long warmupRequests = warmupSeconds * rate;
        VenueLoadClient client = new VenueLoadClient(venue, 1, "bench", rate, total, warmupRequests);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        client.run(start, TimeUnit.SECONDS.toNanos(60));
        long end = System.nanoTime();
        subscribing.set(false);
        subThread.join(TimeUnit.SECONDS.toMillis(30));
        mdRecovery.close();
        execRecovery.close();
        subscriber.close();
        execSubscriber.close();

        Histogram h = client.roundTrip;
        double sendSeconds = (client.sendEnd - start) / 1e9;
        double sentRate = total / sendSeconds;
        double answerSeconds = (client.lastAnswerAt - start) / 1e9;
        double answerRate = client.answered / answerSeconds;
        out.printf("mme bench venue: offered %,d requests/s (new orders and cancels) for %d s after %d s of warm-up, "
                + "venue in a separate process, loopback TCP, UDP packets of at most %,d bytes%n", rate, seconds, warmupSeconds,
                packetBytes);
        out.printf("  sent %,d requests in %.2f s: achieved %,.0f requests/s sent (%,d writes, %.1f requests a write); "
                + "send lag (planned → written) p50 %s p99 %s max %s%n", total, sendSeconds, sentRate, client.writes,
                client.writes == 0 ? 0.0 : (double) total / client.writes, micros(client.sendLag.getValueAtPercentile(50)),
                micros(client.sendLag.getValueAtPercentile(99)), micros(client.sendLag.getMaxValue()));
        out.printf("  answered %,d (%,d duplicate), the last %.2f s after the start: %,.0f answers/s%n", client.answered,
                client.duplicates, answerSeconds, answerRate);
        out.printf("  round trip from the planned send time, %,d measured: p50 %s  p99 %s  p99.9 %s  max %s%n",
                h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
        boolean kept = sentRate >= 0.99 * rate && answerRate >= 0.99 * rate;
        out.printf("  offered rate %s: sent %.1f%% and answered %.1f%% of %,d/s%n",
                kept ? "MET" : "NOT MET (the latencies above are those of a growing backlog)",
                100 * sentRate / rate, 100 * answerRate / rate, rate);
        out.printf("  fills seen %,d; venue heartbeats %d; bench sender CPU %.2f s, reader CPU %.2f s, of %.2f s wall%n",
                client.fills, client.venueHeartbeats, client.senderCpuNanos / 1e9, client.readerCpuNanos / 1e9,
                (end - start) / 1e9);
        out.printf("  market data subscriber: %,d packets, %,d messages (%,d trades), %d gaps, %,d messages lost, "
                + "%d snapshot recoveries, next sequence %,d%n", subscriber.packets(), subscriber.messages(),
                subscriber.trades(), subscriber.gaps(), subscriber.lostMessages(), subscriber.recoveries(),
                subscriber.expectedSequence());
        out.printf("  execution report subscriber: %,d packets, %,d reports, %d gaps, %,d messages lost, %,d replayed, "
                + "%,d unrecoverable, %d recoveries%n", execSubscriber.packets(), execSubscriber.reports(),
                execSubscriber.gaps(), execSubscriber.lostMessages(), execSubscriber.replayed(),
                execSubscriber.unrecoverable(), execSubscriber.recoveries());
        boolean ok = client.answered == total && client.duplicates == 0 && !subscriber.recovering()
                && !execSubscriber.recovering() && execOutOfOrder[0] == 0;
        if (!ok) {
            out.printf("mme bench venue: FAILED: %,d of %,d requests answered, %,d duplicates, subscribers recovering=%s/%s, "
                    + "execution reports out of order %d, session end reason %d%n", client.answered, total, client.duplicates,
                    subscriber.recovering(), execSubscriber.recovering(), execOutOfOrder[0], client.endReason);
        }
        return ok ? 0 : 1;
    }

    private static String micros(long nanos) {
        return String.format("%,.1f µs", nanos / 1000.0);
    }

    private static int freeUdpPort() throws java.io.IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
