package io.mme.app.stream;

import io.mme.app.api.ControlAnswer;
import io.mme.app.api.ControlRequest;
import io.mme.app.api.EngineAccess;
import io.mme.app.api.rest.TokenStore;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import io.mme.core.runtime.PipelineHealth;
import io.mme.execution.ExecutionConfig;
import io.mme.execution.ExecutionEngine;
import io.mme.execution.ExecutionView;
import io.mme.marketdata.MarketDataEngine;
import io.mme.marketdata.MarketDataView;
import io.mme.marketdata.ResyncRequests;
import io.mme.risk.ChangeRecord;
import io.mme.risk.RiskConfig;
import io.mme.risk.RiskEngine;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyView;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Shared pieces of the stream tests: a registry, an engine access, tokens, a client, a raw socket client and a book replica. */
final class StreamTestSupport {
    static final String TOKEN = "stream-secret";

    private StreamTestSupport() {
    }

    static InstrumentRegistry registry() {
        return InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.0001", null, null, null, null))
                .build();
    }

    static TokenStore tokens() throws IOException {
        return new TokenStore(null, "vera:viewer:" + TOKEN);
    }

    /** views of real engines that never run, the given health (or none) */
    static final class Access implements EngineAccess {
        final InstrumentRegistry registry;
        final RiskEngine risk;
        final MarketDataView books;
        final ExecutionEngine execution = new ExecutionEngine(ExecutionConfig.defaults());
        final PipelineHealth health;

        Access(InstrumentRegistry registry, MarketDataView books, PipelineHealth health) {
            this.registry = registry;
            this.risk = new RiskEngine(registry, RiskConfig.defaults(registry));
            this.books = books != null ? books
                    : new MarketDataEngine(registry, 16, Duration.ofSeconds(5).toNanos(), ResyncRequests.NONE).view();
            this.health = health;
        }

        private final InboundEvent control = new InboundEvent();
        private long controlSequence;

        /** sets a scope's trading state in the risk engine, as the CONTROL event of PUT /api/v1/trading-states does */
        void tradingState(int venueId, int instrumentId, io.mme.core.ring.TradingState state) {
            control.begin(controlSequence, InboundEventType.CONTROL, 1_700_000_000_000_000_000L + controlSequence);
            control.book().reset();
            control.control().set(io.mme.core.ring.ControlCommands.SET_TRADING_STATE, controlSequence + 1, "rita", "test")
                    .target(venueId, instrumentId).argument(null, state.ordinal());
            risk.onEvent(control, controlSequence++, true);
        }

        @Override
        public InstrumentRegistry instruments() {
            return registry;
        }

        @Override
        public RiskView risk() {
            return risk.view();
        }

        @Override
        public StrategyView strategy() {
            return null;
        }

        @Override
        public List<String> strategyParameterKeys() {
            return List.of();
        }

        @Override
        public MarketDataView books() {
            return books;
        }

        @Override
        public ExecutionView execution() {
            return execution.view();
        }

        @Override
        public PipelineHealth health() {
            return health;
        }

        @Override
        public List<ChangeRecord> riskChanges() {
            return List.of();
        }

