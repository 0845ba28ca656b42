package io.mme.venuegateway;

import io.mme.matching.BookConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a venue server until its standard input closes (so a parent process that dies takes it
 * along) or it is signalled: {@code ./mme venue --help}. Prints one line {@code venue: ready port=N}
 * once it accepts connections, and its counters when it stops. Main thread only.
 */
public final class VenueServerMain {
    private VenueServerMain() {
    }

    static final String USAGE = """
            usage: ./mme venue [OPTIONS]   (the matching engine as a venue on loopback; docs/VENUE-PROTOCOL.md)
              --port N              order entry TCP port on 127.0.0.1 (0: any free port; default 0)
              --md GROUP:PORT       market data stream (default 239.255.20.1:40501; a non-multicast address is unicast)
              --exec GROUP:PORT     execution report stream (default 239.255.20.2:40502)
              --iface NAME          the multicast interface (default lo)
              --instruments N       books for instruments 1..N (default 1)
              --session ID:TOKEN    a session that may log in (repeatable; default 1:token-1 and 2:token-2)
              --orders-per-second N each session's throttle (default 10000)
              --flood N             throttle rejects within a second that end a session (default = the throttle)
              --outbound-bytes N    each session's outbound buffer (default 262144)
              --heartbeat-ms N      a heartbeat on a session the venue has sent nothing on for N ms (default 1000)
              --idle-timeout-ms N   a session nothing arrived on for N ms is ended (default 5000)
              --packet-bytes N      largest UDP packet of both streams (default 1472; up to 65507 on loopback)
            """;

    public static void main(String[] args) throws IOException {
        VenueConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("venue: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.print(USAGE);
            return;
        }
        VenueServer server = new VenueServer(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            String cpu = server.cpuSummary();
            server.close();
            System.out.println("venue: stopped " + server.counters().summary() + " " + cpu);
        }, "mme-venue-shutdown"));
        System.out.println("venue: ready port=" + server.orderEntryPort() + " md=" + config.marketData()
                + " exec=" + config.executions() + " iface=" + config.multicastInterface());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until standard input closes
        }
        System.exit(0);
    }

    /** the configuration the arguments ask for; null for --help */
    static VenueConfig parse(String[] args) {
        int port = 0;
        InetSocketAddress md = new InetSocketAddress("239.255.20.1", 40501);
        InetSocketAddress exec = new InetSocketAddress("239.255.20.2", 40502);
        String iface = "lo";
        int instruments = 1;
        Map<Long, String> sessions = new LinkedHashMap<>();
        int rate = 10_000;
        int flood = -1;
        int outbound = 256 * 1024;
        int heartbeat = VenueConfig.DEFAULT_HEARTBEAT_MILLIS;
        int idle = VenueConfig.DEFAULT_IDLE_TIMEOUT_MILLIS;
        int packet = VenueProtocol.MAX_PACKET_SIZE;
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("--help") || key.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + key + " needs a value");
            }
            String value = args[++i];
            switch (key) {
                case "--port" -> port = (int) number(key, value, 0, 65535);
                case "--md" -> md = address(key, value);
                case "--exec" -> exec = address(key, value);
                case "--iface" -> iface = value;
                case "--instruments" -> instruments = (int) number(key, value, 1, 1024);
                case "--session" -> {
                    int colon = value.indexOf(':');
                    if (colon < 1) {
                        throw new IllegalArgumentException("option --session: '" + value + "' is not ID:TOKEN");
                    }
                    sessions.put(number(key, value.substring(0, colon), 1, Long.MAX_VALUE), value.substring(colon + 1));
                }
                case "--orders-per-second" -> rate = (int) number(key, value, 1, 100_000_000);
                case "--flood" -> flood = (int) number(key, value, 1, Integer.MAX_VALUE);
                case "--outbound-bytes" -> outbound = (int) number(key, value, 4096, 1 << 30);
                case "--heartbeat-ms" -> heartbeat = (int) number(key, value, 1, 3_600_000);
                case "--idle-timeout-ms" -> idle = (int) number(key, value, 2, 3_600_000);
                case "--packet-bytes" -> packet = (int) number(key, value, VenueProtocol.PACKET_HEADER_SIZE + VenueProtocol.REPORT_SIZE,
                        VenueProtocol.LARGEST_PACKET_SIZE);
                default -> throw new IllegalArgumentException("unknown option " + key);
            }
        }
        if (sessions.isEmpty()) {
            sessions.put(1L, "token-1");
            sessions.put(2L, "token-2");
        }
        List<BookConfig> books = new ArrayList<>();
        for (int id = 1; id <= instruments; id++) {
            books.add(BookConfig.of(1, id));
        }
        boolean multicast = md.getAddress().isMulticastAddress() || exec.getAddress().isMulticastAddress();
        return new VenueConfig(new InetSocketAddress("127.0.0.1", port), md, exec, multicast ? iface : null, books, sessions,
                rate, flood < 0 ? rate : flood, outbound, 64, heartbeat, idle, packet);
    }

    private static long number(String key, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + ": '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("option " + key + ": " + value + " is outside " + min + ".." + max);
        }
        return n;
    }

    private static InetSocketAddress address(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("option " + key + ": '" + value + "' is not HOST:PORT");
        }
        return new InetSocketAddress(value.substring(0, colon), (int) number(key, value.substring(colon + 1), 1, 65535));
    }
}
