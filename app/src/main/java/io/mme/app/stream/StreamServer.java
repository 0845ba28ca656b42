package io.mme.app.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import io.mme.analytics.LatencySummary;
import io.mme.app.api.EngineAccess;
import io.mme.app.api.rest.TokenStore;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.TradingState;
import io.mme.core.runtime.EngineStatus;
import io.mme.core.runtime.PipelineHealth;
import io.mme.marketdata.MarketDataView;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyView;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The streaming endpoint {@value #PATH} (protocol v1): authentication (the upgrade's bearer header
 * or a first {@code auth} message within the auth timeout), subscriptions with validation, and one
 * dispatcher thread (a daemon, never an engine thread) that reads the {@link StreamTap}'s published
 * snapshots and the engines' views, builds each distinct message once per change, and hands it to
 * each subscriber's bounded queue, at most once per conflation interval per subscription and only
 * when the data changed. Each session sends asynchronously, one frame in flight; a session whose
 * queue is full is closed with 1008 "slow consumer: N messages queued", so a slow client never
 * blocks the dispatcher or anyone else.
 *
 * <p>Threads: Jetty's threads run the WebSocket callbacks (auth, subscribe) and the send callbacks;
 * the dispatcher thread builds and enqueues. Sessions and their subscription maps are concurrent.
 */
public final class StreamServer implements AutoCloseable {
    public static final String PATH = "/api/v1/stream";
    public static final int POLICY_VIOLATION = 1008;

    /** tunables; {@link #defaults()} are the protocol's numbers */
    public record Settings(int queueCapacity, long conflationNanos, long statusPeriodNanos, long authTimeoutNanos, long tickNanos) {
        public static Settings defaults() {
            return new Settings(256, 100_000_000L, 1_000_000_000L, 5_000_000_000L, 10_000_000L);
        }

