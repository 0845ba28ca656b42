package io.mme.app;

import io.mme.app.config.ConfigError;
import io.mme.app.config.ConfigException;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.audit.JournalSync;
import net.openhft.chronicle.bytes.SyncMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code journal.sync}: validated like every key, and the chosen mode reaches the three journals a live engine opens. */
class JournalSyncTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void theDefaultIsThePageCacheAndEachValueIsReadFromTheFileOrTheEnvironment() throws Exception {
        assertThat(loader.load(null, Map.of()).journalSync()).isEqualTo(JournalSync.NONE);
        assertThat(loader.load(file("journal:\n  sync: sync\n"), Map.of()).journalSync()).isEqualTo(JournalSync.SYNC);
        assertThat(loader.load(file("journal:\n  sync: ASYNC\n"), Map.of()).journalSync()).isEqualTo(JournalSync.ASYNC);
        assertThat(loader.load(file("journal:\n  sync: sync\n"), Map.of("MME_JOURNAL_SYNC", "none")).journalSync())
                .isEqualTo(JournalSync.NONE);
        assertThat(loader.load(null, Map.of("MME_JOURNAL_SYNC", "sync")).journalSync()).isEqualTo(JournalSync.SYNC);
        assertThat(ConfigLoader.environmentVariableFor("journal.sync")).isEqualTo("MME_JOURNAL_SYNC");
        assertThat(JournalSync.SYNC.mode()).isEqualTo(SyncMode.SYNC);
        assertThat(JournalSync.ASYNC.mode()).isEqualTo(SyncMode.ASYNC);
        assertThat(JournalSync.NONE.mode()).isEqualTo(SyncMode.NONE);
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyTheValueAndTheExpectedValues() throws Exception {
        Path f = file("journal:\n  sync: always\n");
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    ConfigError error = e.errors().get(0);
                    assertThat(error.key()).isEqualTo("journal.sync");
                    assertThat(error.value()).isEqualTo("always");
                    assertThat(error.expected()).contains("none, async or sync");
                    assertThat(error.source()).isEqualTo(f.toString());
                    assertThat(e.getMessage()).contains("journal.sync = 'always'").contains("none, async or sync");
                });
        assertThatThrownBy(() -> loader.load(null, Map.of("MME_JOURNAL_SYNC", "fsync")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    ConfigError error = e.errors().get(0);
                    assertThat(error.key()).isEqualTo("journal.sync");
                    assertThat(error.value()).isEqualTo("fsync");
                    assertThat(error.source()).isEqualTo("MME_JOURNAL_SYNC");
                });
    }

    @Test
    void aBadValueOnTheCommandLineExitsWithTheConfigurationCode() throws Exception {
        Path config = dir.resolve("demo.yaml");
        try (InputStream in = JournalSyncTest.class.getResourceAsStream("/demo.yaml")) {
            Files.copy(in, config);
        }
        Files.writeString(config, Files.readString(config) + "\njournal:\n  sync: always\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("run", "--config", config.toString(), "--journal", dir.resolve("run").toString());
        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("journal.sync").contains("always").contains("none, async or sync");
    }

    @Test
    void theChosenModeReachesTheThreeJournalsOfALiveEngine() throws Exception {
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of("MME_JOURNAL_SYNC", "sync"));
        assertThat(settings.journalSync()).isEqualTo(JournalSync.SYNC);
        try (EngineAssembly engine = EngineAssembly.live(settings, dir.resolve("run"))) {
            assertThat(engine.journal().sync()).isEqualTo(JournalSync.SYNC);
            assertThat(engine.decisionJournal().sync()).isEqualTo(JournalSync.SYNC);
            assertThat(engine.orderJournal().sync()).isEqualTo(JournalSync.SYNC);
        }
        // running with sync: the journals msync each batch and keep appending; the records are read back after a stop
        Path synced = dir.resolve("synced");
        EngineAssembly running = EngineAssembly.live(settings, synced).start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> running.journal().appended() > 100 && running.orderJournal().appended() > 0);
        } finally {
            running.stop();
        }
        assertThat(running.journal().lastSequence()).isGreaterThan(100);
        MmeSettings defaults = new ConfigLoader().loadResource("/demo.yaml", Map.of());
        try (EngineAssembly engine = EngineAssembly.live(defaults, dir.resolve("run2"))) {
            assertThat(engine.journal().sync()).isEqualTo(JournalSync.NONE);
            assertThat(engine.decisionJournal().sync()).isEqualTo(JournalSync.NONE);
            assertThat(engine.orderJournal().sync()).isEqualTo(JournalSync.NONE);
        }
    }

    private Path file(String yaml) throws Exception {
        Path f = Files.createTempFile(dir, "mme", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
