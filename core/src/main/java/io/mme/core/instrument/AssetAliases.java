package io.mme.core.instrument;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Venue spellings of an asset mapped to one canonical name, so that Kraken's XBT/USD and Coinbase's
 * BTC-USD are the same pair to the consolidated book. Immutable after construction; any thread.
 */
public final class AssetAliases {
    /** Kraken's legacy X/Z-prefixed asset codes and its XBT/XDG spellings */
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("XBT", "BTC"),
            Map.entry("XXBT", "BTC"),
            Map.entry("XDG", "DOGE"),
            Map.entry("XXDG", "DOGE"),
            Map.entry("XETH", "ETH"),
            Map.entry("XETC", "ETC"),
            Map.entry("XLTC", "LTC"),
            Map.entry("XXRP", "XRP"),
            Map.entry("XXLM", "XLM"),
            Map.entry("XXMR", "XMR"),
            Map.entry("XZEC", "ZEC"),
            Map.entry("XMLN", "MLN"),
            Map.entry("XREP", "REP"),
            Map.entry("ZUSD", "USD"),
            Map.entry("ZEUR", "EUR"),
            Map.entry("ZGBP", "GBP"),
            Map.entry("ZCAD", "CAD"),
            Map.entry("ZJPY", "JPY"),
            Map.entry("ZAUD", "AUD"),
            Map.entry("ZCHF", "CHF"));

    private final Map<String, String> canonicalByAlias;

    private AssetAliases(Map<String, String> canonicalByAlias) {
        this.canonicalByAlias = Map.copyOf(canonicalByAlias);
    }

    /** The venues' well-known aliases (Kraken's XBT, XXBT, ZUSD and the like). */
    public static AssetAliases defaults() {
        return new AssetAliases(DEFAULTS);
    }

    /** The defaults plus {@code extra} (alias to canonical); an extra entry wins over a default. */
    public static AssetAliases defaultsWith(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        extra.forEach((alias, canonical) -> all.put(normalise(alias), normalise(canonical)));
        return new AssetAliases(all);
    }

    /** The canonical name of {@code asset}: upper case, alias resolved ("xbt" gives "BTC"). */
    public String canonical(String asset) {
        String upper = normalise(asset);
        return canonicalByAlias.getOrDefault(upper, upper);
    }

    private static String normalise(String asset) {
        if (asset == null || asset.isBlank()) {
            throw new IllegalArgumentException("asset name is empty");
        }
        return asset.trim().toUpperCase(Locale.ROOT);
    }
}
