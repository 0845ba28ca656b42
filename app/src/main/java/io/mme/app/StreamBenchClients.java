package io.mme.app;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client side of {@code ./mme bench stream}, run in its own JVM by {@link StreamBenchmark}: N
 * WebSocket clients on loopback, each subscribed as the web page is (every venue book and each
 * pair's consolidated book, 10 levels; quotes, positions, trades of all venues, trading states;
 * status comes to every client). A minimal WebSocket client on one NIO selector thread (upgrade
 * without extensions, masked text frames out, unmasked frames in), so that the load generator
 * costs as little CPU as it can on the machine it shares with the engine. After a warm-up it
 * counts, over the measured window, each client's data messages, the lag of each (this machine's
 * clock when the frame is parsed minus the message's {@code sentUs}, when the server built it),
 * the gaps in each stream's seq, and whether the client saw trades of every venue. Prints
 * {@link #MEASURING} when the window opens and one {@link #RESULT} line at the end.
 *
 * <p>Threads: the selector thread owns the connections and counters; main connects through it,
 * waits, and reads the counters after the window (the measuring flag is volatile; counters are read
 * after the selector thread stopped).
 *
 * <p>Arguments: port token clients warmupSeconds seconds venue:symbol,... pair,... [deflate]; with
 * {@code deflate} the clients offer permessage-deflate, as browsers do, and inflate what comes
 * compressed (one inflater per connection: the server keeps its context between messages).
 */
public final class StreamBenchClients {
    static final String RESULT = "stream-bench-result ";
    static final String MEASURING = "stream-bench-measuring";

    private static final byte[] SENT_US = bytes("\"sentUs\":");
    private static final byte[] SEQ = bytes("\"seq\":");
    private static final byte[] ID = bytes("\"id\":\"");
    private static final byte[] SNAPSHOT_TRUE = bytes("\"snapshot\":true");
    private static final byte[] TRADES = bytes("{\"type\":\"trades\"");

    private StreamBenchClients() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** one connection: its buffers and counters (selector thread) */
    static final class Conn {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        final ByteBuffer out;
        boolean upgraded;
        long messages;
        long gaps;
        boolean closed;
        final boolean[] tradeVenues;
        final Map<Long, long[]> seqs = new HashMap<>();
        final java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        byte[] inflated = new byte[1 << 16];

        Conn(SocketChannel channel, ByteBuffer out, int venues) {
            this.channel = channel;
            this.out = out;
            this.tradeVenues = new boolean[venues];
        }
    }

    private static volatile boolean measuring;
    private static final Histogram LAG = new Histogram(3_600_000_000L, 3);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String token = args[1];
        int n = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        List<String> subscriptions = new ArrayList<>();
        List<byte[]> venues = new ArrayList<>();
        List<String> venueNames = new ArrayList<>();
        for (String b : args[5].split(",")) {
            String[] vs = b.split(":", 2);
            subscriptions.add("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"" + vs[0] + "\",\"symbol\":\"" + vs[1] + "\",\"nLevels\":10}");
            if (!venueNames.contains(vs[0])) {
                venueNames.add(vs[0]);
                venues.add(bytes("\"venue\":\"" + vs[0] + "\""));
            }
        }
        if (args.length > 6 && !args[6].isEmpty()) {
            for (String p : args[6].split(",")) {
                subscriptions.add("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"pair\":\"" + p + "\",\"nLevels\":10}");
            }
        }
        for (String channel : List.of("quotes", "positions", "trades", "tradingStates")) {
            subscriptions.add("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        }
        boolean deflate = args.length > 7 && args[7].equals("deflate");
        byte[] upgrade = bytes("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n");
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        for (String s : subscriptions) {
            frames.write(maskedText(s));
        }
        byte[] subscribe = frames.toByteArray();

        Selector selector = Selector.open();
        List<Conn> conns = new ArrayList<>();
        // connect in waves of 100 (the server's accept queue), each upgraded and subscribed before the next wave
        for (int i = 0; i < n; i += 100) {
            List<Conn> wave = new ArrayList<>();
            for (int k = i; k < Math.min(n, i + 100); k++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                ByteBuffer out = ByteBuffer.allocate(upgrade.length + subscribe.length);
                out.put(upgrade).put(subscribe).flip();
                Conn c = new Conn(ch, out, venues.size());
                ch.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, c);
                wave.add(c);
            }
            conns.addAll(wave);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (wave.stream().anyMatch(c -> !c.upgraded && !c.closed) && System.nanoTime() < deadline) {
                poll(selector, venues, 10);
            }
        }
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        while (System.nanoTime() < warmupEnd) {
            poll(selector, venues, 10);
        }
        LAG.reset();
        for (Conn c : conns) {
            c.messages = 0;
        }
        measuring = true;
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        System.out.println(MEASURING);
        System.out.flush();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            poll(selector, venues, 10);
        }
        measuring = false;
        double window = (System.nanoTime() - start) / 1e9;
        double cpu = (cpuNanos() - cpuStart) / 1e9;
        double[] rates = new double[n];
        long gaps = 0;
        int closed = 0;
        int allVenues = 0;
        int upgraded = 0;
        for (int i = 0; i < n; i++) {
            Conn c = conns.get(i);
            rates[i] = c.messages / window;
            gaps += c.gaps;
            closed += c.closed ? 1 : 0;
            upgraded += c.upgraded ? 1 : 0;
            boolean all = true;
            for (boolean b : c.tradeVenues) {
                all &= b;
            }
            allVenues += all ? 1 : 0;
        }
        Arrays.sort(rates);
        double mean = Arrays.stream(rates).average().orElse(0);
        System.out.println(String.format(Locale.ROOT, RESULT + "clients=%d upgraded=%d seconds=%.2f rateMin=%.2f rateP50=%.2f rateMean=%.2f"
                        + " rateMax=%.2f lagP50Us=%d lagP99Us=%d lagMaxUs=%d lagCount=%d gaps=%d closed=%d allVenueTrades=%d cpuSeconds=%.2f",
                n, upgraded, window, rates[0], rates[n / 2], mean, rates[n - 1], LAG.getValueAtPercentile(50), LAG.getValueAtPercentile(99),
                LAG.getMaxValue(), LAG.getTotalCount(), gaps, closed, allVenues, cpu));
        System.out.flush();
        for (Conn c : conns) {
            c.channel.close();
        }
        System.exit(0);
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static byte[] maskedText(String text) {
        byte[] payload = bytes(text);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    private static void poll(Selector selector, List<byte[]> venues, long millis) throws IOException {
        selector.select(millis);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Conn c = (Conn) key.attachment();
            try {
                if (key.isValid() && key.isWritable()) {
                    c.channel.write(c.out);
                    if (!c.out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isValid() && key.isReadable()) {
                    if (c.channel.read(c.in) < 0) {
                        c.closed = true;
                        key.cancel();
                        continue;
                    }
                    parse(c, venues);
                }
            } catch (IOException e) {
                c.closed = true;
                key.cancel();
            }
        }
    }

    /** the upgrade's answer, then as many whole frames as the buffer holds */
    private static void parse(Conn c, List<byte[]> venues) {
        ByteBuffer in = c.in;
        in.flip();
        if (!c.upgraded) {
            int end = indexOf(in, 0, in.limit(), bytes("\r\n\r\n"));
            if (end < 0) {
                in.compact();
                return;
            }
            if (in.get(9) != '1' || in.get(10) != '0' || in.get(11) != '1') {
                c.closed = true;
                in.clear();
                return;
            }
            c.upgraded = true;
            in.position(end + 4);
        }
        while (in.remaining() >= 2) {
            int at = in.position();
            int b0 = in.get(at) & 0xff;
            int b1 = in.get(at + 1) & 0x7f;
            int header = 2;
            long len = b1;
            if (b1 == 126) {
                if (in.remaining() < 4) {
                    break;
                }
                len = ((in.get(at + 2) & 0xff) << 8) | (in.get(at + 3) & 0xff);
                header = 4;
            } else if (b1 == 127) {
                if (in.remaining() < 10) {
                    break;
                }
                len = in.getLong(at + 2);
                header = 10;
            }
            if (header + len > in.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(in.capacity() * 2L, header + len + 1024));
                bigger.put(in);
                c.in = bigger;
                return;
            }
            if (in.remaining() < header + len) {
                break;
            }
            int from = at + header;
            int to = (int) (from + len);
            int opcode = b0 & 0x0f;
            if (opcode == 0x8) {
                c.closed = true;
            } else if ((opcode == 0x1 || opcode == 0x0) && (b0 & 0x40) != 0) {
                inflate(c, in, from, to, venues);
            } else if (opcode == 0x1 || opcode == 0x0) {
                message(c, in, from, to, venues);
            }
            in.position(to);
        }
        in.compact();
    }

    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    /** a compressed message (RSV1): inflated with the connection's inflater and its RFC 7692 tail, then read */
    private static void inflate(Conn c, ByteBuffer in, int from, int to, List<byte[]> venues) {
        byte[] compressed = new byte[to - from + TAIL.length];
        in.get(from, compressed, 0, to - from);
        System.arraycopy(TAIL, 0, compressed, to - from, TAIL.length);
        c.inflater.setInput(compressed);
        int n = 0;
        try {
            while (true) {
                n += c.inflater.inflate(c.inflated, n, c.inflated.length - n);
                if (n < c.inflated.length) {
                    break;
                }
                c.inflated = Arrays.copyOf(c.inflated, c.inflated.length * 2);
            }
        } catch (java.util.zip.DataFormatException e) {
            c.closed = true;
            return;
        }
        message(c, ByteBuffer.wrap(c.inflated, 0, n), 0, n, venues);
    }

    private static void message(Conn c, ByteBuffer in, int from, int to, List<byte[]> venues) {
        int sent = indexOf(in, from, Math.min(to, from + 200), SENT_US);
        if (sent < 0) {
            return; // replies (subscribed) carry no header
        }
        long nowMicros;
        java.time.Instant now = java.time.Instant.now();
        nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        int id = indexOf(in, from, sent, ID);
        long hash = 1125899906842597L;
        for (int i = id + ID.length; i < to && in.get(i) != '"'; i++) {
            hash = 31 * hash + in.get(i);
        }
        int seqAt = indexOf(in, from, sent, SEQ);
        long seq = number(in, seqAt + SEQ.length);
        boolean snapshot = indexOf(in, from, sent, SNAPSHOT_TRUE) >= 0;
        long[] last = c.seqs.computeIfAbsent(hash, k -> new long[]{-1});
        if (!snapshot && seq != last[0] + 1) {
            c.gaps++;
        }
        last[0] = seq;
        if (indexOf(in, from, from + TRADES.length, TRADES) == from) {
            for (int v = 0; v < venues.size(); v++) {
                if (!c.tradeVenues[v] && indexOf(in, from, to, venues.get(v)) >= 0) {
                    c.tradeVenues[v] = true;
                }
            }
        }
        if (measuring) {
            c.messages++;
            LAG.recordValue(Math.max(0, nowMicros - number(in, sent + SENT_US.length)));
        }
    }

    private static long number(ByteBuffer in, int at) {
        long v = 0;
        for (int i = at; i < in.limit(); i++) {
            byte b = in.get(i);
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    private static int indexOf(ByteBuffer in, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (in.get(i + k) != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
