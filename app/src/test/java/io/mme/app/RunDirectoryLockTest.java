package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One engine per run directory: a second one is refused at once naming the holder; a killed holder's lock is taken over. */
class RunDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondEngineOnTheSameRunDirectoryIsRefusedNamingTheHolderPidAndOneMayStartOnceTheFirstStopped() throws Exception {
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of());
        Path run = dir.resolve("run");
        long pid = ProcessHandle.current().pid();
        EngineAssembly first = EngineAssembly.live(settings, run).start();
        try {
            assertThatThrownBy(() -> EngineAssembly.live(settings, run))
                    .isInstanceOf(RunDirectoryLock.RunDirectoryLockedException.class)
                    .hasMessageContaining(run.toString()).hasMessageContaining("pid " + pid);

            // the command line: refused before it starts anything, one line, exit 2
            Path config = dir.resolve("demo.yaml");
            try (InputStream in = RunDirectoryLockTest.class.getResourceAsStream("/demo.yaml")) {
                Files.copy(in, config);
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute("run", "--config", config.toString(), "--journal", run.toString());
            assertThat(code).isEqualTo(Main.EXIT_CONFIG);
            assertThat(err.toString().strip()).startsWith("mme: refused: the run directory " + run)
                    .contains("pid " + pid).doesNotContain("\n").doesNotContain("Exception");
            // the first engine was not disturbed
            long before = first.pipeline().health().engine("execution").lastSequence();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> first.pipeline().health().engine("execution").lastSequence() > before);
        } finally {
            first.stop();
        }
        // stopped cleanly: released, and the next holder finds no one to report as gone
        try (RunDirectoryLock next = RunDirectoryLock.acquire(run)) {
            assertThat(next.previousHolder()).isNull();
        }
    }

    @Test
    void aLockHeldByAnotherProcessRefusesNamingItsPidAndIsTakenOverOnceThatProcessIsKilled() throws Exception {
        Path run = dir.resolve("run");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access")) {
                command.add(arg);
            }
        }
        command.add("-Dchronicle.analytics.disable=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RunDirectoryLockHolder.class.getName());
        command.add(run.toString());
        Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("locked")) {
                // the child's JVM warnings, if any
            }
            assertThat(line).as("the holder process locked the directory").startsWith("locked");

            assertThatThrownBy(() -> RunDirectoryLock.acquire(run))
                    .isInstanceOf(RunDirectoryLock.RunDirectoryLockedException.class)
                    .hasMessageContaining("pid " + holder.pid());

            holder.destroyForcibly(); // SIGKILL: no chance to release anything; the OS drops its lock
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

            try (RunDirectoryLock taken = RunDirectoryLock.acquire(run)) {
                assertThat(taken.previousHolder()).startsWith("pid " + holder.pid());
                assertThat(Files.readString(taken.file())).startsWith("pid=" + ProcessHandle.current().pid() + "\n");
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
