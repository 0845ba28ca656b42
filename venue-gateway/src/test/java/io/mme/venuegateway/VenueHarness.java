package io.mme.venuegateway;

import io.mme.core.ring.Side;
import io.mme.matching.BookConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/** A venue on loopback for one test, with clients that remember what they were told. Test thread only. */
final class VenueHarness implements AutoCloseable {
    static final int INSTRUMENT = 7;
    static final Map<Long, String> SESSIONS = Map.of(1L, "alpha-token", 2L, "bravo-token", 3L, "charlie-token");
    final VenueConfig config;
    final VenueServer server;
    private final List<AutoCloseable> opened = new ArrayList<>();

    VenueHarness(java.util.function.UnaryOperator<VenueConfig> tune) {
        this(tune, seq -> false);
    }

    VenueHarness(java.util.function.UnaryOperator<VenueConfig> tune, LongPredicate dropMarketDataPacket) {
        this(tune, dropMarketDataPacket, seq -> false);
    }

    VenueHarness(java.util.function.UnaryOperator<VenueConfig> tune, LongPredicate dropMarketDataPacket,
                 LongPredicate dropExecutionPacket) {
        config = tune.apply(VenueConfig.loopback(freeUdpPort(), freeUdpPort(),
                List.of(BookConfig.of(1, INSTRUMENT).withCapacity(1 << 16)), SESSIONS));
        server = new VenueServer(config, dropMarketDataPacket, dropExecutionPacket).start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.orderEntryPort());
    }

    /** a connected client, not logged in */
    Session connect() {
        Session s = new Session(VenueClient.connect(address()));
        opened.add(s.client);
        return s;
    }

    /** a client logged in as {@code sessionId} (waits for LOGIN_ACCEPTED) */
    Session login(long sessionId) {
        Session s = connect();
        s.client.login(sessionId, SESSIONS.get(sessionId));
        s.client.flush();
        s.await(() -> s.loggedIn, "login of session " + sessionId);
        return s;
    }

    MarketDataSubscriber subscriber(Session recovery) {
        MarketDataSubscriber sub = new MarketDataSubscriber(config.marketData(), "lo", recovery.client);
        opened.add(sub);
        return sub;
    }

    ExecutionReportSubscriber executionSubscriber(Session recovery, ExecutionReportSubscriber.Handler handler) {
        ExecutionReportSubscriber sub = new ExecutionReportSubscriber(config.executions(), "lo", recovery.client, handler);
        opened.add(sub);
        return sub;
    }

    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void await(BooleanSupplier condition, Runnable step, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what);
            }
            step.run();
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
        server.close();
    }

    /** an execution report copied out of the wire */
    record Report(byte execType, long clientOrderId, long venueOrderId, Side side, long price, long lastQuantity,
                  long lastPrice, long leaves, int reason, boolean maker, long sessionId) {
    }

    /** a client and everything it received */
    static final class Session implements VenueClient.Listener {
        final VenueClient client;
        final List<Report> reports = new ArrayList<>();
        boolean loggedIn;
        int endReason;
        long endDetail;
        final List<long[]> snapshotLevels = new ArrayList<>();
        long snapshotSequence = -1;
        int heartbeats;

        Session(VenueClient client) {
            this.client = client;
        }

        void pump() {
            client.flush();
            client.poll(this);
        }

        void await(BooleanSupplier condition, String what) {
            VenueHarness.await(condition, this::pump, what);
        }

        /** waits for the n-th report (1-based) and returns it */
        Report report(int n) {
            await(() -> reports.size() >= n, n + " execution reports (have " + reports + ")");
            return reports.get(n - 1);
        }

        void awaitEnd() {
            await(() -> client.isClosed(), "the venue to close the session");
        }

        @Override
        public void onLoginAccepted(long sessionId) {
            loggedIn = true;
        }

        @Override
        public void onSessionEnd(int reasonCode, long detail) {
            endReason = reasonCode;
            endDetail = detail;
        }

        @Override
        public void onExecutionReport(ExecutionReportView r) {
            reports.add(new Report(r.execType(), r.clientOrderId(), r.venueOrderId(), r.side(), r.price(), r.lastQuantity(),
                    r.lastPrice(), r.leaves(), r.reason(), r.maker(), r.sessionId()));
        }

        @Override
        public void onHeartbeat() {
            heartbeats++;
        }

        @Override
        public void onSnapshotLevel(int instrument, Side side, long price, long quantity, int orders) {
            snapshotLevels.add(new long[] {side.ordinal(), price, quantity, orders});
        }

        @Override
        public void onSnapshotEnd(int instrument, long sequence, boolean last) {
            snapshotSequence = sequence;
        }
    }
}
