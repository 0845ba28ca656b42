package io.mme.archfixture.matching;

import java.math.BigDecimal;

/** planted violation: an engine class pricing with java.math */
public final class DecimalBook {
    public BigDecimal mid(long bid, long ask) {
        return BigDecimal.valueOf(bid + ask).divide(BigDecimal.valueOf(2));
    }
}
