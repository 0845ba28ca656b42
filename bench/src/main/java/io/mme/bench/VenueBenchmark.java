package io.mme.bench;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.venuegateway.ExecutionReportView;
import io.mme.venuegateway.MarketDataSubscriber;
import io.mme.venuegateway.VenueClient;
import io.mme.venuegateway.VenueProtocol;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./mme bench venue}: the round trip through the venue's binary interface, order out →
 * execution report in, over loopback TCP, with the venue in a separate process (started here, with
 * this JVM's flags and class path) and a UDP market data subscriber in this one.
 *
 * <p>Requests follow a plan fixed in advance: request i is due at {@code start + i / rate}; its
 * latency is measured from that planned time, not from when it was actually written, so a venue
 * that falls behind shows as latency rather than as fewer requests (no coordinated omission).
 * Even requests are new GTC limit orders around a mid (about half cross and trade), odd ones
 * cancel the new order sent {@value #CANCEL_LAG} new orders earlier; the first answer to each
 * (ACCEPTED or REJECTED for a new order, CANCELLED or CANCEL_REJECTED for a cancel) closes its
 * round trip. The run checks that every request was answered exactly once, and fails (exit 1)
 * otherwise. The sender and receiver are one thread; the subscriber polls on its own.
 */
public final class VenueBenchmark {
    private static final int CANCEL_LAG = 500;
    private static final int INSTRUMENT = 1;
    private static final long MID = 100_000;

    private VenueBenchmark() {
    }

    static final String USAGE = """
            usage: ./mme bench venue [OPTIONS]
              --rate R          requests per second offered (new orders and cancels, half each; default 100000)
              --seconds S       measured seconds (default 5)
              --warmup S        seconds sent before measuring (default 2)
              --smoke           a short run at 5,000/s (1 s, no warm-up) that checks every answer (CI)
            """;

    public static void main(String[] rawArgs) throws Exception {
        String[] args = BenchArgs.withSmokeDefaults(rawArgs, "--rate", "5000", "--seconds", "1", "--warmup", "0");
        long rate = 100_000;
        long seconds = 5;
        long warmup = 2;
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
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("mme bench venue: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        int status = run(rate, seconds, warmup, System.out);
        if (BenchArgs.smoke(rawArgs) && status == 0) {
            System.out.println("mme bench venue: smoke OK: every request answered once, the subscriber in sequence");
        }
        System.exit(status);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static int run(long rate, long seconds, long warmupSeconds, PrintStream out) throws Exception {
        int mdPort = freeUdpPort();
        int execPort = freeUdpPort();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mme.venuegateway.VenueServerMain",
                "--md", "239.255.20.1:" + mdPort, "--exec", "239.255.20.2:" + execPort,
                "--session", "1:bench", "--session", "2:recovery",
                "--orders-per-second", String.valueOf(Math.max(rate * 2, 1000)), "--outbound-bytes", String.valueOf(64 << 20)));
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
                    rate, seconds, warmupSeconds, out);
        } finally {
            venue.getOutputStream().close(); // the venue stops when its standard input closes
            if (!venue.waitFor(10, TimeUnit.SECONDS)) {
                venue.destroy();
            }
        }
    }

    private static int measure(InetSocketAddress venue, InetSocketAddress marketData, long rate, long seconds,
                               long warmupSeconds, PrintStream out) throws Exception {
        VenueClient recovery = VenueClient.connect(venue);
        recovery.login(2, "recovery");
        recovery.flush();
        MarketDataSubscriber subscriber = new MarketDataSubscriber(marketData, "lo", recovery);
        AtomicBoolean subscribing = new AtomicBoolean(true);
        Thread subThread = new Thread(() -> {
            while (subscribing.get()) {
                if (subscriber.poll() == 0) {
                    LockSupport.parkNanos(20_000); // two cores shared with the venue: do not spin
                }
            }
            long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < quietUntil || subscriber.recovering()) { // what is still in flight
                subscriber.poll();
            }
        }, "venue-subscriber");
        subThread.start();

        VenueClient client = VenueClient.connect(venue, 8 << 20);
        Answers answers = new Answers();
        client.login(1, "bench");
        client.flush();
        long loginDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answers.loggedIn && System.nanoTime() < loginDeadline) {
            client.poll(answers);
        }
        if (!answers.loggedIn) {
            out.println("mme bench venue: login not accepted");
            return 1;
        }

        long interval = Math.max(1, 1_000_000_000L / rate);
        long total = (seconds + warmupSeconds) * rate;
        long warmupRequests = warmupSeconds * rate;
        answers.histogram = new Histogram(1, TimeUnit.SECONDS.toNanos(60), 3);
        answers.interval = interval;
        answers.warmupRequests = warmupRequests;
        answers.answeredFlags = new boolean[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        SplittableRandom random = new SplittableRandom(20);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        answers.start = start;
        long next = 0;
        long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        while (next < total) {
            long now = System.nanoTime();
            long due = now < start ? 0 : Math.min(total, (now - start) / interval + 1);
            boolean sent = next < due;
            while (next < due) {
                if (!send(client, next, random)) {
                    break; // the send buffer is full: the rest waits, its latency counts from its plan
                }
                next++;
            }
            client.flush();
            int read = client.poll(answers);
            if (read < 0) {
                out.println("mme bench venue: the venue closed the session (reason " + answers.endReason + ")");
                return 1;
            }
            if (!sent && read == 0) {
                // nothing due and nothing arrived: sleep until the next planned send, at most 20 µs
                LockSupport.parkNanos(Math.max(0, Math.min(20_000, start + next * interval - System.nanoTime())));
            }
        }
        long sendEnd = System.nanoTime();
        long drainDeadline = sendEnd + TimeUnit.SECONDS.toNanos(30);
        while (answers.answered < total && System.nanoTime() < drainDeadline) {
            client.flush();
            int read = client.poll(answers);
            if (read < 0) {
                break;
            }
            if (read == 0) {
                LockSupport.parkNanos(20_000);
            }
        }
        long end = System.nanoTime();
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore;
        subscribing.set(false);
        subThread.join(TimeUnit.SECONDS.toMillis(30));
        client.close();
        recovery.close();
        subscriber.close();

        Histogram h = answers.histogram;
        double sendSeconds = (sendEnd - start) / 1e9;
        out.printf("mme bench venue: offered %,d requests/s (new orders and cancels) for %d s after %d s of warm-up, "
                + "venue in a separate process, loopback TCP%n", rate, seconds, warmupSeconds);
        double answerSeconds = (answers.lastAnswerAt - start) / 1e9;
        out.printf("  sent %,d requests in %.2f s: achieved %,.0f requests/s sent; answered %,d (%,d duplicate), the last "
                + "%.2f s after the start: %,.0f answers/s%n", total, sendSeconds, total / sendSeconds, answers.answered,
                answers.duplicates, answerSeconds, answers.answered / answerSeconds);
        out.printf("  round trip from the planned send time, %,d measured: p50 %s  p99 %s  p99.9 %s  max %s%n",
                h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
        out.printf("  fills seen %,d; client thread CPU %.2f s of %.2f s wall (ThreadMXBean)%n", answers.fills,
                cpu / 1e9, (end - start) / 1e9);
        out.printf("  market data subscriber: %,d packets, %,d messages (%,d trades), %d gaps, %,d messages lost, "
                + "%d snapshot recoveries, next sequence %,d%n", subscriber.packets(), subscriber.messages(),
                subscriber.trades(), subscriber.gaps(), subscriber.lostMessages(), subscriber.recoveries(),
                subscriber.expectedSequence());
        boolean ok = answers.answered == total && answers.duplicates == 0 && !subscriber.recovering();
        if (!ok) {
            out.printf("mme bench venue: FAILED: %,d of %,d requests answered, %,d duplicates, subscriber recovering=%s%n",
                    answers.answered, total, answers.duplicates, subscriber.recovering());
        }
        return ok ? 0 : 1;
    }

    /** request i: even → a new order (client id i/2 + 1), odd → cancel of the new order CANCEL_LAG earlier */
    private static boolean send(VenueClient client, long i, SplittableRandom random) {
        long n = i / 2;
        if ((i & 1) == 0) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            // buys 99,996..100,003 and sells 99,997..100,004 ticks: about half the orders cross
            long price = side == Side.BUY ? MID - 4 + random.nextInt(8) : MID - 3 + random.nextInt(8);
            return client.newOrder(INSTRUMENT, n + 1, side, TimeInForce.GTC, false, price, 1 + random.nextInt(5));
        }
        long target = n - CANCEL_LAG;
        // the first CANCEL_LAG cancels name an order that never existed: answered CANCEL_REJECTED
        return client.cancel(INSTRUMENT, target >= 0 ? target + 1 : 1L << 50 | n);
    }

    private static String micros(long nanos) {
        return String.format("%,.1f µs", nanos / 1000.0);
    }

    private static int freeUdpPort() throws java.io.IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** what the bench session was told; the client thread only */
    private static final class Answers implements VenueClient.Listener {
        Histogram histogram;
        long start;
        long interval;
        long warmupRequests;
        boolean[] answeredFlags;
        boolean loggedIn;
        int endReason;
        long answered;
        long duplicates;
        long fills;
        long lastAnswerAt;

        @Override
        public void onLoginAccepted(long sessionId) {
            loggedIn = true;
        }

        @Override
        public void onSessionEnd(int reasonCode, long detail) {
            endReason = reasonCode;
        }

        @Override
        public void onExecutionReport(ExecutionReportView r) {
            byte t = r.execType();
            long request;
            long id = r.clientOrderId();
            if (t == VenueProtocol.EXEC_ACCEPTED || t == VenueProtocol.EXEC_REJECTED) {
                request = 2 * (id - 1);
            } else if (t == VenueProtocol.EXEC_CANCELLED || t == VenueProtocol.EXEC_CANCEL_REJECTED) {
                long n = (id & (1L << 50)) != 0 ? id & ((1L << 50) - 1) : id - 1 + CANCEL_LAG;
                request = 2 * n + 1;
            } else {
                fills++;
                return;
            }
            long now = System.nanoTime();
            if (request < 0 || request >= answeredFlags.length || answeredFlags[(int) request]) {
                duplicates++;
                return;
            }
            answeredFlags[(int) request] = true;
            answered++;
            lastAnswerAt = now;
            if (request >= warmupRequests) {
                long plannedAt = start + request * interval;
                histogram.recordValue(Math.max(1, Math.min(now - plannedAt, histogram.getHighestTrackableValue())));
            }
        }
    }
}
