package io.mme.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's change log outlives a restart: a change made before the engine stopped is listed by
 * GET /api/v1/audit/recent of the engine restarted in the same run directory (read from the
 * decisions journal up to the state point, or replayed through the chain after it).
 */
class ChangeLogRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> send(EngineAssembly engine, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.api().port() + path))
                .header("Authorization", "Bearer ann-secret").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChangeBeforeTheRestartIsListedAfterIt() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "ann admin " + TokenStore.sha256Hex("ann-secret") + "\n");
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_API_ENABLED", "true", "MME_API_PORT", "0", "MME_API_TOKENS_FILE", tokens.toString(),
                "MME_ENGINE_SNAPSHOT_MILLIS", "100"));
        Path run = dir.resolve("run");
        EngineAssembly first = EngineAssembly.live(settings, run).start();
        try {
            HttpResponse<String> change = send(first, "PUT", "/api/v1/trading-states",
                    "{\"scope\":\"venue\",\"venue\":\"coinbase\",\"state\":\"REDUCING\",\"reason\":\"before the restart\"}");
            assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
        } finally {
            first.stop();
        }

        EngineAssembly second = EngineAssembly.live(settings, run).start();
        try {
            JsonNode changes = JSON.readTree(send(second, "GET", "/api/v1/audit/recent?kind=trading-state", null).body())
                    .get("changes");
            assertThat(changes).anySatisfy(c -> {
                assertThat(c.get("reason").asText()).isEqualTo("before the restart");
                assertThat(c.get("venue").asText()).isEqualTo("coinbase");
                assertThat(c.get("newValue").asText()).isEqualTo("REDUCING");
                assertThat(c.get("principal").asText()).isEqualTo("ann");
            });
        } finally {
            second.stop();
        }
    }
}
