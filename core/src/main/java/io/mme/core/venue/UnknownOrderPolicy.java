package io.mme.core.venue;

import java.util.Locale;

/** What reconciliation does with an order open on the venue that the engine does not hold. */
public enum UnknownOrderPolicy {
    /** cancel it (the default: an order nobody manages is risk nobody watches) */
    CANCEL,
    /** take it over: the engine holds it as its own open order (only orders with our client-id tag) */
    ADOPT,
    /** leave it on the venue and report it */
    LEAVE;

    public static UnknownOrderPolicy parse(String text) {
        for (UnknownOrderPolicy p : values()) {
            if (p.name().toLowerCase(Locale.ROOT).equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown order policy '" + text + "' (expected cancel, adopt or leave)");
    }
}
