package io.mme.audit.store;

import org.flywaydb.core.Flyway;
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
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
