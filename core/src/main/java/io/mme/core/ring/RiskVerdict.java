package io.mme.core.ring;

/** Risk's decision on one quote intent, written into the same slot. */
public enum RiskVerdict {
    /** risk has not looked at it yet */
    PENDING,
    APPROVED,
    REJECTED
}
