package io.mme.venuegateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The venue's command line: defaults, and every bad value named with its option. */
class VenueServerMainTest {

    @Test
    void defaultsAreLoopbackMulticastOneInstrumentAndTwoSessions() {
        VenueConfig c = VenueServerMain.parse(new String[0]);
        assertThat(c.orderEntry().getAddress().isLoopbackAddress()).isTrue();
        assertThat(c.marketData().getAddress().isMulticastAddress()).isTrue();
        assertThat(c.multicastInterface()).isEqualTo("lo");
        assertThat(c.books()).hasSize(1);
        assertThat(c.credentials()).containsOnlyKeys(1L, 2L);
    }

    @Test
    void unicastStreamsNeedNoInterfaceAndSessionsReplaceTheDefaults() {
        VenueConfig c = VenueServerMain.parse(new String[] {"--md", "127.0.0.1:5000", "--exec", "127.0.0.1:5001",
                "--session", "9:secret", "--instruments", "3", "--orders-per-second", "50"});
        assertThat(c.multicastInterface()).isNull();
        assertThat(c.credentials()).containsOnlyKeys(9L);
        assertThat(c.books()).extracting(b -> b.instrumentId()).containsExactly(1, 2, 3);
        assertThat(c.ordersPerSecond()).isEqualTo(50);
        assertThat(c.floodRejects()).as("the flood limit follows the throttle").isEqualTo(50);
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> VenueServerMain.parse(new String[] {"--port", "70000"}))
                .hasMessageContaining("--port").hasMessageContaining("70000");
        assertThatThrownBy(() -> VenueServerMain.parse(new String[] {"--session", "nocolon"}))
                .hasMessageContaining("--session").hasMessageContaining("ID:TOKEN");
        assertThatThrownBy(() -> VenueServerMain.parse(new String[] {"--md", "239.1.1.1"}))
                .hasMessageContaining("--md").hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> VenueServerMain.parse(new String[] {"--speed", "1"})).hasMessageContaining("--speed");
        assertThatThrownBy(() -> VenueServerMain.parse(new String[] {"--packet-bytes", "70000"}))
                .hasMessageContaining("--packet-bytes").hasMessageContaining("65507");
        assertThat(VenueServerMain.parse(new String[] {"--packet-bytes", "65507"}).packetBytes()).isEqualTo(65_507);
        assertThat(VenueServerMain.parse(new String[0]).packetBytes()).isEqualTo(VenueProtocol.MAX_PACKET_SIZE);
        assertThatThrownBy(() -> VenueServerMain.parse(new String[] {"--session", "1:a-token-longer-than-16"}))
                .hasMessageContaining("session 1").hasMessageContaining("16");
    }
}
