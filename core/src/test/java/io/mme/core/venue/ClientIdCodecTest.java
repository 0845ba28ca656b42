package io.mme.core.venue;

import io.mme.core.ring.ClientOrderIds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientIdCodecTest {
    private final ClientIdCodec ids = new ClientIdCodec("k3f9");

    @Test
    void everyEngineIdRoundTripsWithinEighteenCharactersOfTheSafeSet() {
        for (long id : new long[]{1, 16, ClientOrderIds.of(123_456_789, 15), Long.MAX_VALUE}) {
            String text = ids.encode(id);
            assertThat(text).hasSizeLessThanOrEqualTo(18).matches("[a-z0-9-]+");
            assertThat(ids.decode(text)).isEqualTo(id);
        }
    }

    @Test
    void idsOfAnotherTagForeignOnesAndMalformedOnesAreNotOurs() {
        String other = new ClientIdCodec("k3f").encode(42);
        assertThat(ids.decode(other)).isEqualTo(-1);
        assertThat(new ClientIdCodec("k3f").decode(ids.encode(42))).isEqualTo(-1);
        assertThat(ids.decode("web-12345")).isEqualTo(-1);
        assertThat(ids.decode("k3f9-")).isEqualTo(-1);
        assertThat(ids.decode("k3f9-ZZ")).isEqualTo(-1);
        assertThat(ids.decode("k3f9-1_2")).isEqualTo(-1);
        assertThat(ids.decode("k3f9-zzzzzzzzzzzzzz")).isEqualTo(-1);
        assertThat(ids.decode(null)).isEqualTo(-1);
    }

    @Test
    void aTagOutsideTheRulesIsRefusedNamingThem() {
        assertThatThrownBy(() -> new ClientIdCodec("TOOLONG")).hasMessageContaining("1 to 4 characters");
        assertThatThrownBy(() -> new ClientIdCodec("A_b")).hasMessageContaining("a-z and 0-9");
    }

    @Test
    void decimalVenueIdsStayNumbersOthersHashStably() {
        assertThat(ClientIdCodec.venueOrderKey("48812345671")).isEqualTo(48812345671L);
        long k = ClientIdCodec.venueOrderKey("OQCLML-BW3P3-BUCMWZ");
        assertThat(k).isPositive().isEqualTo(ClientIdCodec.venueOrderKey("OQCLML-BW3P3-BUCMWZ"));
        assertThat(k).isNotEqualTo(ClientIdCodec.venueOrderKey("OQCLML-BW3P3-BUCMWY"));
    }
}
