package io.mme.audit.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/**
 * The audit trail's schema: Flyway migrations from {@code classpath:db/migration} (V1__audit_trail.sql
 * and later), applied to one schema, which is created when missing. Stateless; any thread.
 */
public final class AuditSchema {
    private AuditSchema() {
    }

    /** migrates {@code schema} to the current version; a no-op when it is there already */
    public static MigrateResult migrate(DataSource dataSource, String schema) {
        return configure(dataSource, schema, "classpath:db/migration").load().migrate();
    }

    /**
     * The migration's settings. Out of order: versions are taken by branches in parallel (run ids
     * took V10 so that the numbers below stay free), so a schema already at V10 must still accept a
     * V3 that arrives later, rather than refuse to start; the migrations written so far commute.
     */
    static FluentConfiguration configure(DataSource dataSource, String schema, String... locations) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .outOfOrder(true)
                .locations(locations);
    }
}
