package io.mme.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mme.app.EngineAssemblyAccess;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped monitoring against the real thing: Debian's Prometheus binary, on a loopback port,
 * scrapes a running engine (deploy/config/mme.yaml with its API on loopback and its stores on the
 * test PostgreSQL and Redis) with deploy/prometheus.yml's job and deploy/alerts.yml's rules. Then
 * every Grafana panel query and every alert expression goes through Prometheus's HTTP API:
 * <ul>
 *   <li>a panel query returns data, or is in {@link #NO_DATA_HERE} with the reason it cannot;</li>
 *   <li>an alert expression evaluates, and its {@code bool} form (every comparison made to return
 *       0 or 1 instead of filtering) returns data: the series it compares exist and its vector
 *       matching matches, whether or not the alert would fire on this healthy engine;</li>
 *   <li>Prometheus loaded every rule of alerts.yml and evaluates each without error.</li>
 * </ul>
 * /usr/bin/prometheus comes from scripts/setup-test-env (Debian's prometheus package). Without it
 * the test is skipped with that assumption, except under CI (CI set), where it fails.
 */
class PrometheusAgainstEngineTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String PG_URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String REDIS_URL = System.getenv().getOrDefault("MME_REDIS_URL", "redis://127.0.0.1:6379");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** panel queries that cannot return data on this engine, and why */
    static final Map<String, String> NO_DATA_HERE = Map.of(
            "mme_book_state{state!=\"VALID\"} == 1",
            "lists the books that are not VALID: every simulated feed's book is VALID here");

    private final Path deploy = DeployPaths.deploy();

    @TempDir
    Path dir;

    @Test
    void everyGrafanaPanelQueryAndEveryAlertExpressionEvaluatesOnARealPrometheusScrapingTheEngine() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            String why = PROMETHEUS + " is absent: scripts/setup-test-env installs it (Debian's prometheus package)";
            if (System.getenv("CI") != null) {
                fail(why + ", and CI must run this test");
            }
            assumeTrue(false, why);
        }
        String schema = "mme_prom_" + Long.toHexString(System.nanoTime());
        MmeSettings settings = new ConfigLoader().load(deploy.resolve("config/mme.yaml"), Map.of(
                "MME_API_HOST", "127.0.0.1", "MME_API_PORT", "0",
                "MME_STORES_POSTGRES_JDBC_URL", PG_URL, "MME_STORES_POSTGRES_USER", "postgres", "MME_STORES_POSTGRES_SCHEMA", schema,
                "MME_STORES_REDIS_URIS_0", REDIS_URL, "MME_STORES_REDIS_PREFIX", schema));
        assertThat(settings.api().enabled()).as("deploy/config/mme.yaml turns the API on").isTrue();
        // the deployment's 0.0.0.0:8080, moved to a free loopback port: tests use loopback only
        assertThat(settings.api().host()).isEqualTo("127.0.0.1");
        assertThat(settings.api().port()).isZero();
        EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, dir.resolve("run"));
        Process prometheus = null;
        try {
            int port = freePort();
            Path config = prometheusConfig(engine.apiPort());
            Path log = dir.resolve("prometheus.log");
            prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Prometheus api = new Prometheus(port, prometheus, log);
            evaluate(api);
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            engine.stop();
            dropSchema(schema);
        }
    }

    private void evaluate(Prometheus api) throws Exception {
        // up, with a few scrapes behind it (rate() over any window needs two), and the rules evaluated
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> api.ready());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                api.values("min_over_time(up{job=\"mme\"}[1m]) == 1 and count_over_time(up{job=\"mme\"}[1m]) >= 8").size() == 1
                        && !api.values("mme_tick_to_quote_seconds_count > 0 or mme_tick_to_quote_seconds_bucket > 0").isEmpty());
        JsonNode rules = api.get("/api/v1/rules");
        List<String> alertNames = new ArrayList<>();
        for (JsonNode rule : YAML.readTree(deploy.resolve("alerts.yml").toFile()).get("groups").get(0).get("rules")) {
            alertNames.add(rule.get("alert").asText());
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> loadedRules(api).size() == alertNames.size()
                && loadedRules(api).values().stream().allMatch(r -> !r.path("lastEvaluation").asText().startsWith("0001")));
        Map<String, JsonNode> loaded = loadedRules(api);
        assertThat(loaded.keySet()).as("the rules Prometheus loaded from alerts.yml (" + rules + ")").containsExactlyInAnyOrderElementsOf(alertNames);
        loaded.forEach((name, rule) -> assertThat(rule.get("health").asText()).as(name + ": " + rule.path("lastError").asText()).isEqualTo("ok"));

        List<String> problems = new ArrayList<>();
        Map<String, String> panels = panelQueries();
        assertThat(panels).as("the dashboards' panel queries").hasSizeGreaterThan(20);
        int withData = 0;
        for (Map.Entry<String, String> panel : panels.entrySet()) {
            String expr = panel.getKey();
            List<JsonNode> result;
            try {
                result = api.values(grafanaVariables(expr));
            } catch (AssertionError e) {
                problems.add(panel.getValue() + ": " + expr + ": " + e.getMessage());
                continue;
            }
            if (!result.isEmpty()) {
                withData++;
            } else if (!NO_DATA_HERE.containsKey(expr)) {
                problems.add(panel.getValue() + ": " + expr + ": no data (add it to NO_DATA_HERE only with the reason it cannot have any)");
            }
        }
        for (String listed : NO_DATA_HERE.keySet()) {
            assertThat(panels).as("NO_DATA_HERE lists a query no panel has").containsKey(listed);
        }
        for (JsonNode rule : YAML.readTree(deploy.resolve("alerts.yml").toFile()).get("groups").get(0).get("rules")) {
            String name = rule.get("alert").asText();
            String expr = rule.get("expr").asText().trim();
            try {
                api.values(expr);
                String comparing = withBool(expr);
                if (comparing.equals(expr)) {
                    problems.add("alert " + name + ": no comparison in " + expr);
                } else if (api.values(comparing).isEmpty()) {
                    problems.add("alert " + name + ": " + comparing + " returns no data: the series it compares are missing or do not match");
                }
            } catch (AssertionError e) {
                problems.add("alert " + name + ": " + expr + ": " + e.getMessage());
            }
        }
        assertThat(problems).as(withData + " of " + panels.size() + " panel queries returned data").isEmpty();
    }

    private static Map<String, JsonNode> loadedRules(Prometheus api) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode group : api.get("/api/v1/rules").get("data").get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                out.put(rule.get("name").asText(), rule);
            }
        }
        return out;
    }

    /** every panel target's expr → "dashboard / panel title" */
    private Map<String, String> panelQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(deploy.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode panel : JSON.readTree(file.toFile()).get("panels")) {
                    for (String expr : DashboardMetricsTest.expressions(panel.path("targets"))) {
                        out.putIfAbsent(expr, file.getFileName() + " / " + panel.path("title").asText());
                    }
                }
            }
        }
        return out;
    }

    /** Grafana's interval variables as Grafana would fill them at a 1 s scrape; any other variable fails */
    static String grafanaVariables(String expr) {
        String out = expr.replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
                .replace("$__interval", "15s").replace("${__interval}", "15s").replace("$__range", "5m").replace("${__range}", "5m");
        if (out.contains("$")) {
            throw new AssertionError("a template variable the test does not fill: " + expr);
        }
        return out;
    }

    private static final Pattern COMPARISON = Pattern.compile("==|!=|>=|<=|>|<");

    /**
     * The expression with {@code bool} after every comparison operator outside label matchers and
     * strings: {@code a > on(x) b} becomes {@code a > bool on(x) b}, which returns 0 or 1 for every
     * matched pair instead of dropping the pairs that compare false.
     */
    static String withBool(String expr) {
        StringBuilder out = new StringBuilder();
        int braces = 0;
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == '\\' && i + 1 < expr.length()) {
                    out.append(expr.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            } else if (braces == 0) {
                Matcher m = COMPARISON.matcher(expr).region(i, expr.length());
                if (m.lookingAt()) {
                    out.append(m.group());
                    i += m.group().length() - 1;
                    if (!expr.substring(i + 1).stripLeading().startsWith("bool")) {
                        out.append(" bool");
                    }
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    @Test
    void theBoolFormComparesInsteadOfFiltering() {
        assertThat(withBool("rate(x_total[1m]) * 60 > on(venue) 0.8 * y")).isEqualTo("rate(x_total[1m]) * 60 > bool on(venue) 0.8 * y");
        assertThat(withBool("a{state!=\"VALID\"} == 0 or b >= 1")).isEqualTo("a{state!=\"VALID\"} == bool 0 or b >= bool 1");
        assertThat(withBool("a{s=~\"x|y\"} < -0.8 * b")).isEqualTo("a{s=~\"x|y\"} < bool -0.8 * b");
        assertThat(withBool("a > bool 1")).isEqualTo("a > bool 1");
        assertThat(withBool("sum by (x) (a)")).isEqualTo("sum by (x) (a)");
    }

    private Path prometheusConfig(int enginePort) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(deploy.resolve("prometheus.yml").toFile());
        ObjectNode global = (ObjectNode) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        // the rule files by their name in deploy/ (the compose file mounts them under /etc/prometheus)
        ArrayNode rules = JSON.createArrayNode();
        for (JsonNode rule : config.get("rule_files")) {
            Path file = deploy.resolve(Path.of(rule.asText()).getFileName());
            assertThat(file).as("rule file " + rule.asText()).isRegularFile();
            rules.add(file.toString());
        }
        config.set("rule_files", rules);
        assertThat(config.get("scrape_configs")).hasSize(1);
        ArrayNode targets = (ArrayNode) config.get("scrape_configs").get(0).get("static_configs").get(0).get("targets");
        assertThat(targets.get(0).asText()).startsWith("engine:");
        targets.removeAll();
        targets.add("127.0.0.1:" + enginePort);
        Path file = dir.resolve("prometheus.yml");
        YAML.writeValue(file.toFile(), config);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void dropSchema(String schema) {
        try (Connection db = DriverManager.getConnection(PG_URL, "postgres", null); Statement sql = db.createStatement()) {
            sql.execute("drop schema if exists " + schema + " cascade");
        } catch (Exception e) {
            // nothing to drop when the store never came up
        }
    }

    /** Prometheus's HTTP API on loopback */
    private record Prometheus(int port, Process process, Path log) {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private HttpResponse<String> send(String pathAndQuery) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + logText());
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("GET " + pathAndQuery + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        boolean ready() {
            try {
                return send("/-/ready").statusCode() == 200;
            } catch (AssertionError e) {
                if (!process.isAlive()) {
                    throw e;
                }
                return false;
            }
        }

        JsonNode get(String pathAndQuery) {
            HttpResponse<String> response = send(pathAndQuery);
            try {
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                    throw new AssertionError(response.statusCode() + " " + body.path("errorType").asText() + ": " + body.path("error").asText());
                }
                return body;
            } catch (IOException e) {
                throw new AssertionError(response.statusCode() + ": " + response.body());
            }
        }

        /** the result of an instant query: the vector's samples, or one element for a scalar */
        List<JsonNode> values(String expr) {
            JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).get("data");
            List<JsonNode> out = new ArrayList<>();
            if (data.get("resultType").asText().equals("vector") || data.get("resultType").asText().equals("matrix")) {
                data.get("result").forEach(out::add);
            } else {
                out.add(data.get("result"));
            }
            return out;
        }

        private String logText() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
