package io.mme.archfixture.risk;

public final class RiskLimits {
    public long maxPosition() {
        return 10;
    }
}
