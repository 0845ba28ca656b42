package io.mme.core.venue;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VenueHelpersTest {
    @Test
    void credentialsNeverPrintTheirSecretAndNameAMissingVariable() {
        Credentials c = Credentials.fromEnvironment(Map.of("K", "abcdefgh", "S", "topsecret"), "K", "S");
        assertThat(c.toString()).doesNotContain("topsecret").doesNotContain("efgh").contains("abcd****");
        assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of("K", "abcdefgh"), "K", "MME_X_SECRET"))
                .hasMessageContaining("MME_X_SECRET").hasMessageNotContaining("abcdefgh");
        assertThat(Credentials.fromEnvironment(Map.of("K", "k", "S", "line1\\nline2"), "K", "S").secret()).isEqualTo("line1\nline2");
    }

    @Test
    void theServerClockPlacesTheVenuesReadingAtTheRoundTripsMidpoint() {
        long[] local = {10_000};
        ServerClock clock = new ServerClock(() -> local[0]);
        clock.measured(12_050, 10_000, 10_100);
        assertThat(clock.offsetMillis()).isEqualTo(2_000);
        assertThat(clock.venueMillis()).isEqualTo(12_000);
        assertThat(clock.skewProblem(5_000, "binance")).isNull();
        assertThat(clock.skewProblem(1_000, "binance")).contains("binance clock differs from ours by 2000 ms").contains("NTP");
    }

    @Test
    void aTradeIdIsFirstSeenOnceWithinTheWindow() {
        TradeIdWindow w = new TradeIdWindow(2);
        assertThat(w.firstTime("a")).isTrue();
        assertThat(w.firstTime("a")).isFalse();
        w.firstTime("b");
        w.firstTime("c");
        assertThat(w.size()).isEqualTo(2);
        assertThat(w.firstTime("a")).isTrue();
    }

    @Test
    void venueModesAndPoliciesParseFromConfigWordsOrSayWhatIsAccepted() {
        assertThat(VenueMode.parse(" Live ")).isEqualTo(VenueMode.LIVE);
        assertThatThrownBy(() -> VenueMode.parse("prod")).hasMessageContaining("paper, testnet or live");
        assertThat(UnknownOrderPolicy.parse("adopt")).isEqualTo(UnknownOrderPolicy.ADOPT);
        assertThatThrownBy(() -> UnknownOrderPolicy.parse("keep")).hasMessageContaining("cancel, adopt or leave");
    }
}
