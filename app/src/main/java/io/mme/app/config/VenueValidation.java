package io.mme.app.config;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.venue.ClientIdCodec;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueMode;

import java.net.URI;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validates the {@code venues} section (and execution's unknown-order policy and client-id tag)
 * into {@link VenueSettings}, reporting each error with its key. Stateless; the loader's thread.
 */
final class VenueValidation {
    private VenueValidation() {
    }

    static VenueSettings validate(MmeConfig config, InstrumentRegistry registry, boolean simulation, TradingValidation.ErrorSink err) {
        Map<String, MmeConfig.VenueConfig> given = config.venues() == null ? Map.of() : config.venues();
        Map<Venue, VenueSettings.Setup> setups = new EnumMap<>(Venue.class);
        for (String name : given.keySet()) {
            try {
                Venue.parse(name);
            } catch (IllegalArgumentException e) {
                err.add("venues." + name, name, "a venue: binance, coinbase, kraken or hyperliquid");
            }
        }
        for (Venue venue : Venue.values()) {
            String key = "venues." + venue.configName();
            MmeConfig.VenueConfig v = given.get(venue.configName());
            if (v == null) {
                v = new MmeConfig.VenueConfig("paper", false, null, null, null, null, null, null, null, null);
            }
            VenueMode mode = VenueMode.PAPER;
            try {
                mode = VenueMode.parse(v.mode() == null ? "paper" : v.mode());
            } catch (IllegalArgumentException e) {
                err.add(key + ".mode", v.mode(), "paper, testnet or live");
            }
            if (mode != VenueMode.PAPER && !venue.hasOrderEntry()) {
                err.add(key + ".mode", v.mode(), "paper: " + venue.configName() + " is market data only here (feed: true for its books and trades)");
            }
            if (mode == VenueMode.TESTNET && venue == Venue.KRAKEN) {
                err.add(key + ".mode", v.mode(), "paper or live: Kraken has no spot test environment (its beta URLs trade on the production engine)");
            }
            boolean feed = Boolean.TRUE.equals(v.feed());
            if (feed && simulation) {
                err.add(key + ".feed", "true", "false while simulation.enabled is true: simulated order flow and a live book cannot share an instrument");
            }
            if (mode != VenueMode.PAPER && registry.ofVenue(venue).isEmpty()) {
                err.add(key + ".mode", v.mode(), "paper, or instruments of " + venue.configName() + " to trade");
            }
            long recvWindow = v.recvWindowMillis() == null ? 5_000 : v.recvWindowMillis();
            if (recvWindow < 1 || recvWindow > 60_000) {
                err.add(key + ".recvWindowMillis", String.valueOf(recvWindow), "1 to 60000 milliseconds (Binance's maximum)");
            }
            double share = v.rateLimitShare() == null ? 0.8 : v.rateLimitShare();
            if (!(share > 0 && share <= 1)) {
                err.add(key + ".rateLimitShare", String.valueOf(share), "a share of the venue's limits in (0, 1], e.g. 0.8");
            }
            Map<String, String> restPairs = v.restPairs() == null ? Map.of() : new LinkedHashMap<>(v.restPairs());
            for (String symbol : restPairs.keySet()) {
                if (registry.find(venue, symbol) == null) {
                    err.add(key + ".restPairs." + symbol, symbol, "a symbol of an instrument of " + venue.configName());
                }
            }
            String orderEntry = v.orderEntry() == null ? "rest" : v.orderEntry().trim().toLowerCase(java.util.Locale.ROOT);
            if (!orderEntry.equals("rest") && !(orderEntry.equals("websocket") && venue == Venue.BINANCE)) {
                err.add(key + ".orderEntry", v.orderEntry(), venue == Venue.BINANCE ? "rest or websocket"
                        : "rest (only Binance's order entry has a WebSocket transport here)");
            }
            setups.put(venue, new VenueSettings.Setup(venue, mode, feed, uri(v.restUrl(), key + ".restUrl", err),
                    uri(v.streamUrl(), key + ".streamUrl", err), uri(v.feedUrl(), key + ".feedUrl", err),
                    uri(v.feedRestUrl(), key + ".feedRestUrl", err), recvWindow, share, Map.copyOf(restPairs),
                    orderEntry.equals("websocket")));
        }
        MmeConfig.ExecutionSection ex = config.execution() == null ? MmeConfig.defaults().execution() : config.execution();
        UnknownOrderPolicy policy = UnknownOrderPolicy.CANCEL;
        try {
            policy = UnknownOrderPolicy.parse(ex.unknownOrders() == null ? "cancel" : ex.unknownOrders());
        } catch (IllegalArgumentException e) {
            err.add("execution.unknownOrders", ex.unknownOrders(), "cancel, adopt or leave");
        }
        String tag = ex.clientIdTag();
        if (tag != null) {
            try {
                new ClientIdCodec(tag);
            } catch (IllegalArgumentException e) {
                err.add("execution.clientIdTag", tag, "1 to " + ClientIdCodec.MAX_TAG + " characters of a-z and 0-9");
            }
        }
        return new VenueSettings(setups, policy, tag);
    }

    private static URI uri(String text, String key, TradingValidation.ErrorSink err) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null
                    || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("ws") || scheme.equals("wss"))) {
                err.add(key, text, "an absolute http(s):// or ws(s):// address");
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            err.add(key, text, "an address (" + e.getReason() + ")");
            return null;
        }
    }
}
