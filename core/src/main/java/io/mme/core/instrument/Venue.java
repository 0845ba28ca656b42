package io.mme.core.instrument;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The venues the engine knows. {@link #id()} is the dense int used on the hot path (ring events
 * carry it instead of the enum so that a slot stays primitive). Every venue has public market data;
 * {@link #HYPERLIQUID} has nothing else here (no order entry: see {@link #hasOrderEntry()}), so it
 * feeds books, trades and the consolidated fair value but is never quoted on.
 */
public enum Venue {
    BINANCE,
    COINBASE,
    KRAKEN,
    /** Hyperliquid perpetuals: public market data only */
    HYPERLIQUID;

    private static final Venue[] BY_ID = values();

    public int id() {
        return ordinal();
    }

    public static Venue ofId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("venue id " + id + " is not one of 0.." + (BY_ID.length - 1));
        }
        return BY_ID[id];
    }

    /** Case-insensitive lookup for config and CLI; the error lists the known venues. */
    public static Venue parse(String text) {
        if (text != null) {
            String upper = text.trim().toUpperCase(Locale.ROOT);
            for (Venue v : BY_ID) {
                if (v.name().equals(upper)) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("venue '" + text + "' is not one of "
                + Arrays.stream(BY_ID).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /** whether the engine can send orders to this venue (a paper or live gateway); false: market data only */
    public boolean hasOrderEntry() {
        return this != HYPERLIQUID;
    }

    /** the name as config spells it: {@code binance} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
