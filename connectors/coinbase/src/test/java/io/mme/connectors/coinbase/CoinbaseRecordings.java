package io.mme.connectors.coinbase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The shared Coinbase recordings (../shared/data/venues) and what a test needs from them: the
 * messages each connection received, read as JSON trees by a general parser when a test needs an
 * oracle, and instruments for every product the messages name, each on grids exactly as fine as the
 * most decimals the venue printed for that product (Coinbase trims trailing zeros, so the printed
 * decimals vary from value to value).
 */
final class CoinbaseRecordings {
    static final Path DATA = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/venues");
    static final String ADVANCED_TRADE = "coinbase-advanced-trade.jsonl";
    static final String EXCHANGE = "coinbase-exchange-level2.ws.rec";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern RECEIVED = Pattern.compile("^[0-9.]+: (.*)$");
    private static final Pattern CONNECTED = Pattern.compile("^\\S+ <-> [0-9.]+$");
    private static final Set<String> PRICE_FIELDS = Set.of("price_level", "price", "best_bid", "best_ask");
    private static final Set<String> SIZE_FIELDS = Set.of("new_quantity", "size", "best_bid_quantity", "best_ask_quantity",
            "best_bid_size", "best_ask_size", "last_size");

    private CoinbaseRecordings() {
    }

    /** a file of the shared data; fails the test, saying where it looked, when it is missing */
    static Path file(String name) {
        Path path = DATA.resolve(name);
        if (!Files.isRegularFile(path)) {
            fail("the shared recording " + name + " is missing: looked for " + path.toAbsolutePath().normalize()
                    + " (set MME_SHARED_DIR to the shared directory; by default it is ../shared beside the project)");
        }
        return path;
    }

    /** the messages each Advanced Trade connection received ({@code t = recv}), connection by connection */
    static List<List<String>> advancedTradeConnections() {
        Map<String, List<String>> byConnection = new LinkedHashMap<>();
        for (String line : lines(ADVANCED_TRADE)) {
            JsonNode record = tree(line);
            if (record.path("t").asText().equals("recv")) {
                byConnection.computeIfAbsent(record.path("conn").asText(), c -> new ArrayList<>()).add(record.path("data").asText());
            }
        }
        assertThat(byConnection).as("connections with received messages in %s", ADVANCED_TRADE).isNotEmpty();
        return List.copyOf(byConnection.values());
    }

    /** the messages each Exchange connection ({@code URL <-> TS} line) received, connection by connection */
    static List<List<String>> exchangeConnections() {
        List<List<String>> connections = new ArrayList<>();
        for (String line : lines(EXCHANGE)) {
            if (CONNECTED.matcher(line).matches() || connections.isEmpty()) {
                connections.add(new ArrayList<>());
            }
            Matcher m = RECEIVED.matcher(line);
            if (m.matches()) {
                connections.getLast().add(m.group(1));
            }
        }
        connections.removeIf(List::isEmpty);
        assertThat(connections).as("connections with received messages in %s", EXCHANGE).isNotEmpty();
        return connections;
    }

    static List<String> all(List<List<String>> connections) {
        return connections.stream().flatMap(List::stream).toList();
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("a recorded message is not JSON: " + json.substring(0, Math.min(200, json.length())), e);
        }
    }

    /**
     * An instrument for every product the messages name: a price grid with the most decimals any
     * of its prices was printed with, a size grid likewise.
     */
    static InstrumentRegistry registry(List<String> messages) {
        Map<String, int[]> decimals = new TreeMap<>();
        for (String message : messages) {
            collect(tree(message), null, decimals);
        }
        assertThat(decimals).as("products named in the messages").isNotEmpty();
        InstrumentRegistry.Builder b = InstrumentRegistry.builder();
        decimals.forEach((product, d) -> b.add(new InstrumentSpec(Venue.COINBASE, product, product, "QUOTE", step(d[0]), step(d[1]),
                null, null, null, null)));
        return b.build();
    }

    /** walks a message; objects with a product_id, and what they hold, belong to that product */
    private static void collect(JsonNode node, String product, Map<String, int[]> decimals) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, product, decimals));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String own = node.path("product_id").isTextual() ? node.get("product_id").asText() : product;
        if (own != null) {
            decimals.computeIfAbsent(own, p -> new int[2]);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (own != null && value.isTextual() && PRICE_FIELDS.contains(name)) {
                note(decimals.get(own), 0, value.asText());
            } else if (own != null && value.isTextual() && SIZE_FIELDS.contains(name)) {
                note(decimals.get(own), 1, value.asText());
            } else if (own != null && (name.equals("bids") || name.equals("asks")) && value.isArray()) {
                for (JsonNode level : value) {
                    note(decimals.get(own), 0, level.get(0).asText());
                    note(decimals.get(own), 1, level.get(1).asText());
                }
            } else if (own != null && name.equals("changes") && value.isArray()) {
                for (JsonNode change : value) {
                    note(decimals.get(own), 0, change.get(1).asText());
                    note(decimals.get(own), 1, change.get(2).asText());
                }
            } else {
                collect(value, own, decimals);
            }
        }
    }

    private static void note(int[] decimals, int which, String value) {
        int point = value.indexOf('.');
        decimals[which] = Math.max(decimals[which], point < 0 ? 0 : value.length() - point - 1);
    }

    private static String step(int decimals) {
        return decimals == 0 ? "1" : "0." + "0".repeat(decimals - 1) + "1";
    }

    private static List<String> lines(String name) {
        try {
            return Files.readAllLines(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
