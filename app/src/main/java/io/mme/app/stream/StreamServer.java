package io.mme.app.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.ForbiddenResponse;
import io.javalin.websocket.WsContext;
import io.mme.app.api.EngineAccess;
import io.mme.app.api.rest.TokenStore;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.strategy.StrategyUnit;
import io.mme.strategy.StrategyView;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The streaming endpoint {@value #PATH} (protocol v1, docs/STREAMING.md): the upgrade's Origin
 * check, authentication (the upgrade's bearer header or a first {@code auth} message within the
 * auth timeout), subscriptions with validation (unknown fields refused), and one dispatcher thread
 * (a daemon, never an engine thread) that drives the fan-out.
 *
 * <p>Fan-out: a subscription names a {@link StreamChannel} (a channel with its parameters), shared
 * by every client subscribed to the same one. Once per conflation interval the dispatcher lets
 * each subscribed channel build its next message when its data changed: numbered (seq) and
 * serialised once into bytes. Every tick it hands each {@link StreamClient} what its
 * subscriptions are due, as far as its connection has room: the bytes are shared, so a message
 * costs one serialisation however many clients get it. A client that does not keep up is
 * conflated (books: a new snapshot; full-state channels: the latest) or loses trades messages
 * (counted; it sees the gap), and never holds up the dispatcher or another client; one whose
 * connection takes nothing for the stall timeout is closed with 1008.
 *
 * <p>Threads: Jetty's threads run the WebSocket callbacks (upgrade, auth, subscribe) and the send
 * callbacks; the dispatcher thread builds the messages and hands them out. Clients, channels and
 * subscription maps are concurrent; a channel's messages belong to the dispatcher.
 */
public final class StreamServer implements AutoCloseable {
    public static final String PATH = "/api/v1/stream";
    public static final int POLICY_VIOLATION = 1008;

    /**
     * Tunables; {@link #defaults()} are the protocol's numbers.
     *
     * @param queueCapacity   frames a client may have in flight (handed to its connection, not yet written)
     * @param stallNanos      a client whose connection writes nothing for this long while frames wait is closed
     * @param allowedOrigins  origins (scheme://host[:port]) a browser may open the stream from besides the server's own
     */
    public record Settings(int queueCapacity, long conflationNanos, long statusPeriodNanos, long authTimeoutNanos, long tickNanos,
                           long stallNanos, List<String> allowedOrigins) {
        public Settings {
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        public static Settings defaults() {
            return new Settings(64, 100_000_000L, 1_000_000_000L, 5_000_000_000L, 10_000_000L, 30_000_000_000L, List.of());
        }

        public Settings withQueueCapacity(int capacity) {
            return new Settings(capacity, conflationNanos, statusPeriodNanos, authTimeoutNanos, tickNanos, stallNanos, allowedOrigins);
        }

        public Settings withStallNanos(long nanos) {
            return new Settings(queueCapacity, conflationNanos, statusPeriodNanos, authTimeoutNanos, tickNanos, nanos, allowedOrigins);
        }

        public Settings withAllowedOrigins(List<String> origins) {
            return new Settings(queueCapacity, conflationNanos, statusPeriodNanos, authTimeoutNanos, tickNanos, stallNanos, origins);
        }
    }

    /** the stream's figures since start (any thread) */
    public record Stats(int clients, int channels, long messagesSent, long bytesSent, long tradesDropped, long booksConflated,
                        long statesConflated, long tradesLost, long slowClientsClosed, long originsRefused, long requestErrors,
                        long messagesDeflated, long deflatedBytesSent) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANNELS = List.of("l2Book", "trades", "l3Book", "quotes", "positions", "tradingStates");
    /** the fields each channel's subscribe (and unsubscribe) may carry besides op and channel */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "l2Book", Set.of("venue", "symbol", "pair", "nLevels", "sigFigs"),
            "l3Book", Set.of("venue", "symbol", "nLevels"),
            "trades", Set.of("venue", "symbol"),
            "quotes", Set.of(),
            "positions", Set.of(),
            "tradingStates", Set.of());

    private final StreamTap tap;
    private final EngineAccess access;
    private final TokenStore tokens;
    private final Settings settings;
    private final InstrumentRegistry instruments;
    private final StreamMessages messages;
    private final StreamCounters counters = new StreamCounters();
    private final Set<String> allowedOrigins;
    private final Map<String, StreamClient> clients = new ConcurrentHashMap<>();
    private final Map<String, StreamChannel> channels = new ConcurrentHashMap<>();
    private final StreamChannel status;
    private final AtomicLong statusVersion = new AtomicLong();
    private volatile boolean running = true;
    /** dispatcher-owned: compresses each message once for every connection with the shared permessage-deflate */
    private final MessageDeflater deflater = new MessageDeflater();
    /** set once the shared permessage-deflate replaced Jetty's in the context's extension registry */
    private volatile boolean deflateRegistered;
    private Thread dispatcher;

    /**
     * @param tickToQuote the latency window whose summary and histogram the status message shows
     *                    (read only; its own thread keeps it current: the last seconds), or null
     */
    public StreamServer(StreamTap tap, EngineAccess access, TokenStore tokens, io.mme.app.metrics.LatencyWindow tickToQuote,
                        Settings settings) {
        this.tap = tap;
        this.access = access;
        this.tokens = tokens;
        this.settings = settings;
        this.instruments = access.instruments();
        this.messages = new StreamMessages(access, tickToQuote);
        this.allowedOrigins = Set.copyOf(settings.allowedOrigins().stream().map(StreamServer::normalOrigin).toList());
        this.status = new StreamChannel.State("status", "status", statusVersion::get, v -> messages.statusBody());
        this.status.idle = false; // every client follows it: refreshed every status period, never idle
    }

    /** installs the endpoint and starts the dispatcher */
    public synchronized void install(Javalin app) {
        app.wsBeforeUpgrade(PATH, ctx -> {
            registerSharedDeflate(ctx.req().getServletContext());
            String origin = ctx.header("Origin");
            if (!originAllowed(origin, ctx.header("Host"))) {
                counters.originsRefused.increment();
                throw new ForbiddenResponse("Origin " + origin + " may not open the stream (api.allowedOrigins)");
            }
        });
        app.ws(PATH, ws -> {
            ws.onConnect(this::connected);
            ws.onMessage(ctx -> received(ctx, ctx.message()));
            ws.onClose(ctx -> gone(ctx.sessionId()));
            ws.onError(ctx -> gone(ctx.sessionId()));
        });
        if (dispatcher == null) {
            dispatcher = new Thread(this::dispatch, "stream-dispatcher");
            dispatcher.setDaemon(true);
            dispatcher.start();
        }
    }

    /**
     * Puts {@link SharedDeflateExtension} in place of Jetty's permessage-deflate in the servlet
     * context's extension registry, before the first upgrade negotiates (Jetty's thread of that
     * upgrade; the registry is the context's, so once is enough).
     */
    private void registerSharedDeflate(jakarta.servlet.ServletContext context) {
        if (deflateRegistered) {
            return;
        }
        synchronized (this) {
            if (!deflateRegistered) {
                org.eclipse.jetty.websocket.core.WebSocketComponents components =
                        org.eclipse.jetty.websocket.core.server.WebSocketServerComponents.getWebSocketComponents(context);
                components.getExtensionRegistry().register(SharedDeflateExtension.NAME, SharedDeflateExtension.class);
                deflateRegistered = true;
            }
        }
    }

    /**
     * A browser's upgrade may come from the server's own origin (the page it serves) or one of
     * the allowed origins; a request without Origin is not a browser's and is let through (the
     * token still decides).
     */
    boolean originAllowed(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String normal = normalOrigin(origin);
        if (allowedOrigins.contains(normal)) {
            return true;
        }
        int scheme = normal.indexOf("://");
        return host != null && scheme > 0 && normal.substring(scheme + 3).equals(host.trim().toLowerCase(Locale.ROOT));
    }

    private static String normalOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /** sessions open now */
    public int sessions() {
        return clients.size();
    }

    /** the stream's counters as of now */
    public Stats stats() {
        return new Stats(clients.size(), channels.size(), counters.messagesSent.sum(), counters.bytesSent.sum(), counters.tradesDropped.sum(),
                counters.booksConflated.sum(), counters.statesConflated.sum(), counters.tradesLost.sum(),
                counters.slowClientsClosed.sum(), counters.originsRefused.sum(), counters.requestErrors.sum(),
                counters.messagesDeflated.sum(), counters.deflatedBytesSent.sum());
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = dispatcher;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (StreamClient c : clients.values()) {
            c.close(1001, "server stopping");
        }
        clients.clear();
    }

    // ------------------------------------------------------------------ Jetty threads

    private void gone(String sessionId) {
        StreamClient c = clients.remove(sessionId);
        if (c != null) {
            c.close(1000, "closed");
        }
    }

    private void connected(WsContext ctx) {
        StreamClient client = new StreamClient(ctx.sessionId(), ctx.session, settings.queueCapacity(), status, counters, System.nanoTime());
        String header = ctx.header("Authorization");
        if (header != null) {
            Optional<TokenStore.Caller> caller = header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? tokens.authenticate(header.substring(7).trim()) : Optional.empty();
            if (caller.isEmpty()) {
                ctx.closeSession(POLICY_VIOLATION, "invalid token");
                return;
            }
            client.principal = caller.get().principal();
        }
        clients.put(ctx.sessionId(), client);
    }

    private void received(WsContext ctx, String text) {
        StreamClient client = clients.get(ctx.sessionId());
        if (client == null) {
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (Exception e) {
            msg = null;
        }
        if (msg == null || !msg.isObject()) {
            if (client.principal == null) {
                client.close(POLICY_VIOLATION, "authentication required");
            } else {
                error(client, "the message is not a JSON object", null);
            }
            return;
        }
        String op = text(msg, "op");
        if ("auth".equals(op)) {
            String token = text(msg, "token");
            Optional<TokenStore.Caller> caller = token == null ? Optional.empty() : tokens.authenticate(token);
            if (caller.isEmpty()) {
                client.close(POLICY_VIOLATION, "invalid token");
            } else {
                client.principal = caller.get().principal();
            }
            return;
        }
        if (client.principal == null) {
            client.close(POLICY_VIOLATION, "authentication required");
            return;
        }
        if (!"subscribe".equals(op) && !"unsubscribe".equals(op)) {
            error(client, "op must be one of auth, subscribe, unsubscribe", "op");
            return;
        }
        if ("unsubscribe".equals(op) && msg.has("id")) {
            unsubscribeById(client, msg);
            return;
        }
        Request request;
        try {
            request = parse(msg);
        } catch (BadRequest e) {
            error(client, e.getMessage(), e.field);
            return;
        }
        if ("subscribe".equals(op)) {
            StreamClient.Subscription existing = client.subscriptions.get(request.id);
            if (existing != null) {
                error(client, "already subscribed (" + request.id + ")", "channel");
                return;
            }
            StreamChannel channel = channels.computeIfAbsent(request.id, id -> request.channel());
            channel.subscribers.incrementAndGet();
            // the reply goes out before the dispatcher can see the subscription: it precedes the first message
            client.control("{\"type\":\"subscribed\",\"channel\":" + quote(request.channel) + ",\"id\":" + quote(request.id) + "}");
            client.subscriptions.put(request.id, new StreamClient.Subscription(channel));
        } else {
            unsubscribe(client, request.id, request.channel);
        }
    }

    private void unsubscribeById(StreamClient client, JsonNode msg) {
        for (Iterator<String> names = msg.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("op") && !name.equals("id")) {
                error(client, "unknown field '" + name + "': an unsubscribe names its subscription by id alone, or by the subscribe's fields", name);
                return;
            }
        }
        String id = text(msg, "id");
        StreamClient.Subscription sub = id == null ? null : client.subscriptions.get(id);
        if (sub == null) {
            error(client, "not subscribed to " + (id == null ? "that" : id), "id");
            return;
        }
        unsubscribe(client, id, sub.channel.type);
    }

    private void unsubscribe(StreamClient client, String id, String channel) {
        StreamClient.Subscription old = client.subscriptions.remove(id);
        if (old == null) {
            error(client, "not subscribed to that", "channel");
            return;
        }
        old.channel.subscribers.decrementAndGet();
        client.control("{\"type\":\"unsubscribed\",\"channel\":" + quote(channel) + ",\"id\":" + quote(id) + "}");
    }

    private void error(StreamClient client, String message, String field) {
        counters.requestErrors.increment();
        client.control("{\"type\":\"error\",\"message\":" + quote(message) + ",\"field\":" + (field == null ? "null" : quote(field)) + "}");
    }

    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final String field;

        BadRequest(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    /** a validated subscribe or unsubscribe: the channel instance it names */
    private final class Request {
        final String channel;
        String id;
        Instrument instrument;
        Venue venue;
        String pair;
        List<Instrument> pairInstruments;
        int nLevels;
        int sigFigs;

        Request(String channel) {
            this.channel = channel;
        }

        /** the channel instance, created on the first subscription to it */
        StreamChannel channel() {
            return switch (channel) {
                case "l2Book" -> new StreamChannel.Book(id, tap, messages, instrument, pair, pairInstruments, nLevels, sigFigs);
                case "l3Book" -> {
                    Instrument ins = instrument;
                    int levels = nLevels;
                    yield new StreamChannel.State(id, "l3Book", () -> tap.l3(ins.id()), s -> messages.l3Body(ins, (Snapshots.L3) s, levels));
                }
                case "trades" -> new StreamChannel.Trades(id, tap, messages, instrument, venue, counters);
                case "quotes" -> new StreamChannel.State(id, "quotes", () -> {
                    // the message changes when any strategy's view was published again
                    long published = 0;
                    for (StrategyUnit unit : access.strategies()) {
                        published = 31 * published + unit.view().publishedAtNanos();
                    }
                    StrategyView view = access.strategy();
                    return Long.valueOf(view == null ? published : 31 * published + view.publishedAtNanos());
                }, v -> messages.quotesBody(access.strategies(), access.strategy()));
                case "positions" -> new StreamChannel.State(id, "positions", () -> access.risk().publishedAtNanos(),
                        v -> messages.positionsBody(access.risk()));
                default -> new StreamChannel.State(id, "tradingStates", messages::tradingStatesBody, v -> (String) v);
            };
        }
    }

    private Request parse(JsonNode msg) throws BadRequest {
        String channel = text(msg, "channel");
        if (channel == null || !CHANNELS.contains(channel)) {
            throw new BadRequest("channel", "channel must be one of " + String.join(", ", CHANNELS));
        }
        Set<String> allowed = FIELDS.get(channel);
        for (Iterator<String> names = msg.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("op") && !name.equals("channel") && !allowed.contains(name)) {
                List<String> fields = new ArrayList<>(List.of("op", "channel"));
                allowed.stream().sorted().forEach(fields::add);
                throw new BadRequest(name, "unknown field '" + name + "' for channel " + channel + " (its fields: " + String.join(", ", fields) + ")");
            }
        }
        Request r = new Request(channel);
        String venueText = text(msg, "venue");
        String symbol = text(msg, "symbol");
        String pair = text(msg, "pair");
        switch (channel) {
            case "l2Book", "l3Book" -> {
                if (pair != null) {
                    if (venueText != null || symbol != null) {
                        throw new BadRequest("pair", "give either pair or venue and symbol");
                    }
                    if (instruments.byPair(pair).isEmpty()) {
                        throw new BadRequest("pair", "unknown pair '" + pair + "'");
                    }
                    r.pair = pair;
                    r.pairInstruments = instruments.byPair(pair);
                } else {
                    r.instrument = instrument(venueText, symbol);
                }
                r.nLevels = integer(msg, "nLevels", 1, 100, 10);
                if (channel.equals("l2Book")) {
                    r.sigFigs = integer(msg, "sigFigs", 2, 8, 0);
                    r.id = "l2Book:" + (r.pair != null ? "pair:" + r.pair : r.instrument.venue().configName() + ":" + r.instrument.venueSymbol())
                            + ":" + r.nLevels + (r.sigFigs == 0 ? "" : ":sf" + r.sigFigs);
                } else {
                    if (tap.l3(r.instrument.id()) == null) {
                        throw new BadRequest("symbol", "no order-level data for " + r.instrument.venue().configName() + " "
                                + r.instrument.venueSymbol());
                    }
                    r.id = "l3Book:" + r.instrument.venue().configName() + ":" + r.instrument.venueSymbol() + ":" + r.nLevels;
                }
            }
            case "trades" -> {
                if (venueText != null && symbol != null) {
                    r.instrument = instrument(venueText, symbol);
                    r.id = "trades:" + r.instrument.venue().configName() + ":" + r.instrument.venueSymbol();
                } else if (venueText != null) {
                    r.venue = venue(venueText);
                    r.id = "trades:" + r.venue.configName();
                } else if (symbol != null) {
                    throw new BadRequest("venue", "a symbol needs its venue");
                } else {
                    r.id = "trades";
                }
            }
            default -> r.id = channel;
        }
        return r;
    }

    private Instrument instrument(String venueText, String symbol) throws BadRequest {
        if (venueText == null) {
            throw new BadRequest("venue", "venue is required");
        }
        Venue venue = venue(venueText);
        if (symbol == null) {
            throw new BadRequest("symbol", "symbol is required");
        }
        Instrument found = instruments.find(venue, symbol);
        if (found == null) {
            throw new BadRequest("symbol", "unknown symbol '" + symbol + "' on " + venue.configName());
        }
        return found;
    }

    private static Venue venue(String text) throws BadRequest {
        try {
            return Venue.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("venue", e.getMessage());
        }
    }

    private static int integer(JsonNode msg, String field, int min, int max, int absent) throws BadRequest {
        JsonNode n = msg.get(field);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < min || n.intValue() > max) {
            throw new BadRequest(field, field + " must be an integer from " + min + " to " + max);
        }
        return n.intValue();
    }

    private static String text(JsonNode msg, String field) {
        JsonNode n = msg.get(field);
        return n == null || !n.isTextual() ? null : n.asText();
    }

    static String quote(String s) {
        return StreamMessages.quote(s);
    }

    // ------------------------------------------------------------------ the dispatcher thread

    /**
     * Every conflation interval each channel with subscribers builds its next message (when its
     * data changed) and the status channel every status period; between, trades channels read the
     * tap's new trades every tick so that its buffer does not wrap unseen; every tick (10 ms) each client is
     * handed what it is due as far as its connection has room, so a client that had no room
     * catches up within a tick of getting it.
     */
    @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a ConcurrentHashMap view: removing while iterating is allowed
    private void dispatch() {
        long lastStatus = System.nanoTime() - settings.statusPeriodNanos();
        long lastRound = Long.MIN_VALUE / 2;
        while (running) {
            long now = System.nanoTime();
            try {
                java.time.Instant wall = java.time.Instant.now();
                long nowMicros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1_000;
                if (now - lastStatus >= settings.statusPeriodNanos()) {
                    lastStatus = now;
                    statusVersion.incrementAndGet();
                    status.refresh(nowMicros);
                }
                // the round comes every conflation interval; a tick's jitter is tolerated
                if (now - lastRound >= settings.conflationNanos() - settings.tickNanos() / 2) {
                    lastRound = now;
                    for (StreamChannel ch : channels.values()) {
                        if (ch.subscribers.get() <= 0) {
                            ch.idle = true;
                            continue;
                        }
                        if (ch.idle && ch instanceof StreamChannel.Trades trades) {
                            trades.restart();
                        }
                        ch.idle = false;
                        ch.refresh(nowMicros);
                    }
                } else {
                    for (StreamChannel ch : channels.values()) {
                        if (!ch.idle && ch instanceof StreamChannel.Trades trades && ch.subscribers.get() > 0) {
                            trades.collect();
                        }
                    }
                }
                for (StreamClient client : clients.values()) {
                    if (client.closed) {
                        clients.remove(client.sessionId, client);
                        continue;
                    }
                    if (client.principal == null) {
                        if (now - client.connectedNanos > settings.authTimeoutNanos()) {
                            client.close(POLICY_VIOLATION, "authentication timeout");
                        }
                        continue;
                    }
                    if (client.stalled(now, settings.stallNanos())) {
                        counters.slowClientsClosed.increment();
                        client.close(POLICY_VIOLATION, "slow consumer: " + client.inFlight() + " messages unsent for "
                                + TimeUnit.NANOSECONDS.toSeconds(settings.stallNanos()) + " s");
                        continue;
                    }
                    client.deliver(nowMicros, deflater);
                }
            } catch (Exception e) {
                // anything (Jetty may throw an undeclared IOException through Kotlin code) must not end the dispatcher
                LOG.warn("stream dispatcher: {}", e.toString(), e);
            }
            LockSupport.parkNanos(settings.tickNanos());
        }
    }
}
