package io.mme.archfixture.core;

import io.mme.archfixture.strategy.CleanStrategy;

/** planted violation: core depending on an engine module */
public final class CoreReachingUp {
    public Object reach() {
        return new CleanStrategy();
    }
}
