package io.mme.app.config;

import io.mme.analytics.redis.RedisConfig;
import io.mme.audit.store.AuditStoreConfig;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Validates the stores section; every error is reported with its key. Stateless. */
final class StoreValidation {
    /** the environment variable the PostgreSQL password comes from (never a file) */
    static final String PASSWORD_VARIABLE = "MME_PG_PASSWORD";

    private StoreValidation() {
    }

    static StoreSettings validate(MmeConfig.StoresConfig s, long accountId, TradingValidation.ErrorSink err) {
        MmeConfig.StoresConfig d = MmeConfig.defaults().stores();
        MmeConfig.RedisSection r = s.redis() == null ? d.redis() : s.redis();
        MmeConfig.PostgresSection p = s.postgres() == null ? d.postgres() : s.postgres();

        boolean redisOn = Boolean.TRUE.equals(r.enabled());
        List<String> uris = r.uris() == null ? List.of() : r.uris();
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            if (uri == null || !(uri.startsWith("redis://") || uri.startsWith("rediss://")) || hostOf(uri) == null) {
                err.add("stores.redis.uris[" + i + "]", uri, "redis://host:port (or rediss:// for TLS)");
            }
        }
        if (redisOn && uris.isEmpty()) {
            err.add("stores.redis.uris", "[]", "at least one redis://host:port when Redis is enabled");
        }
        String prefix = r.prefix() == null ? d.redis().prefix() : r.prefix();
        if (prefix.isBlank() || prefix.chars().anyMatch(Character::isWhitespace) || prefix.contains(":")) {
            err.add("stores.redis.prefix", prefix, "a key prefix without blanks or ':' (e.g. mme or mme-shard-1)");
        }
        long interval = r.publishIntervalMillis() == null ? d.redis().publishIntervalMillis() : r.publishIntervalMillis();
        if (interval < 10 || interval > 60_000) {
            err.add("stores.redis.publishIntervalMillis", String.valueOf(interval), "10 to 60000 milliseconds");
        }

        boolean pgOn = Boolean.TRUE.equals(p.enabled());
        String url = p.jdbcUrl() == null ? d.postgres().jdbcUrl() : p.jdbcUrl();
        if (!url.startsWith("jdbc:postgresql://")) {
            err.add("stores.postgres.jdbcUrl", url, "jdbc:postgresql://host:port/database");
        }
        String schema = p.schema() == null ? "public" : p.schema();
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            err.add("stores.postgres.schema", schema, "a plain lower-case SQL identifier");
        }
        int batch = p.batchSize() == null ? d.postgres().batchSize() : p.batchSize();
        if (batch < 1 || batch > 1_000_000) {
            err.add("stores.postgres.batchSize", String.valueOf(batch), "1 to 1000000 rows");
        }

        String onOutage = s.onOutage() == null ? "continue" : s.onOutage().trim().toLowerCase(Locale.ROOT);
        if (!onOutage.equals("continue") && !onOutage.equals("reducing")) {
            err.add("stores.onOutage", s.onOutage(), "continue or reducing");
        }
        long grace = s.outageReducingAfterMillis() == null ? d.outageReducingAfterMillis() : s.outageReducingAfterMillis();
        if (grace < 0) {
            err.add("stores.outageReducingAfterMillis", String.valueOf(grace), "0 or more milliseconds");
        }
        long pnl = s.pnlSnapshotMillis() == null ? d.pnlSnapshotMillis() : s.pnlSnapshotMillis();
        if (pnl < 100) {
            err.add("stores.pnlSnapshotMillis", String.valueOf(pnl), "100 or more milliseconds");
        }
        try {
            RedisConfig redis = new RedisConfig(redisOn, uris, Boolean.TRUE.equals(r.cluster()), prefix, Duration.ofMillis(Math.max(10, interval)),
                    RedisConfig.DEFAULT_COMMAND_TIMEOUT);
            AuditStoreConfig postgres = AuditStoreConfig.of(url).withSchema(schema).withBatchSize(Math.max(1, batch));
            postgres = new AuditStoreConfig(pgOn, postgres.jdbcUrl(), p.user(), System.getenv(PASSWORD_VARIABLE), postgres.schema(),
                    postgres.batchSize(), postgres.flushInterval(), postgres.poolSize(), accountId, postgres.allIntents(), postgres.writeMode());
            return new StoreSettings(redis, postgres, onOutage.equals("reducing"), Duration.ofMillis(Math.max(0, grace)),
                    Duration.ofMillis(Math.max(100, pnl)));
        } catch (IllegalArgumentException | NullPointerException e) {
            err.add("stores", null, "valid store settings: " + e.getMessage());
            return null;
        }
    }

    private static String hostOf(String uri) {
        try {
            return URI.create(uri).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
