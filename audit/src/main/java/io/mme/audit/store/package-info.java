/**
 * The L3 tier of the audit trail: {@link io.mme.audit.store.AuditStore} drains the run's journals
 * (inputs, decisions, orders) into PostgreSQL through JDBC and HikariCP on its own daemon thread,
 * off the hot path, with a Flyway-managed schema ({@code classpath:db/migration}).
 */
package io.mme.audit.store;
