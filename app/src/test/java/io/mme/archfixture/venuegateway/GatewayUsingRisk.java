package io.mme.archfixture.venuegateway;

import io.mme.archfixture.risk.RiskLimits;

/** planted violation: venue-gateway (core and matching only) using risk */
public final class GatewayUsingRisk {
    public long limit() {
        return new RiskLimits().maxPosition();
    }
}
