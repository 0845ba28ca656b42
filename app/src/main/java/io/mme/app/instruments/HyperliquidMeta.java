package io.mme.app.instruments;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.connectors.hyperliquid.HyperliquidTicks;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.net.URI;

/**
 * Hyperliquid perpetuals: the {@code meta} answer of {@code POST /info} with {@code {"type":"meta"}}:
 * {@code {"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":50,...}],...}} (the
 * {@code metaAndAssetCtxs} answer, {@code [meta, [ctx...]]}, is read too). The symbol is the coin's
 * {@code name}, as the WebSocket subscriptions spell it; base is the coin, quote USD (perpetuals are
 * priced in USD and margined in USDC). Lot is {@code 10^-szDecimals}; tick is
 * {@code 10^-(6 - szDecimals)}, the decimal bound of the venue's price rule, and the
 * five-significant-figure part of the rule is applied on top of that grid where a price is made
 * ({@link HyperliquidTicks} says why a fixed tick cannot hold it). Print decimals are the tick's
 * and szDecimals. Delisted coins ({@code isDelisted: true}) are skipped. No minimum quantity; the
 * venue's minimum order value is 10 USD. Stateless; any thread.
 */
public final class HyperliquidMeta implements InstrumentMetadata {
    private static final String WHAT = "Hyperliquid meta";
    /** the venue's minimum order value in USD */
    static final String MIN_NOTIONAL = "10";

    @Override
    public Venue venue() {
        return Venue.HYPERLIQUID;
    }

    @Override
    public URI defaultBaseUrl() {
        return URI.create("https://api.hyperliquid.xyz");
    }

    @Override
    public String path() {
        return "/info";
    }

    @Override
    public String requestBody() {
        return "{\"type\":\"meta\"}";
    }

    @Override
    public String symbolSpelling() {
        return "BTC: the meta universe's coin name, as the WebSocket subscriptions spell it";
    }

    @Override
    public ParsedMetadata parse(String body) {
        JsonNode root = MetadataJson.read(body, WHAT);
        if (root.isArray() && !root.isEmpty()) {
            root = root.get(0); // metaAndAssetCtxs: [meta, contexts]
        }
        JsonNode universe = root.path("universe");
        if (!universe.isArray()) {
            throw new MetadataFormatException(WHAT + ": no universe array; the body starts: " + MetadataJson.preview(body));
        }
        EntryCollector out = new EntryCollector(venue());
        for (JsonNode entry : universe) {
            String name = MetadataJson.optionalText(entry, "name");
            if (name == null) {
                out.skip("(unnamed)", "no name");
                continue;
            }
            try {
                if (entry.path("isDelisted").asBoolean(false)) {
                    out.skip(name, "delisted");
                    continue;
                }
                int szDecimals = MetadataJson.decimalPlaces(entry, "szDecimals");
                int priceDecimals = HyperliquidTicks.priceDecimals(szDecimals, true);
                out.add(new InstrumentSpec(venue(), name, name, "USD", HyperliquidTicks.tickSize(szDecimals, true),
                        HyperliquidTicks.lotSize(szDecimals), null, MIN_NOTIONAL, priceDecimals, szDecimals));
            } catch (MetadataJson.UnusableEntry e) {
                out.skip(name, e.getMessage());
            }
        }
        return out.result();
    }
}
