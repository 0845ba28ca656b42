package io.mme.app.cli;

import io.mme.app.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example plug-in of {@code examples/strategy-plugin} as a desk would use it: built by its own
 * Maven project (offline, against the mme-strategy-api this build installed), loaded with
 * {@code --strategy-path}, trading in the demo to fills, and replayed to the live digest. Bad
 * plug-in input stops the start with the configuration's exit code and a message naming it.
 */
class StrategyPluginTest {
    @TempDir
    static Path build;
    @TempDir
    Path dir;
    static Path jar;

    @BeforeAll
    static void buildTheExampleWithItsOwnMavenProject() throws Exception {
        Path project = Path.of(System.getProperty("mme.project.dir", "..")).toAbsolutePath().normalize();
        String repo = System.getProperty("mme.maven.repo", System.getProperty("user.home") + "/.m2/repository");
        String version = System.getProperty("mme.version", "0.1.0-SNAPSHOT");
        Path api = Path.of(repo, "io", "mme", "mme-strategy-api", version, "mme-strategy-api-" + version + ".jar");
        Assumptions.assumeTrue(Files.isRegularFile(api), "mme-strategy-api is not installed in " + repo
                + ": run ./mvnw install (the example builds against the installed API)");
        Path example = build.resolve("strategy-plugin");
        copy(project.resolve("examples/strategy-plugin"), example);
        ProcessBuilder mvn = new ProcessBuilder(project.resolve("mvnw").toString(), "-B", "-q", "-o",
                "-Dmaven.repo.local=" + repo, "-f", example.resolve("pom.xml").toString(), "package")
                .redirectErrorStream(true);
        mvn.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = mvn.start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
        jar = example.resolve("target/micro-price-strategy-1.0.0.jar");
        assertThat(jar).isRegularFile();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    /** the demo's desk with its SOL strategy replaced by the plug-in's, with these parameters */
    private Path config(String parameters) throws IOException {
        String demo;
        try (InputStream in = StrategyPluginTest.class.getResourceAsStream(DemoCommand.BUILT_IN_CONFIG)) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int from = demo.indexOf("  - id: sol-as");
        int to = demo.indexOf("demo:", from);
        String micro = """
                  - id: sol-micro
                    type: micro-price
                    pair: SOL/USD
                    maxLevels: 1
                    minQuoteLifeMillis: 200
                    parameters:
                """ + parameters;
        return Files.writeString(dir.resolve("desk.yaml"), demo.substring(0, from) + micro + demo.substring(to));
    }

    @Test
    void thePluginQuotesInTheDemoToFillsAndItsReplayReachesTheLiveDigest() throws IOException {
        Path config = config("""
                      half.spread.ticks: 1
                      imbalance.skew.ticks: 1
                      size.nanos: 500000000
                """);
        Path journal = dir.resolve("journal");
        Run live = run("demo", "--config", config.toString(), "--seconds", "6", "--seed", "7", "--journal", journal.toString(),
                "--strategy-path", jar.toString());
        assertThat(live.code()).as(live.out() + live.err()).isZero();
        assertThat(live.out()).contains("strategy sol-micro: micro-price on SOL/USD");
        // the table's rows of the plug-in's instruments: ... position, pnl, fills (since the start), orders
        Matcher row = Pattern.compile("sol-micro +\\S+ +\\S+ .*? (-?\\d+\\.\\d+) +(-?\\d+\\.\\d+) +(\\d+) +(\\d+) ")
                .matcher(live.out());
        long fills = 0;
        int rows = 0;
        while (row.find()) {
            rows++;
            fills = Math.max(fills, Long.parseLong(row.group(3)));
        }
        assertThat(rows).isPositive();
        assertThat(fills).as(live.out()).isPositive();
        String digest = lastLine(live.out());
        assertThat(digest).matches("digest: [0-9a-f]{64}");

        // the run's configuration keeps the strategy path: the replay loads the same jar
        Run replay = run("replay", "--journal", journal.toString());
        assertThat(replay.code()).as(replay.out() + replay.err()).isZero();
        assertThat(lastLine(replay.out())).isEqualTo(digest);
    }

    @Test
    void aBadParameterOfThePluginStopsTheStartNamingIt() throws IOException {
        Path config = config("""
                      half.spread.ticks: 0
                """);
        Run run = run("demo", "--config", config.toString(), "--seconds", "1", "--strategy-path", jar.toString());
        assertThat(run.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.out() + run.err()).contains("strategies[3].parameters").contains("half.spread.ticks=0 refused");
    }

    @Test
    void aPluginTypeWithoutItsJarAndAMissingJarAreNamed() throws IOException {
        Path config = config("""
                      size.nanos: 500000000
                """);
        Run withoutJar = run("demo", "--config", config.toString(), "--seconds", "1");
        assertThat(withoutJar.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(withoutJar.out() + withoutJar.err()).contains("strategies[3].type").contains("micro-price")
                .contains("inventory-skew, avellaneda-stoikov");
        Path missing = dir.resolve("nope.jar");
        Run missingJar = run("demo", "--config", config.toString(), "--seconds", "1", "--strategy-path", missing.toString());
        assertThat(missingJar.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(missingJar.out() + missingJar.err()).contains("strategyPath").contains(missing + ": no such file or directory");
    }
}
