package io.mme.audit.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StateStoreTest {
    private static final List<String> ENGINES = List.of("marketdata", "strategy", "risk", "execution");

    @TempDir
    Path dir;

    private static byte[] state(String engine, long seq) {
        return (engine + " at " + seq).getBytes(StandardCharsets.UTF_8);
    }

    private static void snapshot(StateStore store, long seq, List<String> engines) {
        for (String e : engines) {
            store.save(e, seq, 1, state(e, seq));
        }
    }

    @Test
    void theLatestPointEveryEngineReachedIsLoadedAndSurvivesReopening() {
        Path file = dir.resolve("state").resolve("engines.cm3");
        try (StateStore store = new StateStore(file)) {
            snapshot(store, 10, ENGINES);
            snapshot(store, 20, ENGINES);
        }
        try (StateStore reopened = new StateStore(file)) {
            Map<String, StateStore.Saved> loaded = reopened.load(ENGINES);
            assertThat(loaded).containsOnlyKeys(ENGINES);
            assertThat(loaded.values()).allMatch(s -> s.sequence() == 20);
            assertThat(new String(loaded.get("risk").state(), StandardCharsets.UTF_8)).isEqualTo("risk at 20");
            assertThat(reopened.problems()).isEmpty();
        }
    }

    @Test
    void aSnapshotCutShortByACrashFallsBackToThePointBefore() {
        try (StateStore store = new StateStore(dir.resolve("s.cm3"))) {
            snapshot(store, 10, ENGINES);
            snapshot(store, 20, List.of("marketdata", "strategy")); // the crash came before risk and execution wrote 20
            Map<String, StateStore.Saved> loaded = store.load(ENGINES);
            assertThat(loaded.values()).extracting(StateStore.Saved::sequence).containsOnly(10L);
            assertThat(new String(loaded.get("marketdata").state(), StandardCharsets.UTF_8)).isEqualTo("marketdata at 10");
        }
    }

    @Test
    void aCorruptedStateIsReportedAndTheOlderGenerationUsed() {
        try (StateStore store = new StateStore(dir.resolve("s.cm3"))) {
            snapshot(store, 10, ENGINES);
            snapshot(store, 20, ENGINES);
            byte[] entry = store.raw("risk", true);
            entry[entry.length - 1] ^= 0x55;
            store.putRaw("risk", true, entry);
            Map<String, StateStore.Saved> loaded = store.load(ENGINES);
            assertThat(loaded.values()).extracting(StateStore.Saved::sequence).containsOnly(10L);
            assertThat(store.problems()).anyMatch(p -> p.contains("risk:cur") && p.contains("20") && p.contains("CRC"));
        }
    }

    @Test
    void noCommonPointMeansAFullReplayAndAnUnreadableFileIsMovedAside() throws Exception {
        try (StateStore store = new StateStore(dir.resolve("s.cm3"))) {
            store.save("risk", 5, 1, state("risk", 5));
            assertThat(store.load(ENGINES)).isEmpty();
        }
        Path garbage = dir.resolve("g.cm3");
        Files.write(garbage, "this is not a chronicle map".repeat(100).getBytes(StandardCharsets.UTF_8));
        try (StateStore store = new StateStore(garbage)) {
            assertThat(store.problems()).singleElement().asString().contains("cannot be opened").contains("moved to");
            assertThat(store.load(ENGINES)).isEmpty();
            snapshot(store, 7, ENGINES);
            assertThat(store.load(ENGINES)).hasSize(4);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("g.cm3.corrupt-"));
        }
    }
}
