package io.mme.archfixture.strategy.api;

import io.mme.archfixture.strategy.CleanStrategy;

/** planted violation: the public strategy API reaching into the engine that hosts it */
public final class ApiUsingEngine {
    public String engineName() {
        return new CleanStrategy().toString();
    }
}
