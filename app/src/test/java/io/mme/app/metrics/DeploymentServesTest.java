package io.mme.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mme.app.api.ApiServer;
import io.mme.app.api.rest.RestApi;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped deployment serves: the compose file is valid against the Compose schema, the engine
 * configurations turn the API on for every interface of the container with no token in them, the
 * tokens come from the environment (compose) or a Secret (Kubernetes) that the repository does not
 * hold, and the probes and healthchecks ask paths the API answers without a token.
 */
class DeploymentServesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Path deploy = DeployPaths.deploy();

    @TempDir
    Path tmp;

    private static JsonSchema composeSchema() throws Exception {
        try (InputStream in = DeploymentServesTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            assertThat(in).as("the Compose schema in the test resources").isNotNull();
            JsonNode node = new ObjectMapper().readTree(in);
            // the schema still carries draft-04 "id" annotations ("$id" in its own draft 2019-09), which
            // compose's validator ignores and this library refuses: drop them (no property is named id)
            dropIds(node);
            // draft 2019-09, as the schema's $schema says: a meta-schema the library bundles, nothing is fetched
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(node);
        }
    }

    private static void dropIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("id").isTextual()) {
                object.remove("id");
            }
            object.forEach(DeploymentServesTest::dropIds);
        } else if (node.isArray()) {
            node.forEach(DeploymentServesTest::dropIds);
        }
    }

    private static List<String> messages(java.util.Set<ValidationMessage> errors) {
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSchema() throws Exception {
        JsonSchema schema = composeSchema();
        JsonNode compose = YAML.readTree(deploy.resolve("docker-compose.yml").toFile());
        assertThat(messages(schema.validate(compose))).as("deploy/docker-compose.yml against the Compose schema").isEmpty();

        // the validation catches what docker compose would refuse: an unknown service key, a wrong
        // depends_on condition, a healthcheck test that is not a string or a list
        ObjectNode unknownKey = compose.deepCopy();
        ((ObjectNode) unknownKey.get("services").get("engine")).put("helthcheck", "x");
        assertThat(messages(schema.validate(unknownKey))).anyMatch(m -> m.contains("helthcheck"));
        ObjectNode badCondition = compose.deepCopy();
        ((ObjectNode) badCondition.get("services").get("engine").get("depends_on").get("redis")).put("condition", "service_ready");
        assertThat(messages(schema.validate(badCondition))).anyMatch(m -> m.contains("depends_on"));
        ObjectNode badTest = compose.deepCopy();
        ((ObjectNode) badTest.get("services").get("engine").get("healthcheck")).put("test", 42);
        assertThat(messages(schema.validate(badTest))).anyMatch(m -> m.contains("healthcheck"));
    }

    @Test
    void everyComposeServiceHasAHealthcheckAndTheEngineTakesItsTokensFromTheEnvironment() throws Exception {
        JsonNode services = YAML.readTree(deploy.resolve("docker-compose.yml").toFile()).get("services");
        services.properties().forEach(s -> {
            JsonNode test = s.getValue().path("healthcheck").path("test");
            assertThat(test.isArray() && test.size() > 1).as(s.getKey() + " healthcheck").isTrue();
            assertThat(test.get(0).asText()).as(s.getKey()).isIn("CMD", "CMD-SHELL");
        });
        JsonNode engine = services.get("engine");
        assertThat(engine.get("healthcheck").get("test").toString()).contains("/health/ready");
        // an interpolation of the caller's environment, never a literal token
        String tokens = engine.get("environment").get(TokenStore.ENVIRONMENT).asText();
        assertThat(tokens).matches("\\$\\{" + TokenStore.ENVIRONMENT + "(:\\?[^}]*)?}");
        // the services that wait for another wait for it to be healthy, which needs its healthcheck
        assertThat(engine.get("depends_on").get("postgres").get("condition").asText()).isEqualTo("service_healthy");
        assertThat(engine.get("depends_on").get("redis").get("condition").asText()).isEqualTo("service_healthy");
        // the published port is the API's
        MmeSettings settings = new ConfigLoader().load(deploy.resolve("config/mme.yaml"), Map.of());
        assertThat(engine.get("ports").get(0).asText()).isEqualTo(settings.api().port() + ":" + settings.api().port());
    }

    private List<JsonNode> docs(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    private void assertServesOnEveryInterface(MmeSettings settings, String where) {
        assertThat(settings.api().enabled()).as(where + " api.enabled").isTrue();
        assertThat(settings.api().host()).as(where + " api.host").isEqualTo("0.0.0.0");
        assertThat(settings.apiTokensFile()).as(where + " api.tokensFile (the tokens come from the environment)").isNull();
    }

    @Test
    void theComposeEngineConfigurationServesTheApiWithNoTokenInIt() throws Exception {
        Path file = deploy.resolve("config/mme.yaml");
        assertServesOnEveryInterface(new ConfigLoader().load(file, Map.of()), "deploy/config/mme.yaml");
        assertThat(Files.readString(file)).doesNotContainPattern("[a-z]+:(viewer|trader|risk-officer|admin):\\S");
    }

    @Test
    void theKubernetesEnginesServeTheApiWithProbesAndTakeTheirTokensFromASecretTheRepositoryDoesNotHold() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                all.addAll(docs(f));
            }
        }
        List<JsonNode> engines = all.stream().filter(d -> d.get("kind").asText().equals("StatefulSet")
                && d.get("metadata").get("labels").get("app").asText().equals("mme-engine")).toList();
        assertThat(engines).hasSize(2);
        for (JsonNode engine : engines) {
            String name = engine.get("metadata").get("name").asText();
            JsonNode pod = engine.get("spec").get("template").get("spec");
            JsonNode container = pod.get("containers").get(0);

            // the ConfigMap's configuration loads, with the API on every interface
            String configMap = pod.get("volumes").get(0).get("configMap").get("name").asText();
            JsonNode map = all.stream().filter(d -> d.get("kind").asText().equals("ConfigMap")
                    && d.get("metadata").get("name").asText().equals(configMap)).findFirst().orElseThrow();
            Path config = tmp.resolve(name + ".yaml");
            Files.writeString(config, map.get("data").get("mme.yaml").asText());
            MmeSettings settings = new ConfigLoader().load(config, Map.of());
            assertServesOnEveryInterface(settings, name);

            // the probes ask the API's port by its name
            JsonNode port = null;
            for (JsonNode p : container.get("ports")) {
                if (p.get("containerPort").asInt() == settings.api().port()) {
                    port = p;
                }
            }
            assertThat(port).as(name + ": a container port for the API's " + settings.api().port()).isNotNull();
            assertThat(container.get("livenessProbe").get("httpGet").get("path").asText()).as(name).isEqualTo("/health/live");
            assertThat(container.get("readinessProbe").get("httpGet").get("path").asText()).as(name).isEqualTo("/health/ready");
            assertThat(container.get("startupProbe").get("httpGet").get("path").asText()).as(name).isEqualTo("/health/live");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(container.get(probe).get("httpGet").get("port").asText()).as(name + " " + probe).isEqualTo(port.get("name").asText());
            }

            // the tokens from a Secret
            JsonNode tokens = null;
            for (JsonNode env : container.get("env")) {
                if (env.get("name").asText().equals(TokenStore.ENVIRONMENT)) {
                    tokens = env;
                }
            }
            assertThat(tokens).as(name + ": " + TokenStore.ENVIRONMENT).isNotNull();
            assertThat(tokens.has("value")).as(name + ": no literal tokens").isFalse();
            String secret = tokens.get("valueFrom").get("secretKeyRef").get("name").asText();
            assertThat(all).as("the Secret " + secret + " is made on the cluster, not kept in the repository")
                    .noneMatch(d -> d.get("kind").asText().equals("Secret") && d.get("metadata").get("name").asText().equals(secret));
        }
    }

    @Test
    void theProbedPathsAnswerWithoutAToken() throws Exception {
        // the API with no tokens at all: every /api/v1 request is refused, the probes' paths answer
        TokenStore none = new TokenStore(null, null);
        try (DemoEngine engine = new DemoEngine(tmp);
             ApiServer server = new ApiServer(ApiServer.Settings.loopback(0))
                     .install(app -> RestApi.install(app, engine, none, () -> true, Duration.ofSeconds(1)))
                     .start();
             HttpClient client = HttpClient.newHttpClient()) {
            int live = get(client, server.port(), "/health/live").statusCode();
            assertThat(live).isEqualTo(200);
            HttpResponse<String> ready = get(client, server.port(), "/health/ready");
            // the test engine's kraken book is SYNCING: not ready, and it says why
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("kraken");
            assertThat(get(client, server.port(), "/api/v1/limits").statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
