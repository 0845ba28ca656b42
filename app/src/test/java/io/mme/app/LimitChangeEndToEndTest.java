package io.mme.app;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.risk.LimitKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A risk officer changes a limit through the REST API of a running demo with both store tiers on:
 * the answer comes from the risk engine, and the change shows in the risk engine, in PostgreSQL's
 * audit table (with who and why) and in Redis.
 */
class LimitChangeEndToEndTest {
    private static final String PG_URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String REDIS_URL = System.getenv().getOrDefault("MME_REDIS_URL", "redis://127.0.0.1:6379");

    @TempDir
    Path dir;

    @Test
    void aLimitChangedByARiskOfficerIsInTheRiskEngineTheAuditTableAndRedis() throws Exception {
        String schema = "mme_e2e_" + Long.toHexString(System.nanoTime());
        String prefix = "mme-e2e-" + Long.toHexString(System.nanoTime());
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# test tokens\nann risk-officer " + TokenStore.sha256Hex("ann-secret") + "\n");
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_API_ENABLED", "true", "MME_API_PORT", "0", "MME_API_TOKENS_FILE", tokens.toString(),
                "MME_STORES_POSTGRES_ENABLED", "true", "MME_STORES_POSTGRES_JDBC_URL", PG_URL, "MME_STORES_POSTGRES_SCHEMA", schema,
                "MME_STORES_REDIS_ENABLED", "true", "MME_STORES_REDIS_URIS_0", REDIS_URL, "MME_STORES_REDIS_PREFIX", prefix));
        EngineAssembly engine = EngineAssembly.live(settings, dir.resolve("run")).start();
        RedisClient redisClient = RedisClient.create(REDIS_URL);
        try (StatefulRedisConnection<String, String> redis = redisClient.connect()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + engine.api().port() + "/api/v1/limits/maxPosition"))
                    .header("Authorization", "Bearer ann-secret").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":1234,\"reason\":\"tighter before the auction\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"applied\":true").contains("1234");

            // the risk engine (its view publishes on the next timer)
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.risk().view().limit(LimitKind.MAX_POSITION, 0) == 1234);
            // Redis
            String key = prefix + ":limit:instrument:binance/BTCUSDT";
            await().atMost(Duration.ofSeconds(10)).until(() -> "1234".equals(redis.sync().hget(key, "maxPosition")));
            // per strategy of the desk: its state and PnL, and its own limits
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.sync().hget(prefix + ":strategy:btc-skew", "state") != null);
            assertThat(redis.sync().hget(prefix + ":strategy:sol-as", "pnlNanos")).isNotNull();
            assertThat(redis.sync().hget(prefix + ":limit:strategy:eth-skew", "strategyMaxOpenOrders")).isEqualTo("6");
            // PostgreSQL's audit table, with who and why
            try (Connection db = DriverManager.getConnection(PG_URL); Statement sql = db.createStatement()) {
                try {
                    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                        try (ResultSet rs = sql.executeQuery("select principal, reason, limit_key, requested_value, applied from "
                                + schema + ".limit_changes where limit_key = 'maxPosition'")) {
                            return rs.next() && rs.getString(1).equals("ann") && rs.getString(2).equals("tighter before the auction")
                                    && rs.getLong(4) == 1234 && rs.getBoolean(5);
                        }
                    });
                } finally {
                    engine.stop();
                    sql.execute("drop schema if exists " + schema + " cascade");
                }
            }
            for (String k : redis.sync().keys(prefix + ":*")) {
                redis.sync().del(k);
            }
        } finally {
            engine.stop();
            redisClient.shutdown();
        }
    }
}
