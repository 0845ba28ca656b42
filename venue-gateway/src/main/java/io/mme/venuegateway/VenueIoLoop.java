package io.mme.venuegateway;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

import static io.mme.venuegateway.VenueProtocol.*;

/**
 * The venue's I/O thread: accepts order entry connections, reads and frames their bytes (the type
 * byte says how many to wait for), checks logins, throttles and every field, and passes valid
 * commands to the matching thread through the command ring. It empties the output ring into each
 * session's bounded outbound buffer and into the two UDP streams, and keeps the last
 * {@value #RETAINED_REPORTS} execution stream messages to answer REPLAY_REQUEST. Every few
 * milliseconds it sweeps the sessions: a heartbeat to one it has sent nothing on for the heartbeat
 * interval, an end (IDLE_TIMEOUT) to one nothing has arrived on for the idle timeout. Nothing here blocks: sockets are
 * non-blocking, a full outbound buffer ends that session, a full command ring leaves the bytes in the
 * session's read buffer until there is room (TCP then pushes back on that client).
 *
 * <p>Thread: everything here belongs to the I/O thread, apart from {@link #stop()},
 * {@link #wakeIfSelecting()} and {@link #port()}, which any thread may call.
 */
final class VenueIoLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(VenueIoLoop.class);
    private final VenueConfig config;
    private final RingBuffer commands;
    private final RingBuffer output;
    private final VenueCounters counters;
    private final Selector selector;
    private final ServerSocketChannel acceptor;
    private final UdpStreamPublisher marketData;
    private final UdpStreamPublisher executions;
    private final IntHashSet instruments = new IntHashSet();
    private final Long2ObjectHashMap<byte[]> tokens = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<OrderEntrySession> activeById = new Long2ObjectHashMap<>();
    private final OrderEntrySession[] bySlot;
    private final int[] generations;
    private final int[] freeSlots;
    private int freeCount;
    /** slots whose SESSION_CLOSED could not be written yet (command ring full): retried each pass */
    private final int[] pendingClosures;
    private int pendingClosureCount;
    private final List<OrderEntrySession> sessions = new ArrayList<>();
    private final List<OrderEntrySession> dirty = new ArrayList<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(128).order(ORDER);
    private final UnsafeBuffer scratchView = new UnsafeBuffer(scratch);
    private final UnsafeBuffer readView = new UnsafeBuffer(0, 0);
    private final byte[] tokenBytes = new byte[TOKEN_LENGTH];
    private long executionSequence;
    /** execution stream messages kept for replays: sequence s at slot s & (RETAINED_REPORTS - 1) */
    static final int RETAINED_REPORTS = 1 << 16;
    private final UnsafeBuffer retained = new UnsafeBuffer(ByteBuffer.allocateDirect(RETAINED_REPORTS * REPORT_SIZE));
    private final long heartbeatNanos;
    private final long idleTimeoutNanos;
    private final long sweepNanos;
    private long nextSweep;
    private volatile boolean running = true;
    private final org.agrona.concurrent.MessageHandler outputHandler = this::onOutput;
    private final java.util.function.Consumer<SelectionKey> keyHandler = this::onKey;
    private volatile boolean selecting;
    private final int port;

    VenueIoLoop(VenueConfig config, RingBuffer commands, RingBuffer output, VenueCounters counters,
                LongPredicate dropMarketDataPacket, LongPredicate dropExecutionPacket) {
        this.config = config;
        this.heartbeatNanos = config.heartbeatMillis() * 1_000_000L;
        this.idleTimeoutNanos = config.idleTimeoutMillis() * 1_000_000L;
        this.sweepNanos = Math.max(1_000_000L, Math.min(heartbeatNanos, idleTimeoutNanos) / 4);
        this.commands = commands;
        this.output = output;
        this.counters = counters;
        config.books().forEach(b -> instruments.add(b.instrumentId()));
        for (Map.Entry<Long, String> e : config.credentials().entrySet()) {
            tokens.put(e.getKey().longValue(), Arrays.copyOf(e.getValue().getBytes(StandardCharsets.US_ASCII), TOKEN_LENGTH));
        }
        int max = config.maxSessions();
        bySlot = new OrderEntrySession[max];
        generations = new int[max];
        freeSlots = new int[max];
        pendingClosures = new int[max];
        for (int i = 0; i < max; i++) {
            freeSlots[i] = max - 1 - i;
        }
        freeCount = max;
        try {
            selector = Selector.open();
            acceptor = ServerSocketChannel.open();
            acceptor.bind(config.orderEntry());
            acceptor.configureBlocking(false);
            acceptor.register(selector, SelectionKey.OP_ACCEPT);
            port = ((InetSocketAddress) acceptor.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("venue: cannot listen on " + config.orderEntry(), e);
        }
        marketData = new UdpStreamPublisher(STREAM_MARKET_DATA, config.marketData(), config.multicastInterface(),
                config.packetBytes(), dropMarketDataPacket, counters);
        executions = new UdpStreamPublisher(STREAM_EXECUTIONS, config.executions(), config.multicastInterface(),
                config.packetBytes(), dropExecutionPacket, counters);
    }

    int port() {
        return port;
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    /** called by the matching thread after it wrote output: wakes the I/O thread if it sleeps in select */
    void wakeIfSelecting() {
        if (selecting) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                // the action form of select: no selected-key set and no iterator to allocate per pass
                int work = selector.selectNow(keyHandler);
                work += retryPending();
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + sweepNanos;
                }
                work += drainOutput();
                if (work == 0) {
                    selecting = true;
                    if (output.size() == 0) {
                        selector.select(keyHandler, 1);
                    }
                    selecting = false;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("venue: the I/O loop failed", e);
        } finally {
            for (OrderEntrySession s : new ArrayList<>(sessions)) {
                end(s, GatewayReason.VENUE_CLOSING, 0);
            }
            closeQuietly();
        }
    }

    private void onKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            try {
                accept();
            } catch (IOException e) {
                log.warn("venue: accepting a connection: {}", e.toString());
            }
            return;
        }
        OrderEntrySession s = (OrderEntrySession) key.attachment();
        if (key.isWritable()) {
            flushOrEnd(s);
        }
        if (!s.closed && key.isValid() && key.isReadable()) {
            read(s);
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = acceptor.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            OrderEntrySession s = new OrderEntrySession(ch, key,
                    config.outboundBufferBytes(), new OrderThrottle(config.ordersPerSecond(), config.floodRejects()));
            key.attach(s);
            sessions.add(s);
        }
    }

    private void read(OrderEntrySession s) {
        int n;
        try {
            n = s.channel.read(s.in);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            if (s.in.position() > 0) {
                end(s, GatewayReason.SHORT_FRAME, s.in.position());
            } else {
                end(s, null, 0);
            }
            return;
        }
        if (n > 0) {
            s.receivedSinceSweep = true;
        }
        parse(s);
    }

    /**
     * Heartbeats and idle timeouts, at most every quarter of the shorter of the two limits: no clock
     * read per message, the sweep's clock is each session's "last seen" (accurate to a sweep).
     */
    private void sweep(long now) {
        for (int i = sessions.size() - 1; i >= 0; i--) { // end() removes the session it ends
            OrderEntrySession s = sessions.get(i);
            if (s.receivedSinceSweep) {
                s.receivedSinceSweep = false;
                s.lastReceivedNanos = now;
            } else if (now - s.lastReceivedNanos > idleTimeoutNanos) {
                end(s, GatewayReason.IDLE_TIMEOUT, config.idleTimeoutMillis());
                continue;
            }
            if (s.sentSinceSweep) {
                s.sentSinceSweep = false;
                s.lastSentNanos = now;
            } else if (s.loggedIn && now - s.lastSentNanos >= heartbeatNanos) {
                scratchView.setMemory(0, HEARTBEAT_SIZE, (byte) 0);
                scratchView.putByte(TYPE, VENUE_HEARTBEAT);
                sendToSession(s, scratchView, 0, HEARTBEAT_SIZE);
                counters.heartbeatOut();
                s.sentSinceSweep = false;
                s.lastSentNanos = now;
            }
        }
    }

    /** frames and handles every whole message in the session's read buffer */
    private void parse(OrderEntrySession s) {
        ByteBuffer in = s.in;
        in.flip();
        readView.wrap(in, 0, in.capacity());
        s.inputPending = false;
        while (!s.closed && in.remaining() >= 1) {
            int at = in.position();
            byte type = in.get(at);
            int size = inboundSize(type);
            if (size == 0) {
                end(s, GatewayReason.UNKNOWN_MESSAGE_TYPE, type & 0xFF);
                return;
            }
            if (in.remaining() < size) {
                break;
            }
            if (!handle(s, type, readView, at)) {
                s.inputPending = true; // the command ring is full: keep the message and try again
                break;
            }
            counters.messageIn();
            in.position(at + size);
        }
        if (!s.closed) {
            in.compact();
        }
    }

    /** one whole message; false when it must wait for room in the command ring */
    private boolean handle(OrderEntrySession s, byte type, DirectBuffer m, int at) {
        if (type == LOGIN) {
            return login(s, m, at);
        }
        if (!s.loggedIn) {
            end(s, GatewayReason.NOT_LOGGED_IN, type);
            return true;
        }
        long now = System.nanoTime();
        switch (type) {
            case LOGOUT -> {
                end(s, GatewayReason.LOGOUT, 0);
                return true;
            }
            case HEARTBEAT -> {
                return true; // its arrival is all it says (the sweep saw bytes arrive)
            }
            case REPLAY_REQUEST -> {
                // each answer costs this thread up to 45 KB of copying: it counts against the throttle
                if (!s.throttle.tryAcquire(now)) {
                    if (s.throttle.rejectedIsFlood(now)) {
                        end(s, GatewayReason.FLOOD, config.floodRejects());
                    } else {
                        reject(s, EXEC_REJECTED, m, at, 0, 0, GatewayReason.THROTTLED);
                    }
                    return true;
                }
                replay(s, m, at);
                return true;
            }
            case SNAPSHOT_REQUEST -> {
                int instrument = m.getInt(at + SNAPSHOT_REQUEST_INSTRUMENT);
                if (instrument != 0 && !instruments.contains(instrument)) {
                    reject(s, EXEC_REJECTED, m, at, instrument, 0, GatewayReason.UNKNOWN_INSTRUMENT);
                    return true;
                }
                return forward(s, m, at, SNAPSHOT_REQUEST_SIZE);
            }
            case NEW_ORDER, CANCEL, REPLACE -> {
                GatewayReason bad = validate(type, m, at);
                byte rejectType = type == NEW_ORDER ? EXEC_REJECTED : EXEC_CANCEL_REJECTED;
                long clientId = m.getLong(at + 8);
                if (bad != null) {
                    reject(s, rejectType, m, at, m.getInt(at + 4), clientId, bad);
                    return true;
                }
                if (commands.capacity() - commands.size() < 256) {
                    return false; // do not spend a throttle token on a message that waits
                }
                if (!s.throttle.tryAcquire(now)) {
                    if (s.throttle.rejectedIsFlood(now)) {
                        end(s, GatewayReason.FLOOD, config.floodRejects());
                    } else {
                        reject(s, rejectType, m, at, m.getInt(at + 4), clientId, GatewayReason.THROTTLED);
                    }
                    return true;
                }
                return forward(s, m, at, inboundSize(type));
            }
            default -> throw new IllegalStateException("venue: no handler for message type " + type);
        }
    }

    /** the first field out of range, or null */
    private GatewayReason validate(byte type, DirectBuffer m, int at) {
        if (!instruments.contains(m.getInt(at + 4))) {
            return GatewayReason.UNKNOWN_INSTRUMENT;
        }
        if (m.getLong(at + 8) <= 0) {
            return GatewayReason.BAD_CLIENT_ORDER_ID;
        }
        if (type == NEW_ORDER) {
            byte side = m.getByte(at + NEW_SIDE);
            if (side != 0 && side != 1) {
                return GatewayReason.BAD_SIDE;
            }
            byte tif = m.getByte(at + NEW_TIF);
            if (tif < 0 || tif > 2) {
                return GatewayReason.BAD_TIME_IN_FORCE;
            }
            if ((m.getByte(at + NEW_FLAGS) & ~FLAG_POST_ONLY) != 0) {
                return GatewayReason.BAD_FLAGS;
            }
            return priceAndQuantity(m.getLong(at + NEW_PRICE), m.getLong(at + NEW_QUANTITY));
        }
        if (type == REPLACE) {
            return priceAndQuantity(m.getLong(at + REPLACE_PRICE), m.getLong(at + REPLACE_QUANTITY));
        }
        return null;
    }

    private static GatewayReason priceAndQuantity(long price, long quantity) {
        if (price <= 0 || price > MAX_PRICE) {
            return GatewayReason.BAD_PRICE;
        }
        if (quantity <= 0 || quantity > MAX_QUANTITY) {
            return GatewayReason.BAD_QUANTITY;
        }
        return null;
    }

    private boolean login(OrderEntrySession s, DirectBuffer m, int at) {
        long id = m.getLong(at + LOGIN_SESSION_ID);
        if (s.loggedIn) {
            end(s, GatewayReason.SESSION_ALREADY_ACTIVE, id);
            return true;
        }
        if (m.getByte(at + LOGIN_VERSION) != VERSION) {
            end(s, GatewayReason.BAD_VERSION, m.getByte(at + LOGIN_VERSION));
            return true;
        }
        byte[] expected = tokens.get(id);
        m.getBytes(at + LOGIN_TOKEN, tokenBytes);
        if (expected == null || !java.security.MessageDigest.isEqual(expected, tokenBytes)) {
            end(s, GatewayReason.BAD_CREDENTIALS, id);
            return true;
        }
        if (activeById.containsKey(id)) {
            end(s, GatewayReason.SESSION_ALREADY_ACTIVE, id);
            return true;
        }
        if (freeCount == 0) {
            end(s, GatewayReason.TOO_MANY_SESSIONS, config.maxSessions());
            return true;
        }
        int index = commands.tryClaim(VenueRings.CMD_SESSION_OPENED, 16);
        if (index < 0) {
            return false;
        }
        int slot = freeSlots[--freeCount];
        int generation = ++generations[slot];
        MutableDirectBuffer b = commands.buffer();
        b.putInt(index + VenueRings.CMD_SESSION_INDEX, slot);
        b.putInt(index + VenueRings.CMD_GENERATION, generation);
        b.putLong(index + VenueRings.CMD_SESSION_ID, id);
        commands.commit(index);
        s.loggedIn = true;
        s.sessionId = id;
        s.index = slot;
        s.generation = generation;
        bySlot[slot] = s;
        activeById.put(id, s);
        counters.sessionOpened();
        scratch.clear();
        scratch.put(TYPE, LOGIN_ACCEPTED);
        for (int i = 1; i < 8; i++) {
            scratch.put(i, (byte) 0);
        }
        scratch.putLong(LOGIN_ACCEPTED_SESSION_ID, id);
        sendToSession(s, scratchView, 0, LOGIN_ACCEPTED_SIZE);
        return true;
    }

    /**
     * Answers a REPLAY_REQUEST from the kept execution stream messages, on this thread (the matching
     * thread never sees it): REPLAY_BEGIN (first, count), then the reports. From the oldest still
     * kept, up to the last one published, at most REPLAY_MAX_REPORTS; the client asks again for more.
     */
    private void replay(OrderEntrySession s, DirectBuffer m, int at) {
        long from = m.getLong(at + REPLAY_FROM);
        long to = m.getLong(at + REPLAY_TO);
        if (from < 1 || to < from) {
            reject(s, EXEC_REJECTED, m, at, 0, 0, GatewayReason.BAD_REPLAY_RANGE);
            return;
        }
        long oldest = Math.max(1, executionSequence - RETAINED_REPORTS + 1);
        long first = Math.max(from, oldest);
        long last = Math.min(Math.min(to, executionSequence), first + REPLAY_MAX_REPORTS - 1);
        int count = (int) Math.max(0, last - first + 1);
        counters.replayed(count);
        scratchView.setMemory(0, REPLAY_BEGIN_SIZE, (byte) 0);
        scratchView.putByte(TYPE, REPLAY_BEGIN);
        scratchView.putLong(REPLAY_FIRST, first);
        scratchView.putInt(REPLAY_COUNT, count);
        sendToSession(s, scratchView, 0, REPLAY_BEGIN_SIZE);
        for (long seq = first; seq <= last && !s.closed; seq++) {
            sendToSession(s, retained, (int) (seq & (RETAINED_REPORTS - 1)) * REPORT_SIZE, REPORT_SIZE);
        }
    }

    /** copies a validated message into the command ring; false when the ring has no room */
    private boolean forward(OrderEntrySession s, DirectBuffer m, int at, int size) {
        int index = commands.tryClaim(VenueRings.CMD_WIRE, VenueRings.CMD_HEADER + size);
        if (index < 0) {
            return false;
        }
        MutableDirectBuffer b = commands.buffer();
        b.putInt(index + VenueRings.CMD_SESSION_INDEX, s.index);
        b.putInt(index + VenueRings.CMD_GENERATION, s.generation);
        b.putLong(index + VenueRings.CMD_SESSION_ID, s.sessionId);
        b.putBytes(index + VenueRings.CMD_HEADER, m, at, size);
        commands.commit(index);
        return true;
    }

    /** a gateway reject: an EXECUTION_REPORT to the session only (the book never saw the message) */
    private void reject(OrderEntrySession s, byte execType, DirectBuffer m, int at, int instrument, long clientId,
                        GatewayReason reason) {
        counters.reason(reason);
        scratchView.setMemory(0, REPORT_SIZE, (byte) 0);
        scratchView.putByte(TYPE, EXECUTION_REPORT);
        scratchView.putByte(REPORT_EXEC_TYPE, execType);
        byte type = m.getByte(at);
        scratchView.putByte(REPORT_SIDE, type == NEW_ORDER ? m.getByte(at + NEW_SIDE) : (byte) 255);
        scratchView.putInt(REPORT_INSTRUMENT, instrument);
        scratchView.putLong(REPORT_CLIENT_ORDER_ID, clientId);
        if (type == NEW_ORDER || type == REPLACE) {
            scratchView.putLong(REPORT_PRICE, m.getLong(at + 16));
        }
        scratchView.putLong(REPORT_TIMESTAMP, System.nanoTime());
        scratchView.putInt(REPORT_REASON, reason.code());
        scratchView.putLong(REPORT_SESSION_ID, s.sessionId);
        sendToSession(s, scratchView, 0, REPORT_SIZE);
    }

    private void sendToSession(OrderEntrySession s, DirectBuffer m, int at, int size) {
        if (s.closed) {
            return;
        }
        if (!s.append(m, at, size)) {
            end(s, GatewayReason.SLOW_CONSUMER, s.out.capacity());
            return;
        }
        s.sentSinceSweep = true;
        if (s.out.position() == size) {
            dirty.add(s); // first bytes since the last flush
        }
    }

    private int retryPending() {
        int work = 0;
        while (pendingClosureCount > 0 && writeClosure(pendingClosures[pendingClosureCount - 1])) {
            pendingClosureCount--;
            work++;
        }
        for (int i = 0; i < sessions.size(); i++) {
            OrderEntrySession s = sessions.get(i);
            if (s.inputPending && !s.closed) {
                parse(s);
                work++;
            }
        }
        return work;
    }

    /** empties the output ring into the sessions and the UDP streams, then flushes all of them */
    private int drainOutput() {
        int n = output.read(outputHandler, 4096);
        marketData.flush();
        executions.flush();
        for (int i = 0; i < dirty.size(); i++) {
            flushOrEnd(dirty.get(i));
        }
        dirty.clear();
        return n;
    }

    private void onOutput(int kind, MutableDirectBuffer b, int index, int length) {
        if (kind == VenueRings.OUT_MARKET_DATA) {
            marketData.add(b.getLong(index + VenueRings.OUT_SEQUENCE), b, index + VenueRings.OUT_HEADER,
                    length - VenueRings.OUT_HEADER);
            return;
        }
        int slot = b.getInt(index + VenueRings.OUT_SESSION_INDEX);
        int generation = b.getInt(index + VenueRings.OUT_GENERATION);
        int at = index + VenueRings.OUT_HEADER;
        int size = length - VenueRings.OUT_HEADER;
        if (b.getByte(at) == EXECUTION_REPORT) {
            counters.reportOut();
            long seq = ++executionSequence;
            retained.putBytes((int) (seq & (RETAINED_REPORTS - 1)) * REPORT_SIZE, b, at, REPORT_SIZE);
            executions.add(seq, b, at, size);
        }
        OrderEntrySession s = bySlot[slot];
        if (s != null && s.generation == generation) {
            sendToSession(s, b, at, size);
        }
    }

    private void flushOrEnd(OrderEntrySession s) {
        try {
            s.flush();
        } catch (IOException e) {
            end(s, null, 0);
        }
    }

    /** ends a session: a SESSION_END with the reason when it fits, close, and the matching thread told */
    private void end(OrderEntrySession s, GatewayReason reason, long detail) {
        if (s.closed) {
            return;
        }
        if (reason != null) {
            counters.reason(reason);
            log.info("venue: session {} ended: {} ({})", s.sessionId, reason, detail);
            if (reason != GatewayReason.SLOW_CONSUMER) {
                ByteBuffer m = ByteBuffer.allocate(SESSION_END_SIZE).order(ORDER); // rare: session ends only
                m.put(TYPE, SESSION_END);
                m.putShort(SESSION_END_REASON, (short) reason.code());
                m.putLong(SESSION_END_DETAIL, detail);
                if (s.append(m)) {
                    try {
                        s.flush();
                    } catch (IOException ignored) {
                        // the peer is gone: it cannot read the reason either
                    }
                }
            }
        }
        s.closed = true;
        s.key.cancel();
        try {
            s.channel.close();
        } catch (IOException ignored) {
            // closing a socket that failed
        }
        sessions.remove(s);
        if (s.loggedIn) {
            activeById.remove(s.sessionId);
            bySlot[s.index] = null;
            if (!writeClosure(s.index)) {
                pendingClosures[pendingClosureCount++] = s.index;
            }
        }
    }

    /** tells the matching thread a session ended (its orders are cancelled) and frees the slot */
    private boolean writeClosure(int slot) {
        int index = commands.tryClaim(VenueRings.CMD_SESSION_CLOSED, 16);
        if (index < 0) {
            return false;
        }
        commands.buffer().putInt(index + VenueRings.CMD_SESSION_INDEX, slot);
        commands.buffer().putInt(index + VenueRings.CMD_GENERATION, generations[slot]);
        commands.buffer().putLong(index + VenueRings.CMD_SESSION_ID, 0);
        commands.commit(index);
        freeSlots[freeCount++] = slot;
        return true;
    }

    long marketDataDroppedAtSend() {
        return marketData.droppedAtSend();
    }

    private void closeQuietly() {
        marketData.close();
        executions.close();
        try {
            acceptor.close();
            selector.close();
        } catch (IOException e) {
            log.debug("venue: closing the order entry port: {}", e.toString());
        }
    }
}
