package io.mme.app.instruments;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.net.URI;

/**
 * Coinbase Exchange {@code GET /products}: a JSON array of products with {@code id} (BTC-USD),
 * {@code base_currency}, {@code quote_currency}, {@code quote_increment}, {@code base_increment},
 * {@code base_min_size} (older responses only) and {@code min_market_funds}. On this API
 * {@code quote_increment} is the price increment, so it is the tick (Advanced Trade's products
 * carry a separate {@code price_increment}; that API is not this one). Minimum quantity is
 * {@code base_min_size} when given; minimum notional is {@code min_market_funds}. Kept: status
 * {@code online}, not {@code trading_disabled}, not {@code cancel_only}. Coinbase states no print
 * decimals, so those stay the tick's and lot's own scale. Stateless; any thread.
 */
public final class CoinbaseProducts implements InstrumentMetadata {
    private static final String WHAT = "Coinbase Exchange products";

    @Override
    public Venue venue() {
        return Venue.COINBASE;
    }

    @Override
    public URI defaultBaseUrl() {
        return URI.create("https://api.exchange.coinbase.com");
    }

    @Override
    public String path() {
        return "/products";
    }

    @Override
    public String symbolSpelling() {
        return "BTC-USD: the product id";
    }

    @Override
    public ParsedMetadata parse(String body) {
        JsonNode root = MetadataJson.read(body, WHAT);
        if (!root.isArray()) {
            String error = root.has("message")
                    ? "Coinbase answered an error: " + root.path("message")
                    : "not an array of products; the body starts: " + MetadataJson.preview(body);
            throw new MetadataFormatException(WHAT + ": " + error);
        }
        EntryCollector out = new EntryCollector(venue());
        int index = 0;
        for (JsonNode entry : root) {
            String name = entry.path("id").isTextual() ? entry.path("id").asText() : "[" + index + "]";
            index++;
            try {
                String id = MetadataJson.text(entry, "id");
                String status = MetadataJson.optionalText(entry, "status");
                if (status != null && !status.equals("online")) {
                    out.skip(id, "status " + status + ", not online");
                    continue;
                }
                if (entry.path("trading_disabled").asBoolean(false)) {
                    out.skip(id, "trading_disabled");
                    continue;
                }
                if (entry.path("cancel_only").asBoolean(false)) {
                    out.skip(id, "cancel_only");
                    continue;
                }
                out.add(new InstrumentSpec(venue(), id,
                        MetadataJson.text(entry, "base_currency"), MetadataJson.text(entry, "quote_currency"),
                        MetadataJson.positiveDecimal(entry, "quote_increment"),
                        MetadataJson.positiveDecimal(entry, "base_increment"),
                        MetadataJson.optionalNonZero(entry, "base_min_size"),
                        MetadataJson.optionalNonZero(entry, "min_market_funds"),
                        null, null));
            } catch (MetadataJson.UnusableEntry e) {
                out.skip(name, e.getMessage());
            }
        }
        return out.result();
    }
}
