package io.mme.bench;

import io.mme.venuegateway.VenueProtocol;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.mme.venuegateway.VenueProtocol.*;

/**
 * {@code ./mme bench venue}'s order entry session: one blocking TCP connection driven by two
 * threads, so that sending never waits on reading. The <b>sender</b> writes the requests that are
 * due by the plan (request i at {@code start + i / rate}) as one batch per write (every frame due
 * since the last write, up to 256 KiB) and parks while nothing is due; the <b>reader</b> blocks in
 * read, frames what arrives and records each request's first answer against its <i>planned</i> send
 * time in an HdrHistogram (no coordinated omission: a sender or venue that falls behind shows as
 * latency). Requests: even ones new GTC limit orders of 1-5 lots around a mid (about half cross),
 * odd ones cancel the new order sent {@value #CANCEL_LAG} new orders earlier. Nothing is allocated
 * per request (direct buffers, a flag array sized before the start).
 *
 * <p>Threads: the sender's fields belong to the sender thread, the reader's to the reader thread;
 * the main thread reads both after joining them ({@link #run}).
 */
final class VenueLoadClient {
    static final int CANCEL_LAG = 500;
    static final int INSTRUMENT = 1;
    private static final long MID = 100_000;
    private static final int BATCH_BYTES = 256 * 1024;

    private final SocketChannel channel;
    private final long rate;
    private final long total;
    private final long warmupRequests;
    private long start;

    // ---- the sender thread
    private final ByteBuffer out = ByteBuffer.allocateDirect(BATCH_BYTES).order(ORDER);
    private final SplittableRandom random = new SplittableRandom(20);
    /** planned send time → written, of the oldest request of each write */
    final Histogram sendLag = new Histogram(1, TimeUnit.SECONDS.toNanos(120), 3);
    long writes;
    long sendEnd;
    long senderCpuNanos;
    private volatile boolean draining = true;
    private volatile boolean sendFinished;

    // ---- the reader thread
    private final ByteBuffer in = ByteBuffer.allocateDirect(4 << 20).order(ORDER);
    final Histogram roundTrip = new Histogram(1, TimeUnit.SECONDS.toNanos(120), 3);
    private final boolean[] answeredFlags;
    volatile long answered;
    long duplicates;
    long fills;
    long venueHeartbeats;
    long lastAnswerAt;
    int endReason;
    volatile boolean closedByVenue;
    long readerCpuNanos;

