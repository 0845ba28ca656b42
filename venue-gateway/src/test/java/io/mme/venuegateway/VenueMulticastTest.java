package io.mme.venuegateway;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.venuegateway.VenueHarness.Session;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mme.venuegateway.VenueHarness.INSTRUMENT;
import static io.mme.venuegateway.VenueProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The UDP streams on the loopback multicast group: sequence, gap, snapshot recovery. */
class VenueMulticastTest {

    @Test
    void aLostMarketDataPacketIsDetectedAsAGapAndTheBookIsRecoveredFromASnapshot() throws Exception {
        AtomicBoolean dropped = new AtomicBoolean();
        // the first market data packet is never sent: the subscriber sees a gap at the next one
        try (VenueHarness venue = new VenueHarness(c -> c, first -> dropped.compareAndSet(false, true))) {
            Session trader = venue.login(1);
            Session recovery = venue.login(2);
            MarketDataSubscriber sub = venue.subscriber(recovery);
            trader.client.newOrder(INSTRUMENT, 1, Side.BUY, TimeInForce.GTC, false, 100, 5);
            trader.client.newOrder(INSTRUMENT, 2, Side.SELL, TimeInForce.GTC, false, 105, 7);
            trader.await(() -> trader.reports.size() >= 2, "both accepted");
            VenueHarness.await(dropped::get, sub::poll, "the first packet dropped");
            trader.client.newOrder(INSTRUMENT, 3, Side.BUY, TimeInForce.GTC, false, 99, 2);
            trader.await(() -> trader.reports.size() >= 3, "the third accepted");
            VenueHarness.await(() -> sub.recoveries() == 1 && !sub.recovering() && sub.quantityAt(INSTRUMENT, Side.BUY, 99) == 2,
                    sub::poll, "the gap recovered");
            assertThat(sub.gaps()).isEqualTo(1);
            assertThat(sub.lostMessages()).isPositive();
            assertThat(sub.quantityAt(INSTRUMENT, Side.BUY, 100)).as("from the snapshot").isEqualTo(5);
            assertThat(sub.quantityAt(INSTRUMENT, Side.SELL, 105)).as("from the snapshot").isEqualTo(7);
            // and the stream goes on from where the snapshot left it
            trader.client.cancel(INSTRUMENT, 1);
            trader.await(() -> trader.reports.size() >= 4, "the cancel");
            VenueHarness.await(() -> sub.quantityAt(INSTRUMENT, Side.BUY, 100) == 0, sub::poll, "the level removed");
            assertThat(sub.gaps()).isEqualTo(1);
            assertThat(sub.levels(INSTRUMENT, Side.BUY)).isEqualTo(1);
        }
    }

    @Test
    void everyPacketOfBothStreamsContinuesItsSequence() throws Exception {
        try (VenueHarness venue = new VenueHarness(c -> c.withThrottle(100_000, 100_000));
             DatagramChannel md = listen(venue.config.marketData());
             DatagramChannel ex = listen(venue.config.executions())) {
            Session maker = venue.login(1);
            Session taker = venue.login(2);
            for (int i = 1; i <= 300; i++) {
                maker.client.newOrder(INSTRUMENT, i, Side.SELL, TimeInForce.GTC, false, 100 + i % 10, 1);
            }
            maker.await(() -> maker.reports.size() >= 300, "maker's orders resting");
            for (int i = 1; i <= 300; i++) {
                taker.client.newOrder(INSTRUMENT, i, Side.BUY, TimeInForce.IOC, false, 109, 1);
            }
            taker.await(() -> taker.reports.size() >= 600, "taker accepted and filled");
            maker.await(() -> maker.reports.size() >= 600, "maker's orders filled");
            long[] mdNext = {1};
            long[] exNext = {1};
            ByteBuffer p = ByteBuffer.allocate(LARGEST_PACKET_SIZE).order(ORDER);
            // 300 trades and 600 level changes; 2 × 300 + 2 × 300 reports
            VenueHarness.await(() -> mdNext[0] > 900 && exNext[0] > 1200, () -> {
                drain(md, p, mdNext, STREAM_MARKET_DATA);
                drain(ex, p, exNext, STREAM_EXECUTIONS);
            }, "both streams complete");
            assertThat(mdNext[0]).isEqualTo(901);
            assertThat(exNext[0]).isEqualTo(1201);
        }
    }

