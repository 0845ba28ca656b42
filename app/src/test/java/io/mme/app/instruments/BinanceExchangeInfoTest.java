package io.mme.app.instruments;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinanceExchangeInfoTest {
    private final BinanceExchangeInfo binance = new BinanceExchangeInfo();

    @Test
    void theRecordingKeepsTheTradingSpotSymbolsAndCountsTheOthersByReason() {
        ParsedMetadata parsed = binance.parse(RecordedMetadata.body(RecordedMetadata.BINANCE));
        // 1695 symbols: 433 in status BREAK, 40 leveraged tokens (BTCUPUSDT...) not allowed for spot
        assertThat(parsed.instruments()).hasSize(1222);
        assertThat(parsed.skipped()).hasSize(473);
        assertThat(parsed.skippedByReason()).containsExactly(
                Map.entry("status BREAK, not TRADING", 433),
                Map.entry("isSpotTradingAllowed is false (permissions [\"LEVERAGED\"])", 40));
        assertThat(parsed.skipped()).contains(new ParsedMetadata.Skipped("BTCUPUSDT",
                "isSpotTradingAllowed is false (permissions [\"LEVERAGED\"])"));
    }

    @Test
    void tickLotAndMinimumsComeFromTheFiltersWithoutTrailingZeros() {
        Map<String, InstrumentSpec> specs = RecordedMetadata.bySymbol(binance.parse(RecordedMetadata.body(RecordedMetadata.BINANCE)));
        // PRICE_FILTER tickSize "0.01000000", LOT_SIZE stepSize/minQty "0.00001000", MIN_NOTIONAL "10.00000000"
        assertThat(specs.get("BTCUSDT")).isEqualTo(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT",
                "0.01", "0.00001", "0.00001", "10", null, null));
        assertThat(specs.get("ETHBTC")).isEqualTo(new InstrumentSpec(Venue.BINANCE, "ETHBTC", "ETH", "BTC",
                "0.000001", "0.0001", "0.0001", "0.0001", null, null));
        assertThat(specs.get("NKNUSDT")).isEqualTo(new InstrumentSpec(Venue.BINANCE, "NKNUSDT", "NKN", "USDT",
                "0.0001", "1", "1", "10", null, null));
        assertThat(specs.get("BLZETH")).isEqualTo(new InstrumentSpec(Venue.BINANCE, "BLZETH", "BLZ", "ETH",
                "0.00000001", "1", "1", "0.005", null, null));
    }

    @Test
    void everyKeptSymbolIsAcceptedByTheRegistryOnItsGrid() {
        ParsedMetadata parsed = binance.parse(RecordedMetadata.body(RecordedMetadata.BINANCE));
        InstrumentRegistry.Builder builder = InstrumentRegistry.builder();
        parsed.instruments().forEach(builder::add);
        InstrumentRegistry registry = builder.build();
        assertThat(registry.size()).isEqualTo(1222);
        Instrument btc = registry.find(Venue.BINANCE, "BTCUSDT");
        assertThat(btc.pair()).isEqualTo("BTC/USDT");
        assertThat(btc.priceTicks("64000.01000000")).isEqualTo(6_400_001L);
        assertThat(btc.quantityLots("0.00123000")).isEqualTo(123L);
        assertThat(btc.meetsMinNotional(btc.priceTicks("10000"), btc.quantityLots("0.001"))).isTrue();
        assertThat(btc.meetsMinNotional(btc.priceTicks("9999.99"), btc.quantityLots("0.001"))).isFalse();
    }

    @Test
    void theNewNotionalFilterWinsAndAZeroMinimumIsNoMinimum() {
        ParsedMetadata parsed = binance.parse("""
                {"symbols":[
                  {"symbol":"AAABBB","status":"TRADING","baseAsset":"AAA","quoteAsset":"BBB","filters":[
                    {"filterType":"PRICE_FILTER","minPrice":"0","maxPrice":"0","tickSize":"0.50"},
                    {"filterType":"LOT_SIZE","minQty":"0.00000000","maxQty":"9000","stepSize":"0.001"},
                    {"filterType":"MIN_NOTIONAL","minNotional":"1.00"},
                    {"filterType":"NOTIONAL","minNotional":"5.00000000","maxNotional":"9000000"}]},
                  {"symbol":"CCCDDD","status":"TRADING","baseAsset":"CCC","quoteAsset":"DDD","filters":[
                    {"filterType":"PRICE_FILTER","tickSize":"0.01"},
                    {"filterType":"LOT_SIZE","minQty":"1","stepSize":"1"},
                    {"filterType":"NOTIONAL","minNotional":"0.00000000"}]}]}
                """);
        assertThat(parsed.instruments()).containsExactly(
                new InstrumentSpec(Venue.BINANCE, "AAABBB", "AAA", "BBB", "0.5", "0.001", null, "5", null, null),
                new InstrumentSpec(Venue.BINANCE, "CCCDDD", "CCC", "DDD", "0.01", "1", "1", null, null, null));
    }

    @Test
    void aSymbolWithAnUnusableFilterIsSkippedAndTheRestStillParse() {
        ParsedMetadata parsed = binance.parse("""
                {"symbols":[
                  {"symbol":"ZEROTICK","status":"TRADING","baseAsset":"Z","quoteAsset":"T","filters":[
                    {"filterType":"PRICE_FILTER","tickSize":"0.00000000"},{"filterType":"LOT_SIZE","minQty":"1","stepSize":"1"}]},
                  {"symbol":"NOLOT","status":"TRADING","baseAsset":"N","quoteAsset":"L","filters":[
                    {"filterType":"PRICE_FILTER","tickSize":"0.1"}]},
                  {"symbol":"BADSTEP","status":"TRADING","baseAsset":"B","quoteAsset":"S","filters":[
                    {"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"LOT_SIZE","minQty":"1","stepSize":"one"}]},
                  {"symbol":"OFFGRIDMIN","status":"TRADING","baseAsset":"O","quoteAsset":"G","filters":[
                    {"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"LOT_SIZE","minQty":"0.5","stepSize":"1"}]},
                  {"status":"TRADING"},
                  {"symbol":"GOODONE","status":"TRADING","baseAsset":"G","quoteAsset":"O","filters":[
                    {"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"LOT_SIZE","minQty":"1","stepSize":"1"}]}]}
                """);
        assertThat(parsed.instruments()).extracting(InstrumentSpec::venueSymbol).containsExactly("GOODONE");
        assertThat(parsed.skipped()).extracting(ParsedMetadata.Skipped::symbol)
                .containsExactly("ZEROTICK", "NOLOT", "BADSTEP", "OFFGRIDMIN", "symbols[4]");
        assertThat(parsed.skipped().get(0).reason()).isEqualTo("tickSize is zero");
        assertThat(parsed.skipped().get(1).reason()).isEqualTo("no LOT_SIZE filter");
        assertThat(parsed.skipped().get(2).reason()).isEqualTo("stepSize \"one\" is not a decimal");
        assertThat(parsed.skipped().get(3).reason()).startsWith("rejected by the instrument registry: minQuantity")
                .contains("off the grid");
        assertThat(parsed.skipped().get(4).reason()).isEqualTo("no symbol");
    }

    @Test
    void anErrorAnswerIsNotMetadata() {
        assertThatThrownBy(() -> binance.parse("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("code -1121").hasMessageContaining("Invalid symbol.");
        assertThatThrownBy(() -> binance.parse("<html>busy</html>"))
                .isInstanceOf(MetadataFormatException.class).hasMessageContaining("not JSON");
    }
}
