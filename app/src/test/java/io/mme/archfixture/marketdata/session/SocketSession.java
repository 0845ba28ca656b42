package io.mme.archfixture.marketdata.session;

import java.net.URI;

/** follows the rules: I/O outside the engine packages proper (marketdata's sessions are I/O by design) */
public final class SocketSession {
    public URI endpoint() {
        return URI.create("wss://example.invalid/ws");
    }
}
