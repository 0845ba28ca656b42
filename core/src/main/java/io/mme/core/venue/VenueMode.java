package io.mme.core.venue;

import java.util.Locale;

/** Where a venue's orders go. */
public enum VenueMode {
    /** our own matching engine (the paper venue); no keys, nothing leaves the process */
    PAPER,
    /** the venue's test environment (Binance spot testnet; Coinbase's static REST sandbox) */
    TESTNET,
    /** real money: needs keys from the environment and the explicit {@code --live} flag */
    LIVE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** parses a config value; the message names the accepted values */
    public static VenueMode parse(String text) {
        for (VenueMode m : values()) {
            if (m.configName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown venue mode '" + text + "' (expected paper, testnet or live)");
    }
}