    VenueLoadClient(InetSocketAddress venue, long sessionId, String token, long rate, long total, long warmupRequests)
            throws IOException {
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bench venue: " + total + " requests are more than one run can track");
        }
        this.rate = rate;
        this.total = total;
        this.warmupRequests = warmupRequests;
        this.answeredFlags = new boolean[(int) total];
        channel = SocketChannel.open(venue);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        login(sessionId, token);
    }

    private void login(long sessionId, String token) throws IOException {
        out.clear();
        zero(LOGIN_SIZE);
        out.put(TYPE, LOGIN).put(LOGIN_VERSION, VERSION).putLong(LOGIN_SESSION_ID, sessionId);
        out.put(LOGIN_TOKEN, token.getBytes(StandardCharsets.US_ASCII));
        out.limit(LOGIN_SIZE);
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer answer = ByteBuffer.allocate(LOGIN_ACCEPTED_SIZE).order(ORDER);
        while (answer.hasRemaining()) {
            if (channel.read(answer) < 0) {
                throw new IOException("bench venue: the venue closed the connection at login");
            }
        }
        if (answer.get(TYPE) != LOGIN_ACCEPTED) {
            throw new IOException("bench venue: login not accepted (message type " + (answer.get(TYPE) & 0xFF) + ", reason "
                    + (answer.getShort(SESSION_END_REASON) & 0xFFFF) + ")");
        }
    }

    /** planned send time of request i */
    private long planned(long i) {
        return start + i * 1_000_000_000L / rate;
    }

    /**
     * Sends the plan from {@code start} (System.nanoTime) and reads until every request is answered
     * or {@code drainNanos} after the last send; then closes the connection.
     */
    void run(long start, long drainNanos) throws InterruptedException {
        this.start = start;
        Thread reader = new Thread(this::read, "venue-bench-reader");
        Thread sender = new Thread(this::send, "venue-bench-sender");
        reader.start();
        sender.start();
        while (!sendFinished) {
            LockSupport.parkNanos(1_000_000);
        }
        long deadline = System.nanoTime() + drainNanos;
        while (answered < total && !closedByVenue && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        draining = false;
        try {
            channel.close(); // ends the reader's blocking read
        } catch (IOException e) {
            // closing
        }
        reader.join();
        sender.join();
    }

    private void send() {
        try {
            long next = 0;
            while (next < total) {
                long now = System.nanoTime();
                long due = now < start ? 0 : Math.min(total, (now - start) * rate / 1_000_000_000L + 1);
                if (next >= due) {
                    LockSupport.parkNanos(Math.max(1, Math.min(50_000, planned(next) - now)));
                    continue;
                }
                long oldest = planned(next);
                out.clear();
                while (next < due && out.remaining() >= NEW_ORDER_SIZE) {
                    encode(next++);
                }
                out.flip();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                writes++;
                sendLag.recordValue(Math.max(1, Math.min(System.nanoTime() - oldest, sendLag.getHighestTrackableValue())));
            }
            sendEnd = System.nanoTime();
            senderCpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            sendFinished = true;
            while (draining) { // keep the session alive while the answers come in (the venue's idle limit)
                LockSupport.parkNanos(500_000_000L);
                out.clear();
                zero(HEARTBEAT_SIZE);
                out.put(TYPE, HEARTBEAT).limit(HEARTBEAT_SIZE);
                channel.write(out);
            }
        } catch (IOException e) {
            if (sendEnd == 0) {
                sendEnd = System.nanoTime();
                senderCpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            }
            sendFinished = true;
        }
    }

    /** request i into the batch: even → a new order (client id i/2 + 1), odd → cancel of the new order CANCEL_LAG earlier */
    private void encode(long i) {
        long n = i / 2;
        int at = out.position();
        if ((i & 1) == 0) {
            zero(NEW_ORDER_SIZE);
            boolean buy = random.nextBoolean();
            // buys 99,996..100,003 and sells 99,997..100,004 ticks: about half the orders cross
            long price = buy ? MID - 4 + random.nextInt(8) : MID - 3 + random.nextInt(8);
            out.put(at + TYPE, NEW_ORDER).put(at + NEW_SIDE, (byte) (buy ? 0 : 1)).putInt(at + NEW_INSTRUMENT, INSTRUMENT)
                    .putLong(at + NEW_CLIENT_ORDER_ID, n + 1).putLong(at + NEW_PRICE, price)
                    .putLong(at + NEW_QUANTITY, 1 + random.nextInt(5));
            out.position(at + NEW_ORDER_SIZE);
        } else {
            zero(CANCEL_SIZE);
            long target = n - CANCEL_LAG;
            // the first CANCEL_LAG cancels name an order that never existed: answered CANCEL_REJECTED
            out.put(at + TYPE, CANCEL).putInt(at + CANCEL_INSTRUMENT, INSTRUMENT)
                    .putLong(at + CANCEL_CLIENT_ORDER_ID, target >= 0 ? target + 1 : 1L << 50 | n);
            out.position(at + CANCEL_SIZE);
        }
    }

    private void zero(int size) {
        int at = out.position();
        for (int i = 0; i < size; i += 8) {
            out.putLong(at + i, 0);
        }
    }

    private void read() {
        try {
            while (answered < total) {
                if (channel.read(in) < 0) {
                    closedByVenue = true;
                    return;
                }
                in.flip();
                while (in.remaining() >= 1) {
                    int at = in.position();
                    byte type = in.get(at);
                    int size = VenueProtocol.outboundSize(type);
                    if (size == 0) {
                        throw new IllegalStateException("bench venue: message type " + (type & 0xFF) + " from the venue");
                    }
                    if (in.remaining() < size) {
                        break;
                    }
                    onMessage(type, at);
                    in.position(at + size);
                }
                in.compact();
            }
        } catch (IOException e) {
            // closed by run() after the drain deadline, or by the venue
        } finally {
            readerCpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    private void onMessage(byte type, int at) {
        if (type == VENUE_HEARTBEAT) {
            venueHeartbeats++;
            return;
        }
        if (type == SESSION_END) {
            endReason = in.getShort(at + SESSION_END_REASON) & 0xFFFF;
            closedByVenue = true;
            return;
        }
        if (type != EXECUTION_REPORT) {
            return;
        }
        byte t = in.get(at + REPORT_EXEC_TYPE);
        long id = in.getLong(at + REPORT_CLIENT_ORDER_ID);
        long request;
        if (t == EXEC_ACCEPTED || t == EXEC_REJECTED) {
            request = 2 * (id - 1);
        } else if (t == EXEC_CANCELLED || t == EXEC_CANCEL_REJECTED) {
            long n = (id & (1L << 50)) != 0 ? id & ((1L << 50) - 1) : id - 1 + CANCEL_LAG;
            request = 2 * n + 1;
        } else {
            fills++;
            return;
        }
        long now = System.nanoTime();
        if (request < 0 || request >= answeredFlags.length || answeredFlags[(int) request]) {
            duplicates++;
            return;
        }
        answeredFlags[(int) request] = true;
        answered++;
        lastAnswerAt = now;
        if (request >= warmupRequests) {
            roundTrip.recordValue(Math.max(1, Math.min(now - planned(request), roundTrip.getHighestTrackableValue())));
        }
    }
}