        public Settings withQueueCapacity(int capacity) {
            return new Settings(capacity, conflationNanos, statusPeriodNanos, authTimeoutNanos, tickNanos);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANNELS = List.of("l2Book", "trades", "l3Book", "quotes", "positions", "tradingStates");

    private final StreamTap tap;
    private final EngineAccess access;
    private final TokenStore tokens;
    private final Supplier<LatencySummary> tickToQuote;
    private final Settings settings;
    private final InstrumentRegistry instruments;
    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong slowConsumersClosed = new AtomicLong();
    private final AtomicLong messagesQueued = new AtomicLong();
    private final AtomicLong subscriptionIds = new AtomicLong();
    private final AtomicLong slots = new AtomicLong();
    /** dispatcher-owned: messages built this far, by what they show */
    private final Map<String, Built> built = new HashMap<>();
    /** dispatcher-owned: the dispatcher's tick, and the trading-states message as of tick {@link #statesTick} */
    private long ticks;
    private long statesTick = -1;
    private String statesJson;
    private volatile boolean running = true;
    private Thread dispatcher;

    /**
     * @param tickToQuote the latency summary the status message shows (read only; the engine's
     *                    {@code LatencyWindow} keeps it current: the last seconds), or null
     */
    public StreamServer(StreamTap tap, EngineAccess access, TokenStore tokens, Supplier<LatencySummary> tickToQuote, Settings settings) {
        this.tap = tap;
        this.access = access;
        this.tokens = tokens;
        this.tickToQuote = tickToQuote;
        this.settings = settings;
        this.instruments = access.instruments();
    }

    /** installs the endpoint and starts the dispatcher */
    public synchronized void install(Javalin app) {
        app.ws(PATH, ws -> {
            ws.onConnect(this::connected);
            ws.onMessage(ctx -> received(ctx, ctx.message()));
            ws.onClose(ctx -> sessions.remove(ctx.sessionId()));
            ws.onError(ctx -> sessions.remove(ctx.sessionId()));
        });
        if (dispatcher == null) {
            dispatcher = new Thread(this::dispatch, "stream-dispatcher");
            dispatcher.setDaemon(true);
            dispatcher.start();
        }
    }

    /** sessions open now */
    public int sessions() {
        return sessions.size();
    }

    /** sessions closed because their queue was full */
    public long slowConsumersClosed() {
        return slowConsumersClosed.get();
    }

    public long messagesQueued() {
        return messagesQueued.get();
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
        for (StreamSession s : sessions.values()) {
            s.close(1001, "server stopping");
        }
        sessions.clear();
    }

    // ------------------------------------------------------------------ Jetty threads

    private void connected(WsContext ctx) {
        StreamSession session = new StreamSession(ctx, settings.queueCapacity(), System.nanoTime());
        String header = ctx.header("Authorization");
        if (header != null) {
            Optional<TokenStore.Caller> caller = header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? tokens.authenticate(header.substring(7).trim()) : Optional.empty();
            if (caller.isEmpty()) {
                ctx.closeSession(POLICY_VIOLATION, "invalid token");
                return;
            }
            session.principal = caller.get().principal();
        }
        sessions.put(ctx.sessionId(), session);
    }

    private void received(WsContext ctx, String text) {
        StreamSession session = sessions.get(ctx.sessionId());
        if (session == null) {
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (Exception e) {
            msg = null;
        }
        if (msg == null || !msg.isObject()) {
            if (session.principal == null) {
                session.close(POLICY_VIOLATION, "authentication required");
            } else {
                session.offer(error("the message is not a JSON object", null));
            }
            return;
        }
        String op = text(msg, "op");
        if ("auth".equals(op)) {
            String token = text(msg, "token");
            Optional<TokenStore.Caller> caller = token == null ? Optional.empty() : tokens.authenticate(token);
            if (caller.isEmpty()) {
                session.close(POLICY_VIOLATION, "invalid token");
            } else {
                session.principal = caller.get().principal();
            }
            return;
        }
        if (session.principal == null) {
            session.close(POLICY_VIOLATION, "authentication required");
            return;
        }
        if (!"subscribe".equals(op) && !"unsubscribe".equals(op)) {
            session.offer(error("op must be one of auth, subscribe, unsubscribe", "op"));
            return;
        }
        Subscription sub;
        try {
            sub = parse(msg);
        } catch (BadRequest e) {
            session.offer(error(e.getMessage(), e.field));
            return;
        }
        if ("subscribe".equals(op)) {
            if (session.subscriptions.containsKey(sub.key)) {
                session.offer(error("already subscribed (" + session.subscriptions.get(sub.key).id + ")", "channel"));
                return;
            }
            sub.id = "s" + subscriptionIds.incrementAndGet();
            session.subscriptions.put(sub.key, sub);
            session.offer("{\"type\":\"subscribed\",\"channel\":" + quote(sub.channel) + ",\"id\":" + quote(sub.id) + "}");
        } else {
            Subscription old = session.subscriptions.remove(sub.key);
            if (old == null) {
                session.offer(error("not subscribed to that", "channel"));
            } else {
                session.offer("{\"type\":\"unsubscribed\",\"channel\":" + quote(old.channel) + ",\"id\":" + quote(old.id) + "}");
            }
        }
    }

    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final String field;

        BadRequest(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    private Subscription parse(JsonNode msg) throws BadRequest {
        String channel = text(msg, "channel");
        if (channel == null || !CHANNELS.contains(channel)) {
            throw new BadRequest("channel", "channel must be one of " + String.join(", ", CHANNELS));
        }
        Subscription sub = new Subscription(channel);
        String venueText = text(msg, "venue");
        String symbol = text(msg, "symbol");
        String pair = text(msg, "pair");
        switch (channel) {
            case "l2Book", "l3Book" -> {
                if (pair != null && channel.equals("l2Book")) {
                    if (venueText != null || symbol != null) {
                        throw new BadRequest("pair", "give either pair or venue and symbol");
                    }
                    if (instruments.byPair(pair).isEmpty()) {
                        throw new BadRequest("pair", "unknown pair '" + pair + "'");
                    }
                    sub.pair = pair;
                    sub.pairInstruments = instruments.byPair(pair);
                } else {
                    sub.instrument = instrument(venueText, symbol, true);
                }
                sub.nLevels = integer(msg, "nLevels", 1, 100, 10);
                if (channel.equals("l2Book")) {
                    sub.sigFigs = integer(msg, "sigFigs", 2, 8, 0);
                } else if (tap.l3(sub.instrument.id()) == null) {
                    throw new BadRequest("symbol", "no order-level data for " + sub.instrument.venue().configName() + " "
                            + sub.instrument.venueSymbol());
                }
            }
            case "trades" -> {
                if (venueText != null && symbol != null) {
                    sub.instrument = instrument(venueText, symbol, true);
                } else if (venueText != null) {
                    sub.venue = venue(venueText);
                } else if (symbol != null) {
                    throw new BadRequest("venue", "a symbol needs its venue");
                }
            }
            default -> {
            }
        }
        sub.key = channel + "|" + (sub.instrument == null ? "" : sub.instrument.id()) + "|" + (sub.venue == null ? "" : sub.venue)
                + "|" + (sub.pair == null ? "" : sub.pair) + "|" + sub.nLevels + "|" + sub.sigFigs;
        return sub;
    }

    private Instrument instrument(String venueText, String symbol, boolean required) throws BadRequest {
        if (venueText == null && required) {
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

    private static String error(String message, String field) {
        return "{\"type\":\"error\",\"message\":" + quote(message) + ",\"field\":" + (field == null ? "null" : quote(field)) + "}";
    }

    // ------------------------------------------------------------------ the dispatcher thread

    /** one distinct message and the data it was built from (compared by identity) */
    private record Built(List<Object> version, String json) {
    }

    /**
     * Every tick (10 ms) the dispatcher visits one slice of the sessions, so each session is
     * visited once per conflation interval and the sends of a book change are spread over the
     * interval instead of leaving in one burst (a burst of hundreds of sends competes for the
     * cores with the engines' wake-ups).
     */
    private void dispatch() {
        long lastStatus = System.nanoTime();
        int slices = (int) Math.max(1, settings.conflationNanos() / settings.tickNanos());
        long tick = 0;
        String statusJson = null;
        long statusVersion = 0;
        while (running) {
            long now = System.nanoTime();
            try {
                if (now - lastStatus >= settings.statusPeriodNanos()) {
                    lastStatus = now;
                    statusJson = status();
                    statusVersion++;
                }
                ticks = tick;
                int slice = (int) (tick++ % slices);
                for (StreamSession session : sessions.values()) {
                    if (session.closed || session.slot % slices != slice) {
                        continue;
                    }
                    if (session.principal == null) {
                        if (now - session.connectedNanos > settings.authTimeoutNanos()) {
                            session.close(POLICY_VIOLATION, "authentication timeout");
                        }
                        continue;
                    }
                    if (session.statusVersion != statusVersion && statusJson != null) {
                        session.statusVersion = statusVersion;
                        if (!session.offer(statusJson)) {
                            continue;
                        }
                    }
                    for (Subscription sub : session.subscriptions.values()) {
                        // the slice comes round every conflation interval; a tick's jitter is tolerated
                        if (now - sub.lastSentNanos < settings.conflationNanos() - settings.tickNanos() / 2) {
                            continue;
                        }
                        String json = message(sub);
                        if (json != null) {
                            sub.lastSentNanos = now;
                            if (!session.offer(json)) {
                                break;
                            }
                        }
                    }
                }
            } catch (Exception e) {
                // anything (Jetty may throw an undeclared IOException through Kotlin code) must not end the dispatcher
                LOG.warn("stream dispatcher: {}", e.toString(), e);
            }
            LockSupport.parkNanos(settings.tickNanos());
        }
    }

    /** the message a subscription is due, or null when nothing changed since its last one */
    private String message(Subscription sub) {
        switch (sub.channel) {
            case "l2Book" -> {
                List<Object> version;
                if (sub.pair != null) {
                    Object[] refs = new Object[sub.pairInstruments.size()];
                    for (int i = 0; i < refs.length; i++) {
                        refs[i] = tap.l2(sub.pairInstruments.get(i).id());
                    }
                    version = Arrays.asList(refs);
                } else {
                    Snapshots.L2 s = tap.l2(sub.instrument.id());
                    if (s == null) {
                        return null;
                    }
                    version = List.of(s);
                }
                return changed(sub, version, () -> sub.pair != null ? consolidated(sub, version) : l2Json(sub, (Snapshots.L2) version.get(0)));
            }
            case "l3Book" -> {
                Snapshots.L3 s = tap.l3(sub.instrument.id());
                return s == null ? null : changed(sub, List.of(s), () -> l3Json(sub, s));
            }
            case "quotes" -> {
                StrategyView view = access.strategy();
                Long at = view == null ? Long.valueOf(0) : view.publishedAtNanos();
                return changed(sub, List.of(at), () -> quotesJson(view));
            }
            case "positions" -> {
                RiskView view = access.risk();
                return changed(sub, List.of(view.publishedAtNanos()), () -> positionsJson(view));
            }
            case "tradingStates" -> {
                String json = tradingStates();
                return changed(sub, List.of(json), () -> json);
            }
            default -> {
                return tradesJson(sub);
            }
        }
    }

    /** the shared message for this subscription's data when it differs from what the subscription was sent last */
    private String changed(Subscription sub, List<Object> version, Supplier<String> build) {
        if (sameRefs(version, sub.lastVersion)) {
            return null;
        }
        Built b = built.get(sub.key);
        if (b == null || !sameRefs(b.version(), version)) {
            String json = build.get();
            b = new Built(version, json);
            built.put(sub.key, b);
        }
        sub.lastVersion = version;
        return b.json();
    }

    private static boolean sameRefs(List<Object> a, List<Object> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x != y && !(x instanceof Long && x.equals(y))) {
                return false;
            }
        }
        return true;
    }

    private String l2Json(Subscription sub, Snapshots.L2 s) {
        Instrument ins = sub.instrument;
        int n = s.bidPrices.length;
        long[] bp = new long[n];
        long[] bq = new long[n];
        for (int i = 0; i < n; i++) {
            bp[i] = ins.priceNanos(s.bidPrices[i]);
            bq[i] = ins.quantityNanos(s.bidSizes[i]);
        }
        int m = s.askPrices.length;
        long[] ap = new long[m];
        long[] aq = new long[m];
        for (int i = 0; i < m; i++) {
            ap[i] = ins.priceNanos(s.askPrices[i]);
            aq[i] = ins.quantityNanos(s.askSizes[i]);
        }
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":\"l2Book\",\"venue\":").append(quote(ins.venue().configName()))
                .append(",\"symbol\":").append(quote(ins.venueSymbol())).append(",\"pair\":").append(quote(ins.pair()))
                .append(",\"state\":\"").append(s.state.name()).append('"');
        levels(out, "bids", bp, bq, n, sub, true, ins.priceDecimals(), ins.sizeDecimals());
        levels(out, "asks", ap, aq, m, sub, false, ins.priceDecimals(), ins.sizeDecimals());
        return out.append(",\"ts\":").append(s.timestampNanos / 1_000_000).append('}').toString();
    }

    /** the levels of every VALID venue of the pair merged by price (in quote nanos), sizes summed */
    private String consolidated(Subscription sub, List<Object> refs) {
        int priceDecimals = 0;
        int sizeDecimals = 0;
        List<long[]> bids = new ArrayList<>();
        List<long[]> asks = new ArrayList<>();
        long ts = 0;
        boolean anyValid = false;
        boolean anyInvalid = false;
        for (int i = 0; i < refs.size(); i++) {
            Instrument ins = sub.pairInstruments.get(i);
            priceDecimals = Math.max(priceDecimals, ins.priceDecimals());
            sizeDecimals = Math.max(sizeDecimals, ins.sizeDecimals());
            Snapshots.L2 s = (Snapshots.L2) refs.get(i);
            if (s == null) {
                continue;
            }
            if (s.state != BookState.VALID) {
                anyInvalid |= s.state == BookState.INVALID;
                continue;
            }
            anyValid = true;
            ts = Math.max(ts, s.timestampNanos);
            for (int l = 0; l < s.bidPrices.length; l++) {
                bids.add(new long[]{ins.priceNanos(s.bidPrices[l]), ins.quantityNanos(s.bidSizes[l])});
            }
            for (int l = 0; l < s.askPrices.length; l++) {
                asks.add(new long[]{ins.priceNanos(s.askPrices[l]), ins.quantityNanos(s.askSizes[l])});
            }
        }
        long[][] b = merge(bids, true);
        long[][] a = merge(asks, false);
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":\"l2Book\",\"venue\":null,\"symbol\":null,\"pair\":").append(quote(sub.pair))
                .append(",\"state\":\"").append(anyValid ? "VALID" : anyInvalid ? "INVALID" : "SYNCING").append('"');
        levels(out, "bids", b[0], b[1], b[0].length, sub, true, priceDecimals, sizeDecimals);
        levels(out, "asks", a[0], a[1], a[0].length, sub, false, priceDecimals, sizeDecimals);
        return out.append(",\"ts\":").append(ts / 1_000_000).append('}').toString();
    }

    /** levels (price nanos, size nanos) sorted best first with equal prices summed */
    private static long[][] merge(List<long[]> levels, boolean bids) {
        levels.sort((x, y) -> bids ? Long.compare(y[0], x[0]) : Long.compare(x[0], y[0]));
        long[] prices = new long[levels.size()];
        long[] sizes = new long[levels.size()];
        int n = 0;
        for (long[] l : levels) {
            if (n > 0 && prices[n - 1] == l[0]) {
                sizes[n - 1] += l[1];
            } else {
                prices[n] = l[0];
                sizes[n] = l[1];
                n++;
            }
        }
        return new long[][]{Arrays.copyOf(prices, n), Arrays.copyOf(sizes, n)};
    }

    /** writes up to nLevels levels, grouped to sigFigs when asked (bids down, asks up) */
    private static void levels(StringBuilder out, String name, long[] prices, long[] sizes, int n, Subscription sub, boolean bids,
                               int priceDecimals, int sizeDecimals) {
        out.append(",\"").append(name).append("\":[");
        int written = 0;
        if (sub.sigFigs == 0) {
            for (int i = 0; i < n && written < sub.nLevels; i++, written++) {
                level(out, written, decimal(prices[i], priceDecimals), sizes[i], sizeDecimals);
            }
        } else {
            MathContext mc = new MathContext(sub.sigFigs, bids ? RoundingMode.FLOOR : RoundingMode.CEILING);
            BigDecimal bucket = null;
            long size = 0;
            for (int i = 0; i < n; i++) {
                BigDecimal b = BigDecimal.valueOf(prices[i], 9).round(mc);
                if (bucket != null && b.compareTo(bucket) != 0) {
                    level(out, written++, plain(bucket), size, sizeDecimals);
                    if (written == sub.nLevels) {
                        bucket = null;
                        break;
                    }
                    size = 0;
                }
                bucket = b;
                size += sizes[i];
            }
            if (bucket != null && written < sub.nLevels) {
                level(out, written, plain(bucket), size, sizeDecimals);
            }
        }
        out.append(']');
    }

    private static void level(StringBuilder out, int index, String price, long sizeNanos, int sizeDecimals) {
        if (index > 0) {
            out.append(',');
        }
        out.append("[\"").append(price).append("\",\"").append(decimal(sizeNanos, sizeDecimals)).append("\"]");
    }

    /** 10^-9 units as decimal text with at least {@code decimals} decimals (exact) */
    static String decimal(long nanos, int decimals) {
        BigDecimal v = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
        if (v.scale() < decimals) {
            v = v.setScale(decimals);
        }
        return v.toPlainString();
    }

    private static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    private String l3Json(Subscription sub, Snapshots.L3 s) {
        Instrument ins = sub.instrument;
        StringBuilder out = new StringBuilder(512);
        out.append("{\"type\":\"l3Book\",\"venue\":").append(quote(ins.venue().configName()))
                .append(",\"symbol\":").append(quote(ins.venueSymbol()));
        l3Side(out, "bids", s.bids, ins, sub.nLevels);
        l3Side(out, "asks", s.asks, ins, sub.nLevels);
        return out.append(",\"ts\":").append(s.timestampNanos / 1_000_000).append('}').toString();
    }

    private static void l3Side(StringBuilder out, String name, Snapshots.L3Side side, Instrument ins, int nLevels) {
        out.append(",\"").append(name).append("\":[");
        for (int l = 0; l < Math.min(nLevels, side.prices.length); l++) {
            if (l > 0) {
                out.append(',');
            }
            out.append("{\"price\":\"");
            ins.appendPrice(side.prices[l], out).append("\",\"orders\":[");
            for (int o = 0; o < side.orderIds[l].length; o++) {
                if (o > 0) {
                    out.append(',');
                }
                out.append("{\"id\":").append(side.orderIds[l][o]).append(",\"size\":\"");
                ins.appendQuantity(side.orderSizes[l][o], out).append("\"}");
            }
            out.append("]}");
        }
        out.append(']');
    }

    /** trades not yet sent to this subscription, one message per instrument that has some (joined by the first) */
    private String tradesJson(Subscription sub) {
        StringBuilder out = null;
        for (Instrument ins : instruments.all()) {
            if (sub.instrument != null && sub.instrument.id() != ins.id() || sub.venue != null && ins.venue() != sub.venue) {
                continue;
            }
            Snapshots.Trades t = tap.trades(ins.id());
            long seen = sub.tradesSeen.getOrDefault(ins.id(), -1L);
            if (t == null || t.total == seen) {
                continue;
            }
            sub.tradesSeen.put(ins.id(), t.total);
            if (seen < 0) {
                seen = Math.max(0, t.total - 10);
            }
            int from = (int) Math.max(0, t.prices.length - (t.total - seen));
            if (out != null) {
                // one message per book: the rest wait for the next interval
                sub.tradesSeen.put(ins.id(), seen);
                continue;
            }
            out = new StringBuilder(256);
            out.append("{\"type\":\"trades\",\"venue\":").append(quote(ins.venue().configName()))
                    .append(",\"symbol\":").append(quote(ins.venueSymbol())).append(",\"trades\":[");
            for (int i = from; i < t.prices.length; i++) {
                if (i > from) {
                    out.append(',');
                }
                out.append("{\"price\":\"");
                ins.appendPrice(t.prices[i], out).append("\",\"size\":\"");
                ins.appendQuantity(t.sizes[i], out).append("\",\"side\":\"").append(t.buys[i] ? "buy" : "sell")
                        .append("\",\"ts\":").append(t.timestampsNanos[i] / 1_000_000).append('}');
            }
            out.append("]}");
        }
        return out == null ? null : out.toString();
    }

    private String quotesJson(StrategyView view) {
        StringBuilder out = new StringBuilder(256).append("{\"type\":\"quotes\",\"quotes\":[");
        if (view != null) {
            for (int i = 0; i < view.instruments(); i++) {
                Instrument ins = instruments.get(view.instrumentId(i));
                if (i > 0) {
                    out.append(',');
                }
                out.append("{\"venue\":").append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol()));
                out.append(",\"bid\":");
                price(out, ins, view.bidTicks(i));
                out.append(",\"bidSize\":");
                size(out, ins, view.bidTicks(i), view.bidLots(i));
                out.append(",\"ask\":");
                price(out, ins, view.askTicks(i));
                out.append(",\"askSize\":");
                size(out, ins, view.askTicks(i), view.askLots(i));
                out.append('}');
            }
        }
        out.append("],\"fairValue\":").append(view == null || view.fairValueNanos() == StrategyView.NONE ? "null"
                : quote(decimal(view.fairValueNanos(), 0)));
        out.append(",\"inventory\":").append(view == null || view.inventoryNanos() == StrategyView.NONE ? "null"
                : quote(decimal(view.inventoryNanos(), 0)));
        return out.append('}').toString();
    }

