package io.mme.audit.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real PostgreSQL the tests use (env MME_PG_URL, default the local trust-auth one), and a fresh
 * schema per test, dropped by {@link #close()}.
 */
final class TestDatabase implements AutoCloseable {
    static final String URL = System.getenv().getOrDefault("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    final String schema = "mme_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);

    AuditStoreConfig config() {
        return AuditStoreConfig.of(URL).withSchema(schema).withFlushInterval(java.time.Duration.ofMillis(20));
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(URL);
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql.replace("$s", schema))) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
