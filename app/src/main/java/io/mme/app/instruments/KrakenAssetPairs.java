package io.mme.app.instruments;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Kraken spot {@code GET /0/public/AssetPairs}: {@code {"error":[],"result":{KEY:{...}}}}. The
 * instrument's symbol is the pair's {@code wsname} (XBT/USD), the WebSocket's spelling; base and
 * quote are the pair's {@code base}/{@code quote} asset codes as Kraken spells them (XXBT, ZUSD),
 * which {@link io.mme.core.instrument.AssetAliases} resolves. Tick is {@code tick_size} when given,
 * else one unit of {@code pair_decimals}; lot is one unit of {@code lot_decimals}; minimum quantity
 * {@code ordermin}, minimum notional {@code costmin}; print decimals are {@code pair_decimals} and
 * {@code lot_decimals}. Pairs without a {@code wsname} (the ".d" dark-pool pairs) are skipped, and
 * so is a {@code status} other than online, limit_only or post_only (older responses have no
 * status: every listed pair trades). Stateless; any thread.
 */
public final class KrakenAssetPairs implements InstrumentMetadata {
    private static final String WHAT = "Kraken AssetPairs";
    /** statuses under which a limit order can rest */
    private static final Set<String> TRADABLE = Set.of("online", "limit_only", "post_only");

    @Override
    public Venue venue() {
        return Venue.KRAKEN;
    }

    @Override
    public URI defaultBaseUrl() {
        return URI.create("https://api.kraken.com");
    }

    @Override
    public String path() {
        return "/0/public/AssetPairs";
    }

    @Override
    public String symbolSpelling() {
        return "XBT/USD: AssetPairs' wsname, the WebSocket v1 spelling (v2 spells it BTC/USD)";
    }

    @Override
    public ParsedMetadata parse(String body) {
        JsonNode root = MetadataJson.read(body, WHAT);
        JsonNode errors = root.path("error");
        if (errors.isArray() && !errors.isEmpty()) {
            throw new MetadataFormatException(WHAT + ": Kraken answered an error: " + errors);
        }
        JsonNode result = root.path("result");
        if (!result.isObject()) {
            throw new MetadataFormatException(WHAT + ": no result object; the body starts: " + MetadataJson.preview(body));
        }
        EntryCollector out = new EntryCollector(venue());
        for (Map.Entry<String, JsonNode> pair : result.properties()) {
            String key = pair.getKey();
            JsonNode entry = pair.getValue();
            String wsname = MetadataJson.optionalText(entry, "wsname");
            if (wsname == null) {
                out.skip(key, "no wsname: not on the WebSocket API");
                continue;
            }
            out.otherName(key, wsname);
            out.otherName(MetadataJson.optionalText(entry, "altname"), wsname);
            try {
                String status = MetadataJson.optionalText(entry, "status");
                if (status != null && !TRADABLE.contains(status)) {
                    out.skip(wsname, "status " + status + ", not one of " + String.join(", ", TRADABLE.stream().sorted().toList()));
                    continue;
                }
                int priceDecimals = MetadataJson.decimalPlaces(entry, "pair_decimals");
                int sizeDecimals = MetadataJson.decimalPlaces(entry, "lot_decimals");
                String tick = MetadataJson.optionalNonZero(entry, "tick_size");
                out.add(new InstrumentSpec(venue(), wsname,
                        MetadataJson.text(entry, "base"), MetadataJson.text(entry, "quote"),
                        tick != null ? tick : MetadataJson.stepOfPlaces(priceDecimals),
                        MetadataJson.stepOfPlaces(sizeDecimals),
                        MetadataJson.optionalNonZero(entry, "ordermin"),
                        MetadataJson.optionalNonZero(entry, "costmin"),
                        priceDecimals, sizeDecimals));
            } catch (MetadataJson.UnusableEntry e) {
                out.skip(wsname, e.getMessage());
            }
        }
        return out.result();
    }
}
