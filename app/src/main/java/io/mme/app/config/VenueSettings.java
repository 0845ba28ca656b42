package io.mme.app.config;

import io.mme.core.instrument.Venue;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueMode;

import java.net.URI;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The validated {@code venues} section and the execution settings that go with it. Immutable.
 *
 * @param setups        one per venue, every venue present
 * @param unknownOrders what reconciliation does with an order of ours the engine does not hold
 * @param clientIdTag   the configured client-id tag, or null for the run directory's own
 */
public record VenueSettings(Map<Venue, Setup> setups, UnknownOrderPolicy unknownOrders, String clientIdTag) {

    /**
     * One venue.
     *
     * @param restUrl  null: the mode's
     * @param streamUrl null: the mode's
     * @param feedUrl  null: the production feed
     * @param webSocketOrderEntry Binance: orders over the WebSocket API instead of REST
     */
    public record Setup(Venue venue, VenueMode mode, boolean feed, URI restUrl, URI streamUrl, URI feedUrl, URI feedRestUrl,
                        long recvWindowMillis, double rateLimitShare, Map<String, String> restPairs, boolean webSocketOrderEntry) {
        /** the outbound consumer (routing table entry) the venue's orders go to */
        public String route() {
            return mode == VenueMode.PAPER ? io.mme.execution.ExecutionConfig.PAPER : GATEWAYS;
        }

        /** the environment variables holding the key and the secret */
        public String keyVariable() {
            return "MME_" + venue.configName().toUpperCase(java.util.Locale.ROOT) + "_API_KEY";
        }

        public String secretVariable() {
            return "MME_" + venue.configName().toUpperCase(java.util.Locale.ROOT) + "_API_SECRET";
        }
    }

    /** the outbound consumer that hands orders to the live and testnet gateways */
    public static final String GATEWAYS = "gateways";

    public Setup of(Venue venue) {
        return setups.get(venue);
    }

    public boolean anyMode(VenueMode mode) {
        return setups.values().stream().anyMatch(s -> s.mode() == mode);
    }

    public boolean anyFeed() {
        return setups.values().stream().anyMatch(Setup::feed);
    }

    /** the log's first line: {@code venues: binance=paper, coinbase=live (feed), kraken=paper} */
    public String describeModes() {
        StringJoiner j = new StringJoiner(", ", "venues: ", "");
        for (Venue v : Venue.values()) {
            Setup s = setups.get(v);
            j.add(v.configName() + "=" + s.mode().configName() + (s.feed() ? " (live public feed)" : ""));
        }
        return j.toString();
    }
}