        @Override
        public CompletableFuture<ControlAnswer> submit(ControlRequest request, Duration timeout) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no commands here"));
        }
    }

    /** feeds market data straight into a tap, with event time it controls */
    static final class Feed {
        final StreamTap tap;
        final InboundEvent event = new InboundEvent();
        long sequence;
        long nanos = 1_700_000_000_000_000_000L;

        Feed(StreamTap tap) {
            this.tap = tap;
        }

        Feed md(MarketDataKind kind, int instrument, Side side, long price, long qty, long orderId) {
            event.begin(sequence, InboundEventType.MARKET_DATA, nanos += 1_000);
            event.marketData().set(kind, 0, instrument, side, price, qty, sequence, nanos, nanos, true).orderId(orderId);
            tap.onEvent(event, sequence++, true);
            return this;
        }

        Feed level(int instrument, Side side, long price, long qty) {
            return md(MarketDataKind.LEVEL, instrument, side, price, qty, 0);
        }

        Feed valid(int instrument, boolean valid) {
            event.begin(sequence, InboundEventType.MARKET_DATA, nanos += 1_000);
            event.marketData().set(MarketDataKind.BOOK_STATE, 0, instrument, Side.BUY, 0, 0, sequence, nanos, nanos, true).bookValid(valid);
            tap.onEvent(event, sequence++, true);
            return this;
        }

        /** a timer event 200 ms later: the tap publishes what changed */
        Feed publish() {
            event.begin(sequence, InboundEventType.TIMER, nanos += 200_000_000L);
            tap.onEvent(event, sequence++, true);
            return this;
        }
    }

    /** a JDK WebSocket client that keeps every text message and the close */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicLong received = new AtomicLong();
        final AtomicLong lastReceivedNanos = new AtomicLong();
        final boolean keep;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Client(boolean keep) {
            this.keep = keep;
        }

        static Client connect(HttpClient http, int port, String token) {
            return connectAsync(http, port, token, true).join();
        }

        static CompletableFuture<Client> connectAsync(HttpClient http, int port, String token, boolean keep) {
            Client c = new Client(keep);
            WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return b.buildAsync(URI.create("ws://127.0.0.1:" + port + StreamServer.PATH), c).thenApply(ws -> {
                c.socket = ws;
                return c;
            });
        }

        void send(String json) {
            socket.sendText(json, true).join();
        }

        /** the next message holding {@code part}, skipping others; a ceiling of 15 s so that a loaded machine does not fail it */
        String next(String part) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                String m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.contains(part)) {
                    return m;
                }
            }
            throw new AssertionError("no message with " + part);
        }

        /**
         * Every message up to and including the next one holding {@code part}, in the order they came:
         * a fence for "nothing else was sent", since one connection delivers in the order the server
         * sent. Same ceiling as {@link #next}.
         */
        java.util.List<String> upTo(String part) throws InterruptedException {
            java.util.List<String> seen = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                String m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    seen.add(m);
                    if (m.contains(part)) {
                        return seen;
                    }
                }
            }
            throw new AssertionError("no message with " + part + " after " + seen);
        }

        /** per stream id, the last seq seen (the listener's thread) */
        private final java.util.Map<String, Long> seqs = new java.util.HashMap<>();
        /** data messages whose seq was not one past the last of their stream, snapshots excepted */
        final AtomicLong gaps = new AtomicLong();
        final AtomicLong books = new AtomicLong();

        private void sequence(String m) {
            int id = m.indexOf("\"id\":\"");
            int seq = m.indexOf("\"seq\":");
            if (id < 0 || seq < 0 || seq < id) {
                return;
            }
            String stream = m.substring(id + 6, m.indexOf('"', id + 6));
            long n = Long.parseLong(m.substring(seq + 6, m.indexOf(',', seq)));
            Long last = seqs.put(stream, n);
            if (!m.contains("\"snapshot\":true") && (last == null || n != last + 1)) {
                gaps.incrementAndGet();
            }
            if (m.startsWith("{\"type\":\"l2Book\"")) {
                books.incrementAndGet();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.incrementAndGet();
                lastReceivedNanos.set(System.nanoTime());
                sequence(partial.toString());
                if (keep) {
                    messages.add(partial.toString());
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error " + error);
        }
    }

    /** a WebSocket client on a plain socket: for what the JDK client cannot do (offer extensions, never read) */
    static final class RawClient implements AutoCloseable {
        final Socket socket;
        final String response;
        private final InputStream in;
        private final OutputStream out;

        RawClient(int port, int receiveBuffer, String... headers) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            StringBuilder req = new StringBuilder("GET " + StreamServer.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            response = head.toString();
        }

        void sendText(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            byte[] mask = {1, 2, 3, 4};
            java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
            frame.write(0x81);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xff);
            }
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i & 3]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        /** the next text frame's payload, or null at a close frame, the end of the stream or the read timeout */
        String nextText() throws IOException {
            try {
                while (true) {
                    int b0 = in.read();
                    if (b0 < 0) {
                        return null;
                    }
                    int b1 = in.read();
                    long len = b1 & 0x7f;
                    if (len == 126) {
                        len = (in.read() << 8) | in.read();
                    } else if (len == 127) {
                        len = 0;
                        for (int i = 0; i < 8; i++) {
                            len = (len << 8) | in.read();
                        }
                    }
                    byte[] payload = in.readNBytes((int) len);
                    int opcode = b0 & 0x0f;
                    if (opcode == 0x8) {
                        return null;
                    }
                    if (opcode == 0x1) {
                        return new String(payload, StandardCharsets.UTF_8);
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
        }

        /** the next frame: its first header byte (FIN, RSV, opcode), then its payload as sent */
        byte[] nextFrame() throws IOException {
            int b0 = in.read();
            int b1 = in.read();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) len);
            byte[] out = new byte[payload.length + 1];
            out[0] = (byte) b0;
            System.arraycopy(payload, 0, out, 1, payload.length);
            return out;
        }

        /** reads frames until a close frame; returns "code reason", counting the text frames before it */
        String readUntilClose(AtomicInteger textFrames) throws IOException {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return "eof";
                }
                int b1 = in.read();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | in.read();
                    }
                }
                byte[] payload = in.readNBytes((int) len);
                int opcode = b0 & 0x0f;
                if (opcode == 0x8) {
                    int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                    return code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
                }
                if (opcode == 0x1) {
                    textFrames.incrementAndGet();
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A client's copy of one l2Book subscription, built the way the protocol says a client builds
     * it: a snapshot replaces it, a delta ({@code seq} one past the last) sets or removes (size "0")
     * levels; a delta after a gap is refused (the test fails).
     */
    static final class BookReplica {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
        final java.util.TreeMap<java.math.BigDecimal, String> bids = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        final java.util.TreeMap<java.math.BigDecimal, String> asks = new java.util.TreeMap<>();
        long seq;
        String state;
        int snapshots;

        BookReplica apply(String json) {
            try {
                com.fasterxml.jackson.databind.JsonNode m = JSON.readTree(json);
                long s = m.get("seq").asLong();
                if (m.get("snapshot").asBoolean()) {
                    bids.clear();
                    asks.clear();
                    snapshots++;
                } else if (s != seq + 1) {
                    throw new AssertionError("a delta with seq " + s + " after " + seq + ": " + json);
                }
                seq = s;
                state = m.get("state").asText();
                side(m.get("bids"), bids);
                side(m.get("asks"), asks);
                return this;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError(e);
            }
        }

        private static void side(com.fasterxml.jackson.databind.JsonNode levels, java.util.TreeMap<java.math.BigDecimal, String> into) {
            for (com.fasterxml.jackson.databind.JsonNode l : levels) {
                java.math.BigDecimal price = new java.math.BigDecimal(l.get(0).asText());
                if (l.get(1).asText().equals("0")) {
                    into.remove(price);
                } else {
                    into.put(price, l.get(1).asText());
                }
            }
        }

        /** "price size" per level, best first, as text */
        List<String> bids() {
            return bids.entrySet().stream().map(e -> e.getKey().toPlainString() + " " + e.getValue()).toList();
        }

        List<String> asks() {
            return asks.entrySet().stream().map(e -> e.getKey().toPlainString() + " " + e.getValue()).toList();
        }
    }
}
