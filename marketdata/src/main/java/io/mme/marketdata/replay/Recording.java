package io.mme.marketdata.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recorded venue session read into time order: the messages the client received, what it sent,
 * and REST responses it fetched. Reads both formats of ../shared/data: cryptofeed's raw recorder
 * lines ({@code URL <-> TS}, {@code URL <- TS: TEXT}, {@code TS: TEXT}, {@code URL -> TS: BODY})
 * and the Coinbase capture's JSON lines ({@code t}, {@code ts}, {@code data}, {@code url}), and
 * the hftbacktest captures ({@code <local receive time, unix nanoseconds> <message>}, gzip when the
 * file name ends in {@code .gz}), whose every line is a received message.
 * Control path: allocates freely.
 */
public final class Recording {
    /** what one recorded line was */
    public enum Kind {
        CONNECT,
        SENT,
        RECEIVED,
        REST
    }

    /**
     * @param time seconds since the epoch, as recorded
     * @param url  the WebSocket or REST URL where the line names one, else null
     * @param text the message or response body (null for CONNECT)
     */
    public record Entry(Kind kind, double time, String url, String text) {
    }

    private static final Pattern CONNECT = Pattern.compile("^(\\S+) <-> ([0-9.]+)$");
    private static final Pattern SENT = Pattern.compile("^(\\S+) <- ([0-9.]+): (.*)$");
    private static final Pattern REST = Pattern.compile("^(\\S+) -> ([0-9.]+): (.*)$");
    private static final Pattern RECEIVED = Pattern.compile("^([0-9.]+): (.*)$");
    /** hftbacktest: receive time in unix nanoseconds, a space, the raw message */
    private static final Pattern NANOS_RECEIVED = Pattern.compile("^([0-9]{16,19}) (.*)$");

    private final List<Entry> entries;

    private Recording(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** reads and merges the files in time order */
    public static Recording read(Path... files) throws IOException {
        List<Entry> all = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            int lineNumber = 0;
            for (String line : lines(file)) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Entry entry = line.startsWith("{") ? jsonLine(json, line) : recLine(line);
                if (entry == null && !line.startsWith("{")) {
                    throw new IOException(file + " line " + lineNumber + " is not a recording line: "
                            + line.substring(0, Math.min(80, line.length())));
                }
                if (entry != null) {
                    all.add(entry);
                }
            }
        }
        all.sort(Comparator.comparingDouble(Entry::time));
        return new Recording(all);
    }

    private static List<String> lines(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllLines(file);
        }
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(file)), java.nio.charset.StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }

    private static Entry recLine(String line) {
        Matcher m = SENT.matcher(line);
        if (m.matches()) {
            return new Entry(Kind.SENT, Double.parseDouble(m.group(2)), m.group(1), m.group(3));
        }
        m = REST.matcher(line);
        if (m.matches()) {
            return new Entry(Kind.REST, Double.parseDouble(m.group(2)), m.group(1), m.group(3));
        }
        m = CONNECT.matcher(line);
        if (m.matches()) {
            return new Entry(Kind.CONNECT, Double.parseDouble(m.group(2)), m.group(1), null);
        }
        m = RECEIVED.matcher(line);
        if (m.matches()) {
            return new Entry(Kind.RECEIVED, Double.parseDouble(m.group(1)), null, m.group(2));
        }
        m = NANOS_RECEIVED.matcher(line);
        if (m.matches()) {
            return new Entry(Kind.RECEIVED, Long.parseLong(m.group(1)) / 1e9, null, m.group(2));
        }
        return null;
    }

    private static Entry jsonLine(ObjectMapper json, String line) throws IOException {
        JsonNode node = json.readTree(line);
        String t = node.path("t").asText();
        double ts = node.path("ts").asDouble();
        String url = node.hasNonNull("url") ? node.get("url").asText() : null;
        String data = node.hasNonNull("data") ? node.get("data").asText() : null;
        return switch (t) {
            case "recv" -> new Entry(Kind.RECEIVED, ts, url, data);
            case "send" -> new Entry(Kind.SENT, ts, url, data);
            case "connect" -> new Entry(Kind.CONNECT, ts, url, null);
            case "http" -> new Entry(Kind.REST, ts, url, data);
            default -> null; // the header line and anything newer than this reader
        };
    }

    public List<Entry> entries() {
        return entries;
    }

    /** the received messages only, in order */
    public List<String> received() {
        return entries.stream().filter(e -> e.kind() == Kind.RECEIVED).map(Entry::text).toList();
    }

    /** how many WebSocket connections the recording opened */
    public long connections() {
        return entries.stream().filter(e -> e.kind() == Kind.CONNECT).count();
    }
}
