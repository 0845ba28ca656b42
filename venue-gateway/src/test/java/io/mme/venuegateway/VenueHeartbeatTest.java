package io.mme.venuegateway;

import io.mme.venuegateway.VenueHarness.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heartbeats on the order entry session, with short configured limits (a heartbeat after 40 ms of
 * silence, a session silent for 300 ms ended) and every wait a poll for a condition.
 */
class VenueHeartbeatTest {
    private static final int HEARTBEAT_MS = 40;
    private static final int IDLE_MS = 300;
    private final VenueHarness venue = new VenueHarness(c -> c.withHeartbeat(HEARTBEAT_MS, IDLE_MS));

    @AfterEach
    void close() {
        venue.close();
    }

    @Test
    void aSessionThatSendsNothingIsEndedWithIdleTimeoutWhileOneThatHeartbeatsStaysAndBothHearTheVenue() {
        Session silent = venue.login(1);
        Session alive = venue.login(2);
        alive.client.heartbeatEvery(HEARTBEAT_MS * 1_000_000L);
        // the silent one only reads; the live one flushes, which sends a HEARTBEAT when it has been quiet
        VenueHarness.await(silent.client::isClosed, () -> {
            silent.client.poll(silent);
            alive.pump();
        }, "the silent session ended");
        assertThat(silent.endReason).isEqualTo(GatewayReason.IDLE_TIMEOUT.code());
        assertThat(silent.endDetail).as("the limit, in ms").isEqualTo(IDLE_MS);
        assertThat(silent.heartbeats).as("the venue's heartbeats reached the silent session before it was ended").isPositive();
        assertThat(venue.server.counters().count(GatewayReason.IDLE_TIMEOUT)).isEqualTo(1);
        // twenty venue heartbeats take at least 20 × 40 ms, more than twice the idle limit: the live session
        // has outlived it twice over on its own heartbeats
        alive.await(() -> alive.heartbeats >= 20 || alive.client.isClosed(), "twenty heartbeats from the venue");
        assertThat(alive.client.isClosed()).isFalse();
        assertThat(venue.server.counters().count(GatewayReason.IDLE_TIMEOUT)).isEqualTo(1);
        alive.client.newOrder(VenueHarness.INSTRUMENT, 1, io.mme.core.ring.Side.BUY, io.mme.core.ring.TimeInForce.GTC,
                false, 100, 1);
        assertThat(alive.report(1).execType()).isEqualTo(VenueProtocol.EXEC_ACCEPTED);
    }

    @Test
    void aConnectionThatNeverLogsInIsEndedByTheIdleLimitToo() throws Exception {
        try (SocketChannel raw = SocketChannel.open(venue.address())) {
            raw.setOption(StandardSocketOptions.TCP_NODELAY, true);
            raw.configureBlocking(false);
            ByteBuffer in = ByteBuffer.allocate(64).order(VenueProtocol.ORDER);
            int[] read = {0};
            VenueHarness.await(() -> read[0] < 0, () -> {
                try {
                    read[0] = raw.read(in);
                } catch (java.io.IOException e) {
                    read[0] = -1;
                }
            }, "the venue to close the connection");
            assertThat(in.position()).as("a SESSION_END before the close").isEqualTo(VenueProtocol.SESSION_END_SIZE);
            assertThat(in.get(0)).isEqualTo(VenueProtocol.SESSION_END);
            assertThat(in.getShort(VenueProtocol.SESSION_END_REASON) & 0xFFFF).isEqualTo(GatewayReason.IDLE_TIMEOUT.code());
            assertThat(venue.server.counters().count(GatewayReason.IDLE_TIMEOUT)).isEqualTo(1);
            assertThat(venue.server.counters().sessionsOpened()).isZero();
        }
    }

    @Test
    void aSessionThatStopsInTheMiddleOfAMessageIsEndedByTheIdleLimitAndOthersGoOn() {
        Session half = venue.login(1);
        Session other = venue.login(2);
        other.client.heartbeatEvery(HEARTBEAT_MS * 1_000_000L);
        byte[] order = new byte[VenueProtocol.NEW_ORDER_SIZE];
        order[0] = VenueProtocol.NEW_ORDER;
        half.client.sendRaw(java.util.Arrays.copyOf(order, 10)); // 10 of 32 bytes, then nothing
        half.client.flush();
        VenueHarness.await(half.client::isClosed, () -> {
            half.client.poll(half);
            other.pump();
        }, "the half-sent session ended");
        assertThat(half.endReason).isEqualTo(GatewayReason.IDLE_TIMEOUT.code());
        other.client.newOrder(VenueHarness.INSTRUMENT, 1, io.mme.core.ring.Side.SELL, io.mme.core.ring.TimeInForce.GTC,
                false, 100, 1);
        assertThat(other.report(1).execType()).as("the matching thread never waited for the rest").isEqualTo(VenueProtocol.EXEC_ACCEPTED);
    }
}
