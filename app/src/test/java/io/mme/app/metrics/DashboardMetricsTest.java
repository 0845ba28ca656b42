package io.mme.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mme.app.api.ApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check that every metric a Grafana dashboard or a Prometheus alert queries is one the
 * engine exports: the PromQL of every dashboard panel and every alert rule, against a scrape of a
 * running exporter.
 */
class DashboardMetricsTest {
    private static final Pattern METRIC = Pattern.compile("(?<![a-zA-Z0-9_:])mme_[a-z0-9_]+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    /** metric name → where it is queried */
    static Map<String, Set<String>> queriedMetrics() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        Path deploy = DeployPaths.deploy();
        try (Stream<Path> files = Files.list(deploy.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                for (String expr : expressions(JSON.readTree(file.toFile()))) {
                    collect(expr, file.getFileName().toString(), used);
                }
            }
        }
        for (String expr : expressions(YAML.readTree(deploy.resolve("alerts.yml").toFile()))) {
            collect(expr, "alerts.yml", used);
        }
        return used;
    }

    /** every "expr" string anywhere in the document */
    static List<String> expressions(JsonNode node) {
        List<String> out = new ArrayList<>();
        walk(node, out);
        return out;
    }

    private static void walk(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    walk(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, out));
        }
    }

    private static void collect(String expr, String where, Map<String, Set<String>> used) {
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            used.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(where);
        }
    }

    @Test
    void everyMetricADashboardOrAnAlertQueriesIsOneTheEngineExports() throws Exception {
        Map<String, Set<String>> used = queriedMetrics();
        Set<String> exported;
        try (DemoEngine engine = new DemoEngine(dir);
             ApiServer server = new ApiServer(ApiServer.Settings.loopback(0)).install(engine.exporter()::install).start()) {
            exported = Scrape.get(server.port(), null).parse().sampleNames();
        }
        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(exported);
        assertThat(missing).as("queried by a dashboard or an alert but not exported (name → where)").isEmpty();
    }

    @Test
    void theCheckSeesTheQueriesOfBothDashboardsAndTheAlerts() throws Exception {
        Map<String, Set<String>> used = queriedMetrics();
        // the extraction finds names in each source, suffixes included, so an empty check cannot pass
        assertThat(used).containsKeys("mme_engine_backlog", "mme_tick_to_quote_seconds_bucket", "mme_tick_to_quote_seconds_count",
                "mme_pnl_realized", "mme_daily_loss_limit", "mme_orders_sent_total");
        assertThat(used.get("mme_daily_loss_limit")).contains("alerts.yml", "desk.json");
        assertThat(used.get("mme_engine_backlog")).contains("alerts.yml", "operations.json");
        Set<String> sources = new TreeSet<>();
        used.values().forEach(sources::addAll);
        assertThat(sources).containsExactlyInAnyOrder("alerts.yml", "desk.json", "operations.json");
        // a name the engine does not export is caught
        Map<String, Set<String>> probe = new TreeMap<>();
        collect("rate(mme_not_a_metric_total[1m]) / mme_engine_backlog", "probe", probe);
        assertThat(probe).containsOnlyKeys("mme_not_a_metric_total", "mme_engine_backlog");
    }
}
