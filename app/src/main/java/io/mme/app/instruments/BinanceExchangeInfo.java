package io.mme.app.instruments;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.net.URI;

/**
 * Binance spot {@code GET /api/v3/exchangeInfo}: {@code symbols[]} with {@code status},
 * {@code baseAsset}, {@code quoteAsset} and {@code filters[]}. Tick from PRICE_FILTER
 * {@code tickSize}, lot and minimum quantity from LOT_SIZE {@code stepSize}/{@code minQty}, minimum
 * notional from NOTIONAL (or the legacy MIN_NOTIONAL) {@code minNotional}; a zero disables a rule.
 * Only {@code TRADING} symbols are kept. Binance does not state print decimals per symbol (its
 * {@code baseAssetPrecision} is the asset's), so those stay unset: the tick's and lot's own scale.
 * Stateless; any thread.
 */
public final class BinanceExchangeInfo implements InstrumentMetadata {
    private static final String WHAT = "Binance exchangeInfo";

    @Override
    public Venue venue() {
        return Venue.BINANCE;
    }

    @Override
    public URI defaultBaseUrl() {
        return URI.create("https://api.binance.com");
    }

    @Override
    public String path() {
        return "/api/v3/exchangeInfo";
    }

    @Override
    public String symbolSpelling() {
        return "BTCUSDT: exchangeInfo's symbol";
    }

    @Override
    public ParsedMetadata parse(String body) {
        JsonNode root = MetadataJson.read(body, WHAT);
        JsonNode symbols = root.path("symbols");
        if (!symbols.isArray()) {
            String error = root.has("code") || root.has("msg")
                    ? "Binance answered an error: code " + root.path("code") + ", msg " + root.path("msg")
                    : "no symbols array; the body starts: " + MetadataJson.preview(body);
            throw new MetadataFormatException(WHAT + ": " + error);
        }
        EntryCollector out = new EntryCollector(venue());
        int index = 0;
        for (JsonNode entry : symbols) {
            String name = entry.path("symbol").isTextual() ? entry.path("symbol").asText() : "symbols[" + index + "]";
            index++;
            try {
                String symbol = MetadataJson.text(entry, "symbol");
                String status = MetadataJson.text(entry, "status");
                if (!status.equals("TRADING")) {
                    out.skip(symbol, "status " + status + ", not TRADING");
                    continue;
                }
                if (entry.path("isSpotTradingAllowed").isBoolean() && !entry.path("isSpotTradingAllowed").booleanValue()) {
                    out.skip(symbol, "isSpotTradingAllowed is false (permissions " + entry.path("permissions") + ")");
                    continue;
                }
                JsonNode price = filter(entry, "PRICE_FILTER");
                JsonNode lot = filter(entry, "LOT_SIZE");
                if (price == null || lot == null) {
                    out.skip(symbol, "no " + (price == null ? "PRICE_FILTER" : "LOT_SIZE") + " filter");
                    continue;
                }
                JsonNode notional = filter(entry, "NOTIONAL");
                if (notional == null) {
                    notional = filter(entry, "MIN_NOTIONAL");
                }
                out.add(new InstrumentSpec(venue(), symbol,
                        MetadataJson.text(entry, "baseAsset"), MetadataJson.text(entry, "quoteAsset"),
                        MetadataJson.positiveDecimal(price, "tickSize"), MetadataJson.positiveDecimal(lot, "stepSize"),
                        MetadataJson.optionalNonZero(lot, "minQty"),
                        notional == null ? null : MetadataJson.optionalNonZero(notional, "minNotional"),
                        null, null));
            } catch (MetadataJson.UnusableEntry e) {
                out.skip(name, e.getMessage());
            }
        }
        return out.result();
    }

    /** the symbol's filter of that type, or null */
    private static JsonNode filter(JsonNode entry, String type) {
        for (JsonNode f : entry.path("filters")) {
            if (type.equals(f.path("filterType").asText())) {
                return f;
            }
        }
        return null;
    }
}
