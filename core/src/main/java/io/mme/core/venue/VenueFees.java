package io.mme.core.venue;

import java.math.BigDecimal;

/** The account's fee rates for one instrument, as fractions (0.001 = 10 bps; negative = a rebate). */
public record VenueFees(String venueSymbol, BigDecimal maker, BigDecimal taker) {
}
