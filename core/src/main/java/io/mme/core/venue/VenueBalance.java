package io.mme.core.venue;

import java.math.BigDecimal;

/** One asset's balance as the venue reports it (venue asset code; amounts as the venue printed them). */
public record VenueBalance(String asset, BigDecimal free, BigDecimal locked) {
    public BigDecimal total() {
        return free.add(locked);
    }
}
