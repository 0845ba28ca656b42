package io.mme.archfixture.app;

import io.mme.archfixture.venuegateway.GatewayUsingRisk;

/** planted violation: app (everything but venue-gateway and bench) using venue-gateway */
public final class AppUsingVenueGateway {
    public Object gateway() {
        return new GatewayUsingRisk();
    }
}
