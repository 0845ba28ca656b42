package io.mme.archfixture.strategy;

import io.mme.archfixture.risk.RiskLimits;

/** planted violation: one engine module using another */
public final class StrategyUsingRisk {
    public long limit() {
        return new RiskLimits().maxPosition();
    }
}
