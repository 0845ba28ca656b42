package io.mme.core.instrument;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstrumentRegistryTest {
    private static InstrumentSpec spec(Venue venue, String symbol, String base, String quote, String tick, String lot) {
        return new InstrumentSpec(venue, symbol, base, quote, tick, lot, null, null, null, null);
    }

    @Test
    void idsAreDenseInConfigOrderAndLookupsAgree() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(spec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001"))
                .add(spec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.00000001"))
                .add(spec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.00000001"))
                .build();
        assertThat(registry.size()).isEqualTo(3);
        for (int id = 0; id < 3; id++) {
            assertThat(registry.get(id).id()).isEqualTo(id);
        }
        assertThat(registry.find(Venue.KRAKEN, "XBT/USD").id()).isEqualTo(2);
        assertThat(registry.find(Venue.BINANCE, "XBT/USD")).isNull();
        assertThatThrownBy(() -> registry.get(3)).hasMessageContaining("instrument id 3");
    }

    @Test
    void venueAliasesResolveToOneCanonicalPair() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(spec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.00000001"))
                .add(spec(Venue.KRAKEN, "XBT/USD", "XBT", "ZUSD", "0.1", "0.00000001"))
                .build();
        Instrument kraken = registry.get(1);
        assertThat(kraken.base()).isEqualTo("BTC");
        assertThat(kraken.venueBase()).isEqualTo("XBT");
        assertThat(kraken.pair()).isEqualTo("BTC/USD");
        assertThat(registry.byPair("BTC/USD")).extracting(Instrument::venue).containsExactly(Venue.COINBASE, Venue.KRAKEN);
    }

    @Test
    void pricesAndQuantitiesConvertOnTheInstrumentsGrids() {
        Instrument btc = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", "0.00010", "5", 8, 8))
                .build().get(0);
        assertThat(btc.priceTicks("64000.25")).isEqualTo(6_400_025);
        assertThat(btc.quantityLots("0.0015")).isEqualTo(150);
        assertThat(btc.minQuantityLots()).isEqualTo(10);
        assertThat(btc.appendPrice(6_400_025, new StringBuilder()).toString()).isEqualTo("64000.25000000");
        assertThat(btc.appendQuantity(150, new StringBuilder()).toString()).isEqualTo("0.00150000");
        assertThatThrownBy(() -> btc.priceTicks("64000.255"))
                .hasMessageContaining("BINANCE BTCUSDT price")
                .hasMessageContaining("64000.255");
    }

    @Test
    void minNotionalIsCheckedInIntegers() {
        Instrument btc = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, "5", null, null))
                .build().get(0);
        // 50000.00 × 0.00010 = 5.00: exactly the minimum
        assertThat(btc.meetsMinNotional(5_000_000, 10)).isTrue();
        assertThat(btc.meetsMinNotional(5_000_000, 9)).isFalse();
        assertThat(btc.meetsMinNotional(Long.MAX_VALUE, Long.MAX_VALUE)).isTrue();
        assertThat(btc.meetsMinNotional(0, 10)).isFalse();
    }

    @Test
    void badSpecsNameTheFieldAndValue() {
        assertThatThrownBy(() -> InstrumentRegistry.builder().add(spec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.0x", "1")))
                .isInstanceOfSatisfying(InstrumentConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("tickSize");
                    assertThat(e.value()).isEqualTo("0.0x");
                    assertThat(e.getMessage()).contains("BINANCE BTCUSDT");
                });
        assertThatThrownBy(() -> InstrumentRegistry.builder().add(spec(Venue.BINANCE, " ", "BTC", "USDT", "0.01", "1")))
                .isInstanceOfSatisfying(InstrumentConfigException.class, e -> assertThat(e.field()).isEqualTo("venueSymbol"));
        assertThatThrownBy(() -> InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.001", "0.0005", null, null, null)))
                .isInstanceOfSatisfying(InstrumentConfigException.class, e -> assertThat(e.field()).isEqualTo("minQuantity"));
        assertThatThrownBy(() -> InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.001", null, null, 1, null)))
                .isInstanceOfSatisfying(InstrumentConfigException.class, e -> assertThat(e.field()).isEqualTo("priceDecimals"));
        InstrumentRegistry.Builder twice = InstrumentRegistry.builder().add(spec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.1"));
        assertThatThrownBy(() -> twice.add(spec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.1")))
                .hasMessageContaining("configured twice");
    }

    @Test
    void venueNamesParseCaseInsensitivelyAndUnknownOnesAreListed() {
        assertThat(Venue.parse(" Kraken ")).isEqualTo(Venue.KRAKEN);
        assertThatThrownBy(() -> Venue.parse("bitmex")).hasMessageContaining("'bitmex'").hasMessageContaining("binance, coinbase, kraken");
    }
}
