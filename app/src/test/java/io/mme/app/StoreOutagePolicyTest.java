package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.ring.TradingState;
import io.mme.risk.ChangeRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** stores.onOutage: reducing — a PostgreSQL that cannot be reached puts trading into REDUCING through a recorded control command. */
class StoreOutagePolicyTest {
    @TempDir
    Path dir;

    @Test
    void aStoreDownLongerThanTheGracePeriodPutsTradingIntoReducingAndTheEngineGoesOn() {
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_STORES_POSTGRES_ENABLED", "true",
                // nothing listens on port 1: every connection is refused
                "MME_STORES_POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1",
                "MME_STORES_ON_OUTAGE", "reducing",
                "MME_STORES_OUTAGE_REDUCING_AFTER_MILLIS", "300"));
        EngineAssembly engine = EngineAssembly.live(settings, dir.resolve("run")).start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.risk().changeLog().stream().anyMatch(StoreOutagePolicyTest::reducedByOutage));
            ChangeRecord change = engine.risk().changeLog().stream().filter(StoreOutagePolicyTest::reducedByOutage).findFirst().orElseThrow();
            assertThat(change.principal()).isEqualTo("mme");
            assertThat(change.applied()).isTrue();
            // the engine went on: events keep flowing through the chain while the store is down
            long before = engine.pipeline().health().engine("execution").lastSequence();
            await().atMost(Duration.ofSeconds(5)).until(() -> engine.pipeline().health().engine("execution").lastSequence() > before + 10);
            assertThat(engine.stores().audit().isDown()).isTrue();
            assertThat(engine.stores().audit().outages()).isEqualTo(1);
        } finally {
            engine.stop();
        }
    }

    private static boolean reducedByOutage(ChangeRecord c) {
        return c.reason() != null && c.reason().contains("PostgreSQL unreachable") && c.newValue() == TradingState.REDUCING.ordinal();
    }
}
