package io.mme.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/ (no Docker engine here): the files parse, refer to files that exist, and agree with the build. */
class DeployFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Path deploy = DeployPaths.deploy();

    @TempDir
    Path tmp;

    private JsonNode yaml(String file) throws Exception {
        return YAML.readTree(deploy.resolve(file).toFile());
    }

    @Test
    void theComposeFileRunsTheEngineItsStoresAndItsMonitoringWithFilesThatExist() throws Exception {
        JsonNode services = yaml("docker-compose.yml").get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("engine", "redis", "postgres", "prometheus", "grafana");
        JsonNode build = services.get("engine").get("build");
        assertThat(deploy.resolve(build.get("context").asText()).resolve(build.get("dockerfile").asText())).isRegularFile();
        int mounts = 0;
        for (JsonNode service : services) {
            JsonNode volumes = service.get("volumes");
            if (volumes == null) {
                continue;
            }
            for (JsonNode v : volumes) {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(deploy.resolve(source).normalize()).as(v.asText()).exists();
                    mounts++;
                }
            }
        }
        assertThat(mounts).isGreaterThanOrEqualTo(6);
        assertThat(services.get("prometheus").get("volumes").toString()).contains("./prometheus.yml:/etc/prometheus/prometheus.yml")
                .contains("./alerts.yml:");
        assertThat(services.get("engine").get("volumes").toString()).contains("./config/mme.yaml:/etc/mme/mme.yaml");
    }

    /** container path → file in deploy/, from the compose file's bind mounts of a service */
    private Map<String, Path> mounts(String service) throws Exception {
        Map<String, Path> out = new java.util.TreeMap<>();
        for (JsonNode v : yaml("docker-compose.yml").get("services").get(service).get("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts[0].startsWith(".")) {
                out.put(parts[1], deploy.resolve(parts[0]).normalize());
            }
        }
        return out;
    }

    private static Path inContainer(Map<String, Path> mounts, String path) {
        for (Map.Entry<String, Path> m : mounts.entrySet()) {
            if (path.equals(m.getKey())) {
                return m.getValue();
            }
            if (path.startsWith(m.getKey() + "/")) {
                return m.getValue().resolve(path.substring(m.getKey().length() + 1));
            }
        }
        throw new AssertionError(path + " is not mounted: " + mounts);
    }

    @Test
    void prometheusScrapesTheEngineAndItsRuleFilesExistAndParse() throws Exception {
        JsonNode prometheus = yaml("prometheus.yml");
        Map<String, Path> mounts = mounts("prometheus");
        assertThat(prometheus.get("rule_files")).isNotEmpty();
        for (JsonNode ruleFile : prometheus.get("rule_files")) {
            Path file = inContainer(mounts, ruleFile.asText());
            assertThat(file).isRegularFile();
            JsonNode groups = YAML.readTree(file.toFile()).get("groups");
            assertThat(groups).isNotEmpty();
            for (JsonNode group : groups) {
                for (JsonNode rule : group.get("rules")) {
                    assertThat(rule.get("alert").asText()).isNotBlank();
                    assertThat(rule.get("expr").asText()).contains("mme_");
                }
            }
        }
        JsonNode job = prometheus.get("scrape_configs").get(0);
        assertThat(job.get("metrics_path").asText()).isEqualTo(MetricsExporter.PATH);
        assertThat(job.get("static_configs").get(0).get("targets").get(0).asText()).startsWith("engine:");
        List<String> alerts = new ArrayList<>();
        yaml("alerts.yml").get("groups").get(0).get("rules").forEach(r -> alerts.add(r.get("alert").asText()));
        assertThat(alerts).contains("MmeFeedInvalid", "MmeRingBacklogHigh", "MmeStoreLagHigh", "MmeDailyLossLimitNear");
        JsonNode feed = yaml("alerts.yml").get("groups").get(0).get("rules").get(0);
        assertThat(feed.get("for").asText()).isEqualTo("30s");
    }

    @Test
    void grafanaProvisioningPointsAtTheDatasourceAndTheDashboardFiles() throws Exception {
        Map<String, Path> mounts = mounts("grafana");
        JsonNode datasources = YAML.readTree(inContainer(mounts, "/etc/grafana/provisioning/datasources/prometheus.yml").toFile());
        JsonNode source = datasources.get("datasources").get(0);
        assertThat(source.get("type").asText()).isEqualTo("prometheus");
        assertThat(source.get("url").asText()).isEqualTo("http://prometheus:9090");
        JsonNode providers = YAML.readTree(inContainer(mounts, "/etc/grafana/provisioning/dashboards/dashboards.yml").toFile());
        Path dashboards = inContainer(mounts, providers.get("providers").get(0).get("options").get("path").asText());
        try (Stream<Path> files = Files.list(dashboards)) {
            List<Path> json = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(json).extracting(p -> p.getFileName().toString()).containsExactly("desk.json", "operations.json");
            for (Path file : json) {
                JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
                assertThat(dashboard.get("uid").asText()).isNotBlank();
                for (JsonNode panel : dashboard.get("panels")) {
                    if (panel.has("datasource")) {
                        assertThat(panel.get("datasource").get("uid").asText()).isEqualTo(source.get("uid").asText());
                    }
                }
            }
        }
        assertThat(Files.readString(dashboards.resolve("desk.json"))).contains("Markouts").contains("later metric");
    }

    @Test
    void theDockerfileRunsTheJarWithTheRootPomsJvmFlags() throws Exception {
        String pom = Files.readString(deploy.getParent().resolve("pom.xml"));
        Matcher m = Pattern.compile("<mme.jvm.flags>(.*?)</mme.jvm.flags>", Pattern.DOTALL).matcher(pom);
        assertThat(m.find()).isTrue();
        List<String> flags = Arrays.stream(m.group(1).trim().split("\\s+")).toList();
        String dockerfile = Files.readString(deploy.resolve("Dockerfile"));
        String entrypoint = dockerfile.substring(dockerfile.indexOf("ENTRYPOINT"), dockerfile.indexOf("\nCMD"));
        List<String> words = Arrays.stream(entrypoint.split("[\\s\\\\\"]+")).filter(w -> w.startsWith("-")).toList();
        assertThat(words).containsAll(flags);
        assertThat(words.stream().filter(w -> w.startsWith("--add-") || w.startsWith("--enable-") || w.startsWith("-D")).toList())
                .containsExactlyElementsOf(flags);
        assertThat(dockerfile).contains("-jar /opt/mme/mme.jar");
        // a multi-stage build: the first stage builds the jar from the sources, the last one copies it in
        List<String> stages = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0)).contains("-jdk").endsWith(" AS build");
        assertThat(stages.get(1)).contains("-jre");
        assertThat(dockerfile).contains("RUN ./mvnw ").contains("package").contains("COPY --from=build /src/app/target/mme.jar /opt/mme/mme.jar");
        // the compose healthcheck's curl is in the runtime image
        String runtime = dockerfile.substring(dockerfile.indexOf(stages.get(1)));
        assertThat(runtime).containsPattern("apt-get install [^\\n]*curl");
        assertThat(dockerfile).doesNotContain("MME_API_TOKENS=").doesNotContain("MME_PG_PASSWORD=");
    }

    @Test
    void theEngineConfigurationsLoad() throws Exception {
        MmeSettings compose = new ConfigLoader().load(deploy.resolve("config/mme.yaml"), Map.of());
        assertThat(compose.stores().toString()).contains("redis://redis:6379");
        for (int shard = 0; shard < 2; shard++) {
            JsonNode map = docs("k8s/engine-shard-" + shard + ".yaml").get(0);
            assertThat(map.get("kind").asText()).isEqualTo("ConfigMap");
            Path file = tmp.resolve("shard-" + shard + ".yaml");
            Files.writeString(file, map.get("data").get("mme.yaml").asText());
            MmeSettings settings = new ConfigLoader().load(file, Map.of());
            assertThat(settings.instruments().size()).isEqualTo(3);
            assertThat(settings.stores().toString()).contains("mme-shard-" + shard);
        }
    }

    private List<JsonNode> docs(String file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(deploy.resolve(file).toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    @Test
    void theKubernetesManifestsShardTheEngineOverSharedStores() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : docs("k8s/" + f.getFileName())) {
                    assertThat(doc.get("apiVersion").asText()).as(f + " apiVersion").isNotBlank();
                    assertThat(doc.get("kind").asText()).as(f + " kind").isNotBlank();
                    assertThat(doc.get("metadata").get("name").asText()).as(f + " metadata.name").isNotBlank();
                    all.add(doc);
                }
            }
        }
        List<JsonNode> engines = all.stream().filter(d -> d.get("kind").asText().equals("StatefulSet")
                && d.get("metadata").get("labels").get("app").asText().equals("mme-engine")).toList();
        assertThat(engines).hasSize(2);
        List<String> prefixes = new ArrayList<>();
        for (JsonNode engine : engines) {
            String name = engine.get("metadata").get("name").asText();
            JsonNode pod = engine.get("spec").get("template").get("spec");
            String configMap = pod.get("volumes").get(0).get("configMap").get("name").asText();
            JsonNode map = all.stream().filter(d -> d.get("kind").asText().equals("ConfigMap")
                    && d.get("metadata").get("name").asText().equals(configMap)).findFirst().orElseThrow();
            String config = map.get("data").get("mme.yaml").asText();
            Matcher prefix = Pattern.compile("prefix: (\\S+)").matcher(config);
            assertThat(prefix.find()).isTrue();
            prefixes.add(prefix.group(1));
            assertThat(config).contains("redis://mme-redis:6379").contains("jdbc:postgresql://mme-postgres:5432/");
            assertThat(engine.get("spec").get("volumeClaimTemplates").get(0).get("metadata").get("name").asText()).isEqualTo("journal");
            assertThat(engine.get("spec").get("replicas").asInt()).as(name).isEqualTo(1);
        }
        assertThat(prefixes).doesNotHaveDuplicates();
        assertThat(all).anyMatch(d -> d.get("kind").asText().equals("Service") && d.get("metadata").get("name").asText().equals("mme-redis"));
        assertThat(all).anyMatch(d -> d.get("kind").asText().equals("Service") && d.get("metadata").get("name").asText().equals("mme-postgres"));
    }
}
