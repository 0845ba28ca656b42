package io.mme.core.ring;

/** How long an order may rest. */
public enum TimeInForce {
    GTC,
    IOC,
    FOK
}
