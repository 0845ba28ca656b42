package io.mme.marketdata;

import java.util.Locale;

/** How the consolidated view derives one fair price from every valid venue of a pair. */
public enum FairValueMethod {
    /** the middle of the consolidated best bid (highest of all venues) and best ask (lowest) */
    MID,
    /** the consolidated touch weighted by the opposite sizes: bid + spread × bidSize / (bidSize + askSize) */
    MICRO_PRICE,
    /** each venue's mid weighted by its top-of-book size (bid size + ask size) */
    SIZE_WEIGHTED_MID;

    public static FairValueMethod parse(String text) {
        for (FairValueMethod m : values()) {
            if (m.name().replace('_', '-').equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("fair value method '" + text + "' is not one of mid, micro-price, size-weighted-mid");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