    private static void price(StringBuilder out, Instrument ins, long ticks) {
        if (ticks == StrategyView.NONE) {
            out.append("null");
        } else {
            ins.appendPrice(ticks, out.append('"')).append('"');
        }
    }

    private static void size(StringBuilder out, Instrument ins, long ticks, long lots) {
        if (ticks == StrategyView.NONE) {
            out.append("null");
        } else {
            ins.appendQuantity(lots, out.append('"')).append('"');
        }
    }

    private String positionsJson(RiskView view) {
        StringBuilder out = new StringBuilder(512).append("{\"type\":\"positions\",\"positions\":[");
        long total = 0;
        for (int id = 0; id < view.instruments() && id < instruments.size(); id++) {
            Instrument ins = instruments.get(id);
            long pnl = view.realizedNanos(id) + view.unrealizedNanos(id) - view.feesNanos(id);
            total += pnl;
            if (id > 0) {
                out.append(',');
            }
            out.append("{\"venue\":").append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol()))
                    .append(",\"position\":\"");
            ins.appendQuantity(view.positionLots(id), out).append('"');
            out.append(",\"pnl\":\"").append(decimal(pnl, 2)).append('"')
                    .append(",\"realized\":\"").append(decimal(view.realizedNanos(id), 2)).append('"')
                    .append(",\"unrealized\":\"").append(decimal(view.unrealizedNanos(id), 2)).append('"')
                    .append(",\"fees\":\"").append(decimal(view.feesNanos(id), 2)).append('"')
                    .append(",\"fills\":").append(view.fills(id)).append('}');
        }
        return out.append("],\"totalPnl\":\"").append(decimal(total, 2)).append("\"}").toString();
    }

    /**
     * The trading-states message, rebuilt at most once per tick; the same String instance while
     * nothing changed, so {@link #changed} (which compares by identity) sends it only on a change.
     * Risk publishes a state into its view on the CONTROL event that changes it.
     */
    private String tradingStates() {
        if (statesTick != ticks || statesJson == null) {
            statesTick = ticks;
            String json = tradingStatesJson(access.risk());
            if (!json.equals(statesJson)) {
                statesJson = json;
            }
        }
        return statesJson;
    }

    /**
     * Risk's trading state of every scope: global (and whether the pipeline halted itself: an
     * engine faulted or the engine is stopping, when only cancels go out whatever risk's state),
     * each venue that has instruments, each instrument with its own state and its effective one
     * (the strictest of its own, its venue's and the global state).
     */
    private String tradingStatesJson(RiskView risk) {
        PipelineHealth health;
        try {
            health = access.health();
        } catch (UnsupportedOperationException e) {
            health = null;
        }
        boolean pipelineHalted = health != null && health.tradingHalted();
        String haltReason = pipelineHalted ? health.haltReason() : null;
        TradingState global = risk.globalState();
        StringBuilder out = new StringBuilder(512).append("{\"type\":\"tradingStates\",\"global\":\"").append(global.name())
                .append("\",\"pipelineHalted\":").append(pipelineHalted)
                .append(",\"haltReason\":").append(haltReason == null ? "null" : quote(haltReason)).append(",\"venues\":[");
        boolean first = true;
        for (Venue venue : Venue.values()) {
            if (instruments.ofVenue(venue).isEmpty()) {
                continue;
            }
            out.append(first ? "" : ",").append("{\"venue\":").append(quote(venue.configName())).append(",\"state\":\"")
                    .append(risk.venueState(venue.id()).name()).append("\"}");
            first = false;
        }
        out.append("],\"instruments\":[");
        int n = Math.min(risk.instruments(), instruments.size());
        for (int id = 0; id < n; id++) {
            Instrument ins = instruments.get(id);
            TradingState own = risk.instrumentState(id);
            out.append(id == 0 ? "" : ",").append("{\"venue\":").append(quote(ins.venue().configName()))
                    .append(",\"symbol\":").append(quote(ins.venueSymbol())).append(",\"pair\":").append(quote(ins.pair()))
                    .append(",\"state\":\"").append(own.name()).append("\",\"effective\":\"")
                    .append(own.strictest(risk.venueState(ins.venue().id())).strictest(global).name()).append("\"}");
        }
        return out.append("]}").toString();
    }

    private String status() {
        StringBuilder out = new StringBuilder(512).append("{\"type\":\"status\",\"engines\":[");
        PipelineHealth health;
        try {
            health = access.health();
        } catch (UnsupportedOperationException e) {
            health = null;
        }
        if (health != null) {
            boolean first = true;
            for (EngineStatus e : health.engines()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append("{\"name\":").append(quote(e.name())).append(",\"state\":").append(quote(String.valueOf(e.state())))
                        .append(",\"lastSequence\":").append(e.lastSequence()).append(",\"backlog\":").append(e.backlog())
                        .append(",\"faults\":").append(e.faults()).append('}');
            }
        }
        out.append("],\"feeds\":[");
        MarketDataView books = access.books();
        for (Instrument ins : instruments.all()) {
            if (ins.id() > 0) {
                out.append(',');
            }
            BookState state = books == null || ins.id() >= books.instruments() ? BookState.SYNCING : books.state(ins.id());
            out.append("{\"venue\":").append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol()))
                    .append(",\"state\":\"").append(state.name()).append("\"}");
        }
        out.append("],\"tickToQuote\":");
        LatencySummary summary = null;
        try {
            summary = tickToQuote == null ? null : tickToQuote.get();
        } catch (RuntimeException e) {
            // read while the sampling thread writes: show nothing this second
        }
        if (summary == null) {
            out.append("null");
        } else {
            out.append("{\"p50Micros\":").append(summary.p50() / 1000.0).append(",\"p99Micros\":").append(summary.p99() / 1000.0)
                    .append(",\"count\":").append(summary.count()).append('}');
        }
        return out.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ------------------------------------------------------------------ sessions

    /** one subscription: what it asked for, and (dispatcher-owned) what it was sent */
    static final class Subscription {
        final String channel;
        String id;
        String key;
        Instrument instrument;
        Venue venue;
        String pair;
        List<Instrument> pairInstruments;
        int nLevels;
        int sigFigs;
        long lastSentNanos = Long.MIN_VALUE / 2;
        List<Object> lastVersion;
        final Map<Integer, Long> tradesSeen = new LinkedHashMap<>();

        Subscription(String channel) {
            this.channel = channel;
        }
    }

    /** one client: its bounded queue and the single send in flight */
    private final class StreamSession implements WriteCallback {
        final WsContext ctx;
        final Session session;
        final ArrayBlockingQueue<String> queue;
        final long connectedNanos;
        final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
        final AtomicBoolean sending = new AtomicBoolean();
        volatile String principal;
        volatile boolean closed;
        /** which slice of the dispatcher's round visits it */
        final int slot = (int) (slots.getAndIncrement() & Integer.MAX_VALUE);
        /** dispatcher-owned: the status message it was sent last */
        long statusVersion;

        StreamSession(WsContext ctx, int capacity, long connectedNanos) {
            this.ctx = ctx;
            this.session = ctx.session;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.connectedNanos = connectedNanos;
        }

        /** queues a message; false (and the session closed) when the queue is full */
        boolean offer(String json) {
            if (closed) {
                return false;
            }
            if (!queue.offer(json)) {
                slowConsumersClosed.incrementAndGet();
                close(POLICY_VIOLATION, "slow consumer: " + queue.size() + " messages queued");
                return false;
            }
            messagesQueued.incrementAndGet();
            pump();
            return true;
        }

        /** starts the next send unless one is in flight */
        private void pump() {
            while (!closed && !queue.isEmpty() && sending.compareAndSet(false, true)) {
                String next = queue.poll();
                if (next == null) {
                    sending.set(false);
                    continue;
                }
                try {
                    session.getRemote().sendString(next, this);
                } catch (RuntimeException e) {
                    sending.set(false);
                    close(1011, "send failed");
                }
                return;
            }
        }

        @Override
        public void writeSuccess() {
            sending.set(false);
            pump();
        }

        @Override
        public void writeFailed(Throwable x) {
            sending.set(false);
            close(1011, "send failed");
        }

        void close(int code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            sessions.remove(ctx.sessionId());
            queue.clear();
            try {
                session.close(code, reason);
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }
}
