package io.mme.app;

import io.mme.app.config.ConfigException;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.audit.JournalRoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code journal.roll}, {@code journal.retain} and {@code journal.archive}: defaults, file, environment, and refusals. */
class JournalRetentionConfigTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void theDefaultsRollHourlyAndKeepEverything() throws Exception {
        MmeSettings settings = loader.load(null, Map.of());
        assertThat(settings.journalRoll()).isEqualTo(JournalRoll.HOURLY);
        assertThat(settings.journalRetention().enabled()).isFalse();
        assertThat(settings.journalRetention().archive()).isNull();
    }

    @Test
    void eachKeyIsReadFromTheFileAndTheEnvironmentWins() throws Exception {
        Path f = file("journal:\n  roll: daily\n  retain: 24h\n  archive: old-journals\n");
        MmeSettings settings = loader.load(f, Map.of());
        assertThat(settings.journalRoll()).isEqualTo(JournalRoll.DAILY);
        assertThat(settings.journalRetention().retain()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.journalRetention().archive()).isEqualTo(Path.of("old-journals"));

        MmeSettings overridden = loader.load(f, Map.of("MME_JOURNAL_RETAIN", "7d", "MME_JOURNAL_ROLL", "five-minutely"));
        assertThat(overridden.journalRetention().retain()).isEqualTo(Duration.ofDays(7));
        assertThat(overridden.journalRoll()).isEqualTo(JournalRoll.FIVE_MINUTELY);
        assertThat(loader.load(null, Map.of("MME_JOURNAL_RETAIN", "all")).journalRetention().enabled()).isFalse();
    }

    @Test
    void badValuesAreRefusedTogetherNamingKeyValueAndTheExpectedForm() throws Exception {
        Path f = file("journal:\n  roll: weekly\n  retain: 3 weeks\n");
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).contains("journal.roll = 'weekly'").contains("daily, hourly, five-minutely or secondly")
                            .contains("journal.retain = '3 weeks'").contains("0, 90m, 24h, 7d");
                    assertThat(e.errors()).hasSize(2);
                });
        assertThatThrownBy(() -> loader.load(null, Map.of("MME_JOURNAL_RETAIN", "-1h")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.key()).isEqualTo("journal.retain");
                            assertThat(error.source()).isEqualTo("MME_JOURNAL_RETAIN");
                        }));
    }

    @Test
    void retentionWithoutSavedStatesIsRefused() throws Exception {
        Path f = file("engine:\n  snapshotMillis: 0\njournal:\n  retain: 1h\n");
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .contains("journal.retain = '1h'").contains("engine.snapshotMillis is 0"));
        assertThat(loader.load(file("engine:\n  snapshotMillis: 0\n"), Map.of()).journalRetention().enabled()).isFalse();
    }

    private Path file(String yaml) throws Exception {
        Path f = Files.createTempFile(dir, "mme", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
