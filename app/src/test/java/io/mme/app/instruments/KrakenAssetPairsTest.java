package io.mme.app.instruments;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KrakenAssetPairsTest {
    private final KrakenAssetPairs kraken = new KrakenAssetPairs();

    @Test
    void theRecordingKeepsEveryPairWithAWsnameAndSkipsTheDarkPoolPairs() {
        ParsedMetadata parsed = kraken.parse(RecordedMetadata.body(RecordedMetadata.KRAKEN));
        // 304 pairs; the 11 ".d" pairs (XXBTZUSD.d...) have no wsname, ordermin or fees_maker
        assertThat(parsed.instruments()).hasSize(293);
        assertThat(parsed.skipped()).hasSize(11).allSatisfy(s -> {
            assertThat(s.symbol()).endsWith(".d");
            assertThat(s.reason()).isEqualTo("no wsname: not on the WebSocket API");
        });
    }

    @Test
    void theWsnameIsTheSymbolAndTheDecimalsGiveTickAndLot() {
        ParsedMetadata parsed = kraken.parse(RecordedMetadata.body(RecordedMetadata.KRAKEN));
        Map<String, InstrumentSpec> specs = RecordedMetadata.bySymbol(parsed);
        // the 2021 recording has no tick_size and no costmin: tick is one unit of pair_decimals
        assertThat(specs.get("XBT/USD")).isEqualTo(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XXBT", "ZUSD",
                "0.1", "0.00000001", "0.0002", null, 1, 8));
        assertThat(specs.get("XMR/USD")).isEqualTo(new InstrumentSpec(Venue.KRAKEN, "XMR/USD", "XXMR", "ZUSD",
                "0.01", "0.00000001", "0.05", null, 2, 8));
        assertThat(specs.get("ADA/XBT")).isEqualTo(new InstrumentSpec(Venue.KRAKEN, "ADA/XBT", "ADA", "XXBT",
                "0.00000001", "0.00000001", "25", null, 8, 8));
        assertThat(specs.get("XBT/CHF")).isEqualTo(new InstrumentSpec(Venue.KRAKEN, "XBT/CHF", "XXBT", "CHF",
                "0.1", "0.00000001", "0.0002", null, 1, 8));
        assertThat(parsed.otherNames()).containsEntry("XBTUSD", "XBT/USD").containsEntry("XXBTZUSD", "XBT/USD");
    }

    @Test
    void everyKeptPairIsAcceptedByTheRegistryAndXbtResolvesToBtc() {
        InstrumentRegistry.Builder builder = InstrumentRegistry.builder();
        kraken.parse(RecordedMetadata.body(RecordedMetadata.KRAKEN)).instruments().forEach(builder::add);
        InstrumentRegistry registry = builder.build();
        assertThat(registry.size()).isEqualTo(293);
        Instrument xbt = registry.find(Venue.KRAKEN, "XBT/USD");
        assertThat(xbt.pair()).isEqualTo("BTC/USD");
        assertThat(xbt.priceDecimals()).isEqualTo(1);
        assertThat(xbt.minQuantityLots()).isEqualTo(20_000L);
        assertThat(xbt.appendPrice(xbt.priceTicks("56789.1"), new StringBuilder()).toString()).isEqualTo("56789.1");
    }

    @Test
    void tickSizeCostminAndStatusAreUsedWhenTheVenueGivesThem() {
        ParsedMetadata parsed = kraken.parse("""
                {"error":[],"result":{
                  "XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","base":"XXBT","quote":"ZUSD","pair_decimals":1,
                    "lot_decimals":8,"tick_size":"0.1","ordermin":"0.00005","costmin":"0.5","status":"online"},
                  "PAXGUSD":{"altname":"PAXGUSD","wsname":"PAXG/USD","base":"PAXG","quote":"ZUSD","pair_decimals":2,
                    "lot_decimals":8,"tick_size":"0.05","ordermin":"0.003","costmin":0.50,"status":"post_only"},
                  "OLDUSD":{"altname":"OLDUSD","wsname":"OLD/USD","base":"OLD","quote":"ZUSD","pair_decimals":4,
                    "lot_decimals":8,"status":"cancel_only"},
                  "ODDUSD":{"altname":"ODDUSD","wsname":"ODD/USD","base":"ODD","quote":"ZUSD","pair_decimals":"two",
                    "lot_decimals":8}}}
                """);
        assertThat(parsed.instruments()).containsExactly(
                new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XXBT", "ZUSD", "0.1", "0.00000001", "0.00005", "0.5", 1, 8),
                new InstrumentSpec(Venue.KRAKEN, "PAXG/USD", "PAXG", "ZUSD", "0.05", "0.00000001", "0.003", "0.5", 2, 8));
        assertThat(parsed.skipped()).containsExactly(
                new ParsedMetadata.Skipped("OLD/USD", "status cancel_only, not one of limit_only, online, post_only"),
                new ParsedMetadata.Skipped("ODD/USD", "pair_decimals \"two\" is not a whole number"));
    }

    @Test
    void anErrorAnswerIsNotMetadata() {
        assertThatThrownBy(() -> kraken.parse("{\"error\":[\"EQuery:Unknown asset pair\"]}"))
                .isInstanceOf(MetadataFormatException.class).hasMessageContaining("EQuery:Unknown asset pair");
        assertThatThrownBy(() -> kraken.parse("{\"error\":[]}"))
                .isInstanceOf(MetadataFormatException.class).hasMessageContaining("no result object");
    }
}
