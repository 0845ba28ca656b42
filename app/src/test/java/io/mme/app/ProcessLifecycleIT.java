package io.mme.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process lifecycle as an operator meets it: {@code ./mme run} and {@code ./mme demo} started
 * through the launcher as real processes, stopped with SIGTERM or SIGINT sent to the launcher's pid
 * (which, after the launcher's exec, is the JVM's). Every stop must end trading, drain, print the
 * summary with exactly one {@code digest:} line and exit 0; the output must carry no JVM warning;
 * a second signal while a stop hangs must force the exit. Needs app/target/mme.jar (failsafe runs
 * after package). Test thread plus one reader thread per process.
 */
class ProcessLifecycleIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @TempDir
    Path dir;

    /** ./mme with the given arguments; stdout and stderr merged into {@code output} by a reader thread */
    private static Process launcher(StringBuffer output, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("mme").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("MME_LOG_LEVEL", "INFO");
        return collect(builder.start(), output);
    }

    private static Process collect(Process process, StringBuffer output) {
        CompletableFuture.runAsync(() -> {
            try (InputStream stream = process.getInputStream();
                 BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return process;
    }

    private static void awaitLine(StringBuffer output, String text, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!output.toString().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the process did not print '" + text + "':\n" + output);
            }
            Thread.sleep(20);
        }
    }

    private static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
    }

    private static int awaitExit(Process process, StringBuffer output) throws InterruptedException {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("still running after the stop:\n%s", output).isTrue();
        return process.exitValue();
    }

    private Path config() throws IOException {
        Path config = dir.resolve("demo.yaml");
        try (InputStream in = ProcessLifecycleIT.class.getResourceAsStream("/demo.yaml")) {
            assertThat(in).isNotNull();
            Files.copy(in, config);
        }
        return config;
    }

    /** one stop of one run: the launcher's pid is the JVM, the signal ends it with 0 and the full summary */
    private void stopOnce(String signal, int round, String command, Path config) throws Exception {
        StringBuffer output = new StringBuffer();
        Process process = command.equals("run")
                ? launcher(output, "run", "--config", config.toString(), "--journal", dir.resolve("run-" + round).toString(), "--report-every", "1")
                : launcher(output, "demo", "--seconds", "600", "--report-every", "1");
        try {
            awaitLine(output, command.equals("run") ? "running until stopped" : "running for", process);
            // exec: the pid we started (./mme) is now the JVM, with no child left behind
            assertThat(process.info().command()).as("the command of pid %d", process.pid()).hasValueSatisfying(c -> assertThat(c).endsWith("/java"));
            assertThat(process.descendants().count()).as("children of the launcher's pid").isZero();
            awaitLine(output, "events through the chain", process); // trading: the first table is out
            signal(process.pid(), signal);
            int code = awaitExit(process, output);
            String text = output.toString();
            assertThat(code).as("exit code after SIG%s to mme %s:\n%s", signal, command, text).isZero();
            assertThat(text).contains("stop requested (SIG" + signal + "): kill switch published as event");
            assertThat(text).contains("summary (whole run)");
            assertThat(text.lines().filter(l -> l.matches("digest: [0-9a-f]{64}")).count()).as(text).isEqualTo(1);
            assertThat(text.lines().filter(l -> l.startsWith("WARNING:"))).as("JVM warnings").isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermAndSigintToTheLaunchersPidStopMmeRunWithTheSummaryAndExitZeroEveryTime() throws Exception {
        Path config = config();
        for (int round = 0; round < 6; round++) {
            stopOnce(round % 2 == 0 ? "TERM" : "INT", round, "run", config);
        }
    }

    @Test
    void sigtermAndSigintStopMmeDemoEarlyWithTheSummaryAndExitZero() throws Exception {
        stopOnce("TERM", 0, "demo", null);
        stopOnce("INT", 1, "demo", null);
    }

    @Test
    void aSecondSignalForcesTheExitWhileTheStopHangs() throws Exception {
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
        command.add(StopSignalsProbe.class.getName());
        StringBuffer output = new StringBuffer();
        Process process = collect(new ProcessBuilder(command).redirectErrorStream(true).start(), output);
        try {
            awaitLine(output, "ready", process);
            signal(process.pid(), "TERM");
            awaitLine(output, "stopping after SIGTERM", process);
            assertThat(process.isAlive()).as("the first signal only asks for the stop").isTrue();
            signal(process.pid(), "INT");
            assertThat(awaitExit(process, output)).as(output.toString()).isEqualTo(128 + 2);
            assertThat(output.toString()).contains("SIGINT again while stopping: forced exit");
        } finally {
            process.destroyForcibly();
        }
    }
}