    @Test
    void loopbackPacketsLargerThanTheDefaultCarryManyMessagesAndTheSubscribersReadThemWhole() {
        try (VenueHarness venue = new VenueHarness(c -> c.withThrottle(100_000, 100_000).withPacketBytes(LARGEST_PACKET_SIZE))) {
            Session trader = venue.login(1);
            MarketDataSubscriber md = venue.subscriber(venue.login(2));
            long[] next = {1};
            ExecutionReportSubscriber ex = venue.executionSubscriber(venue.login(3), (seq, r) -> next[0] = seq + 1);
            for (int i = 1; i <= 2_000; i++) {
                trader.client.newOrder(INSTRUMENT, i, Side.SELL, TimeInForce.GTC, false, 100 + i, 1);
            }
            VenueHarness.await(() -> trader.reports.size() >= 2_000 && ex.reports() == 2_000 && md.messages() == 2_000, () -> {
                trader.pump();
                md.poll();
                ex.poll();
            }, "2,000 reports and levels on both streams");
            assertThat(ex.gaps()).isZero();
            assertThat(md.gaps()).isZero();
            assertThat(next[0]).isEqualTo(2_001);
            // a 1,472-byte packet holds 16 reports; at least one packet here held more (how many a packet
            // carries depends on how many reports wait when the I/O thread sends, which the machine's speed decides)
            assertThat(ex.largestPacketReports()).as("%d packets", ex.packets()).isGreaterThan(16);
            assertThat(md.levels(INSTRUMENT, Side.SELL)).isEqualTo(2_000);
        }
    }

    @Test
    void aUnicastStreamReachesTheOneSubscriberBoundToItsAddress() {
        InetSocketAddress md = new InetSocketAddress("127.0.0.1", VenueHarness.freeUdpPort());
        InetSocketAddress exec = new InetSocketAddress("127.0.0.1", VenueHarness.freeUdpPort());
        try (VenueHarness venue = new VenueHarness(c -> new VenueConfig(c.orderEntry(), md, exec, null, c.books(),
                c.credentials(), c.ordersPerSecond(), c.floodRejects(), c.outboundBufferBytes(), c.maxSessions(),
                c.heartbeatMillis(), c.idleTimeoutMillis(), c.packetBytes()))) {
            Session trader = venue.login(1);
            MarketDataSubscriber sub = venue.subscriber(venue.login(2));
            trader.client.newOrder(INSTRUMENT, 1, Side.SELL, TimeInForce.GTC, false, 120, 4);
            trader.report(1);
            VenueHarness.await(() -> sub.quantityAt(INSTRUMENT, Side.SELL, 120) == 4, sub::poll, "the level over unicast");
            assertThat(sub.gaps()).isZero();
            assertThat(sub.expectedSequence()).isEqualTo(2);
        }
    }

    private static void drain(DatagramChannel ch, ByteBuffer p, long[] next, byte stream) {
        try {
            while (ch.receive(p.clear()) != null) {
                assertThat(p.get(PACKET_STREAM)).isEqualTo(stream);
                long first = p.getLong(PACKET_FIRST_SEQUENCE);
                assertThat(first).as("stream %d continues its sequence", stream).isEqualTo(next[0]);
                next[0] = first + (p.getShort(PACKET_COUNT) & 0xFFFF);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DatagramChannel listen(InetSocketAddress group) throws Exception {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        ch.bind(new InetSocketAddress(group.getPort()));
        ch.join(group.getAddress(), NetworkInterface.getByName("lo"));
        ch.configureBlocking(false);
        return ch;
    }
}
