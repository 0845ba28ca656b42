package io.mme.app.instruments;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoinbaseProductsTest {
    private final CoinbaseProducts coinbase = new CoinbaseProducts();

    @Test
    void theRecordingKeepsEveryOnlineProductIncludingTheLimitOnlyOnes() {
        ParsedMetadata parsed = coinbase.parse(RecordedMetadata.body(RecordedMetadata.COINBASE));
        // 162 products, all online and not trading_disabled; 8 of them limit_only, which a maker can still quote
        assertThat(parsed.instruments()).hasSize(162);
        assertThat(parsed.skipped()).isEmpty();
    }

    @Test
    void quoteIncrementIsTheTickAndTheMinimumsAreNormalised() {
        Map<String, InstrumentSpec> specs = RecordedMetadata.bySymbol(coinbase.parse(RecordedMetadata.body(RecordedMetadata.COINBASE)));
        assertThat(specs.get("BTC-USD")).isEqualTo(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD",
                "0.01", "0.00000001", "0.0001", "5", null, null));
        // min_market_funds "5.0" is written 5
        assertThat(specs.get("SKL-USD")).isEqualTo(new InstrumentSpec(Venue.COINBASE, "SKL-USD", "SKL", "USD",
                "0.0001", "0.1", "5", "5", null, null));
        assertThat(specs.get("DASH-BTC")).isEqualTo(new InstrumentSpec(Venue.COINBASE, "DASH-BTC", "DASH", "BTC",
                "0.00000001", "0.001", "0.01", "0.0001", null, null));
        assertThat(specs.get("NU-GBP")).isEqualTo(new InstrumentSpec(Venue.COINBASE, "NU-GBP", "NU", "GBP",
                "0.0001", "0.000001", "10", "1", null, null));
    }

    @Test
    void everyKeptProductIsAcceptedByTheRegistry() {
        InstrumentRegistry.Builder builder = InstrumentRegistry.builder();
        coinbase.parse(RecordedMetadata.body(RecordedMetadata.COINBASE)).instruments().forEach(builder::add);
        InstrumentRegistry registry = builder.build();
        assertThat(registry.size()).isEqualTo(162);
        Instrument btc = registry.find(Venue.COINBASE, "BTC-USD");
        assertThat(btc.pair()).isEqualTo("BTC/USD");
        assertThat(btc.minQuantityLots()).isEqualTo(10_000L);
    }

    @Test
    void disabledCancelOnlyAndDelistedProductsAreSkippedWithTheirReason() {
        ParsedMetadata parsed = coinbase.parse("""
                [{"id":"A-USD","base_currency":"A","quote_currency":"USD","quote_increment":"0.01","base_increment":"1",
                  "status":"online","trading_disabled":true},
                 {"id":"B-USD","base_currency":"B","quote_currency":"USD","quote_increment":"0.01","base_increment":"1",
                  "status":"online","cancel_only":true},
                 {"id":"C-USD","base_currency":"C","quote_currency":"USD","quote_increment":"0.01","base_increment":"1",
                  "status":"delisted"},
                 {"id":"D-USD","base_currency":"D","quote_currency":"USD","quote_increment":"0.01",
                  "status":"online"},
                 {"id":"E-USD","base_currency":"E","quote_currency":"USD","quote_increment":"0.01","base_increment":"0.001",
                  "min_market_funds":"1","status":"online","post_only":true}]
                """);
        assertThat(parsed.instruments()).containsExactly(
                new InstrumentSpec(Venue.COINBASE, "E-USD", "E", "USD", "0.01", "0.001", null, "1", null, null));
        assertThat(parsed.skipped()).containsExactly(
                new ParsedMetadata.Skipped("A-USD", "trading_disabled"),
                new ParsedMetadata.Skipped("B-USD", "cancel_only"),
                new ParsedMetadata.Skipped("C-USD", "status delisted, not online"),
                new ParsedMetadata.Skipped("D-USD", "no base_increment"));
    }

    @Test
    void anErrorAnswerIsNotMetadata() {
        assertThatThrownBy(() -> coinbase.parse("{\"message\":\"NotFound\"}"))
                .isInstanceOf(MetadataFormatException.class).hasMessageContaining("Coinbase answered an error").hasMessageContaining("NotFound");
    }
}
