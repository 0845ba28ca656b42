package io.mme.archfixture.connectors.hyperliquid;

import io.mme.archfixture.matching.DecimalBook;

/** planted violation: a connector (core and marketdata only) using matching */
public final class ConnectorUsingMatching {
    public Object book() {
        return new DecimalBook();
    }
}
