package io.mme.venuegateway;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.venuegateway.VenueHarness.Report;
import io.mme.venuegateway.VenueHarness.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static io.mme.venuegateway.VenueHarness.INSTRUMENT;
import static io.mme.venuegateway.VenueProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input on the wire: each gets a reject or a session end with its reason, counted; the others go on. */
class VenueWireFaultTest {
    private VenueHarness venue = new VenueHarness(c -> c.withThrottle(20, 30));

    @AfterEach
    void close() throws Exception {
        venue.close();
    }

    private static byte[] newOrder(int instrument, long clientId, int side, int tif, int flags, long price, long qty) {
        ByteBuffer b = ByteBuffer.allocate(NEW_ORDER_SIZE).order(ORDER);
        b.put(TYPE, NEW_ORDER).put(NEW_SIDE, (byte) side).put(NEW_TIF, (byte) tif).put(NEW_FLAGS, (byte) flags)
                .putInt(NEW_INSTRUMENT, instrument).putLong(NEW_CLIENT_ORDER_ID, clientId)
                .putLong(NEW_PRICE, price).putLong(NEW_QUANTITY, qty);
        return b.array();
    }

    @Test
    void aMessageSplitAcrossManyWritesIsFramedWhole() throws Exception {
        try (SocketChannel raw = SocketChannel.open(venue.address())) {
            raw.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer login = ByteBuffer.allocate(LOGIN_SIZE).order(ORDER);
            login.put(TYPE, LOGIN).put(LOGIN_VERSION, VERSION).putLong(LOGIN_SESSION_ID, 1);
            login.put(LOGIN_TOKEN, "alpha-token".getBytes(StandardCharsets.US_ASCII));
            byte[] order = newOrder(INSTRUMENT, 77, 0, 0, 0, 100, 2);
            // one byte per write, each flushed on its own (TCP_NODELAY): the venue reads partial frames
            for (byte b : login.array()) {
                raw.write(ByteBuffer.wrap(new byte[] {b}));
            }
            for (int i = 0; i < order.length; i += 3) {
                raw.write(ByteBuffer.wrap(order, i, Math.min(3, order.length - i)));
            }
            ByteBuffer in = ByteBuffer.allocate(LOGIN_ACCEPTED_SIZE + REPORT_SIZE).order(ORDER);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (in.hasRemaining() && System.nanoTime() < deadline) {
                raw.read(in);
            }
            assertThat(in.get(0)).isEqualTo(LOGIN_ACCEPTED);
            assertThat(in.get(LOGIN_ACCEPTED_SIZE)).isEqualTo(EXECUTION_REPORT);
            assertThat(in.get(LOGIN_ACCEPTED_SIZE + REPORT_EXEC_TYPE)).isEqualTo(EXEC_ACCEPTED);
            assertThat(in.getLong(LOGIN_ACCEPTED_SIZE + REPORT_CLIENT_ORDER_ID)).isEqualTo(77);
        }
    }

    @Test
    void unknownTypeByteEndsTheSessionWithItsReasonAndIsCounted() {
        Session a = venue.login(1);
        Session b = venue.login(2);
        a.client.sendRaw(new byte[] {(byte) 99, 0, 0, 0});
        a.awaitEnd();
        assertThat(a.endReason).isEqualTo(GatewayReason.UNKNOWN_MESSAGE_TYPE.code());
        assertThat(a.endDetail).isEqualTo(99);
        assertThat(venue.server.counters().count(GatewayReason.UNKNOWN_MESSAGE_TYPE)).isEqualTo(1);
        b.client.newOrder(INSTRUMENT, 1, Side.BUY, TimeInForce.GTC, false, 100, 1);
        assertThat(b.report(1).execType()).as("the other session goes on").isEqualTo(EXEC_ACCEPTED);
    }

    @Test
    void aShortFrameBeforeTheConnectionClosesIsCounted() throws Exception {
        Session a = venue.login(1);
        a.client.sendRaw(java.util.Arrays.copyOf(newOrder(INSTRUMENT, 1, 0, 0, 0, 100, 1), 10));
        a.client.flush();
        a.client.close();
        VenueHarness.await(() -> venue.server.counters().count(GatewayReason.SHORT_FRAME) == 1, () -> { }, "the short frame counted");
    }

    @Test
    void outOfRangeFieldsAreRejectedNamingTheFieldAndTheSessionGoesOn() {
        Session a = venue.login(1);
        a.client.sendRaw(newOrder(INSTRUMENT, 1, 2, 0, 0, 100, 1));        // side 2
        a.client.sendRaw(newOrder(INSTRUMENT, 2, 0, 3, 0, 100, 1));        // time in force 3
        a.client.sendRaw(newOrder(INSTRUMENT, 3, 0, 0, 4, 100, 1));        // unknown flag
        a.client.sendRaw(newOrder(INSTRUMENT, 4, 0, 0, 0, 0, 1));          // price 0
        a.client.sendRaw(newOrder(INSTRUMENT, 5, 0, 0, 0, 100, -3));       // quantity -3
        a.client.sendRaw(newOrder(INSTRUMENT + 1, 6, 0, 0, 0, 100, 1));    // no such instrument
        a.client.sendRaw(newOrder(INSTRUMENT, 0, 0, 0, 0, 100, 1));        // client order id 0
        a.client.sendRaw(newOrder(INSTRUMENT, 8, 0, 0, 0, 100, 1));        // valid
        a.await(() -> a.reports.size() >= 8, "eight answers");
        assertThat(a.reports).extracting(Report::reason).containsExactly(
                GatewayReason.BAD_SIDE.code(), GatewayReason.BAD_TIME_IN_FORCE.code(), GatewayReason.BAD_FLAGS.code(),
                GatewayReason.BAD_PRICE.code(), GatewayReason.BAD_QUANTITY.code(), GatewayReason.UNKNOWN_INSTRUMENT.code(),
                GatewayReason.BAD_CLIENT_ORDER_ID.code(), 0);
        assertThat(a.reports.subList(0, 7)).extracting(Report::execType).containsOnly(EXEC_REJECTED);
        assertThat(a.reports.get(7).execType()).isEqualTo(EXEC_ACCEPTED);
        assertThat(venue.server.counters().count(GatewayReason.BAD_PRICE)).isEqualTo(1);
    }

