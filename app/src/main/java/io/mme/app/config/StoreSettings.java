package io.mme.app.config;

import io.mme.analytics.redis.RedisConfig;
import io.mme.audit.store.AuditStoreConfig;

import java.time.Duration;

/**
 * The validated store tiers. Immutable.
 *
 * @param redis               the L2 hot state (disabled: none)
 * @param postgres            the L3 audit trail (disabled: none)
 * @param reduceOnOutage      trading goes REDUCING while a store has been down longer than {@code outageGrace}
 * @param outageGrace         see above
 * @param pnlSnapshotEvery    how often PnL snapshots are written to PostgreSQL
 */
public record StoreSettings(RedisConfig redis, AuditStoreConfig postgres, boolean reduceOnOutage, Duration outageGrace,
                            Duration pnlSnapshotEvery) {
    public boolean any() {
        return redis.enabled() || postgres.enabled();
    }
}
