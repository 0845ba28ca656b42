package io.mme.connectors.kraken;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One connection of Kraken's authenticated WebSocket v2 ({@code wss://ws-auth.kraken.com/v2}):
 * opens it, reassembles fragmented text frames into whole messages, serialises outgoing messages
 * (the JDK WebSocket allows one send at a time) and hands every message and the disconnect to the
 * gateway on the gateway's executor. A new instance per connection, so that a late callback of a
 * dead connection can be told apart ({@link Events} receives the instance). Threads: the JDK's
 * WebSocket threads call the listener; {@link #send} and {@link #abort} come from the gateway's
 * thread.
 */
final class KrakenPrivateStream {
    /** what the gateway hears, always on its executor */
    interface Events {
        void onMessage(KrakenPrivateStream stream, String text);

        void onDisconnect(KrakenPrivateStream stream, String why);
    }

    private final Executor executor;
    private final Events events;
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<WebSocket> sending;
    private volatile WebSocket socket;
    private volatile boolean disconnected;

    private KrakenPrivateStream(Executor executor, Events events) {
        this.executor = executor;
        this.events = events;
    }

    /** starts connecting; the future completes when the socket is open */
    static CompletableFuture<KrakenPrivateStream> connect(HttpClient http, URI uri, Duration connectTimeout,
                                                          Executor executor, Events events) {
        KrakenPrivateStream stream = new KrakenPrivateStream(executor, events);
        return http.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(uri, stream.new Listener())
                .thenApply(ws -> {
                    stream.socket = ws;
                    stream.sending = CompletableFuture.completedFuture(ws);
                    return stream;
                });
    }

    /** queues one text message behind the ones before it */
    void send(String text) {
        if (disconnected) {
            return;
        }
        sending = sending.thenCompose(ws -> ws.sendText(text, true));
        sending.exceptionally(t -> {
            disconnect("send failed: " + t);
            return null;
        });
    }

    /** drops the connection at once (a dead peer, or the gateway closing) */
    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        disconnect("aborted");
    }

    private void disconnect(String why) {
        if (!disconnected) {
            disconnected = true;
            executor.execute(() -> events.onDisconnect(this, why));
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                executor.execute(() -> events.onMessage(KrakenPrivateStream.this, text));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            disconnect("closed by the venue: " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            disconnect("error: " + error);
        }
    }
}