    @Test
    void anOrderBeforeLoginEndsTheSession() {
        Session a = venue.connect();
        a.client.newOrder(INSTRUMENT, 1, Side.BUY, TimeInForce.GTC, false, 100, 1);
        a.awaitEnd();
        assertThat(a.endReason).isEqualTo(GatewayReason.NOT_LOGGED_IN.code());
    }

    @Test
    void ordersOverTheRateAreRejectedAsThrottledAndAPersistentFloodEndsTheSession() {
        Session a = venue.login(1);
        Session b = venue.login(2);
        for (int i = 1; i <= 25; i++) {
            a.client.newOrder(INSTRUMENT, i, Side.BUY, TimeInForce.GTC, false, 100, 1);
        }
        a.await(() -> a.reports.size() >= 25, "25 answers");
        long throttled = a.reports.stream().filter(r -> r.reason() == GatewayReason.THROTTLED.code()).count();
        // 20 per second with a burst of 20: sent at once, at least the last 5 are over the rate
        assertThat(throttled).isBetween(1L, 5L);
        assertThat(a.client.isClosed()).isFalse();
        for (int i = 100; i < 200; i++) {
            a.client.newOrder(INSTRUMENT, i, Side.BUY, TimeInForce.GTC, false, 100, 1);
        }
        a.awaitEnd();
        assertThat(a.endReason).isEqualTo(GatewayReason.FLOOD.code());
        assertThat(venue.server.counters().count(GatewayReason.FLOOD)).isEqualTo(1);
        b.client.newOrder(INSTRUMENT, 1, Side.SELL, TimeInForce.GTC, false, 300, 1);
        assertThat(b.report(1).execType()).as("the other session is not throttled by the flood").isEqualTo(EXEC_ACCEPTED);
    }

    @Test
    void replayRequestsCountAgainstTheThrottle() {
        Session a = venue.login(1);
        for (int i = 0; i < 25; i++) {
            a.client.requestReplay(1, 10);
        }
        // 20 per second with a burst of 20: at least the last 5 are refused; the others are answered (nothing yet to replay)
        VenueHarness.await(() -> venue.server.counters().count(GatewayReason.THROTTLED) >= 1, a::pump, "a throttled replay request");
        a.await(() -> a.reports.size() >= 1, "the refusal reported");
        assertThat(a.reports).extracting(Report::reason).containsOnly(GatewayReason.THROTTLED.code());
        assertThat(a.reports).extracting(Report::clientOrderId).containsOnly(0L);
        assertThat(a.client.isClosed()).isFalse();
    }

    @Test
    void aClientThatStopsReadingIsEndedWhenItsBufferFillsAndOthersAreUnaffected() throws Exception {
        venue.close();
        venue = new VenueHarness(c -> c.withOutboundBuffer(16 * 1024));
        Session maker = venue.login(2);
        for (int i = 1; i <= 100; i++) {
            maker.client.newOrder(INSTRUMENT, i, Side.BUY, TimeInForce.GTC, false, 1000 + i, 1);
        }
        maker.await(() -> maker.reports.size() >= 100, "100 levels resting");
        try (SocketChannel silent = SocketChannel.open()) {
            silent.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            silent.connect(venue.address());
            ByteBuffer login = ByteBuffer.allocate(LOGIN_SIZE).order(ORDER);
            login.put(TYPE, LOGIN).put(LOGIN_VERSION, VERSION).putLong(LOGIN_SESSION_ID, 1);
            login.put(LOGIN_TOKEN, "alpha-token".getBytes(StandardCharsets.US_ASCII));
            write(silent, login);
            // each snapshot is ~3.3 KB; the client never reads them
            ByteBuffer request = ByteBuffer.allocate(SNAPSHOT_REQUEST_SIZE).order(ORDER);
            request.put(TYPE, SNAPSHOT_REQUEST).putInt(SNAPSHOT_REQUEST_INSTRUMENT, INSTRUMENT);
            VenueHarness.await(() -> venue.server.counters().count(GatewayReason.SLOW_CONSUMER) == 1, () -> {
                try {
                    if (silent.isOpen()) {
                        write(silent, request.clear());
                    }
                } catch (IOException e) {
                    // the venue closed it: what the test waits for
                }
            }, "the silent client ended as a slow consumer");
        }
        maker.client.newOrder(INSTRUMENT, 500, Side.SELL, TimeInForce.GTC, false, 5000, 1);
        assertThat(maker.report(101).execType()).as("the reading session goes on").isEqualTo(EXEC_ACCEPTED);
        assertThat(maker.client.isClosed()).isFalse();
    }

    private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
