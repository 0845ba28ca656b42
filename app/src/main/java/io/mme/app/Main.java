package io.mme.app;

import io.mme.app.cli.DemoCommand;
import io.mme.app.cli.FeedCommand;
import io.mme.app.cli.RunCommand;
import io.mme.app.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code mme} command line. */
@Command(name = "mme",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "mme: a multi-venue market-making engine (Binance, Coinbase, Kraken).",
        subcommands = {RunCommand.class, DemoCommand.class, io.mme.app.cli.ReplayCommand.class, io.mme.app.cli.BacktestCommand.class, io.mme.app.cli.QueueCheckCommand.class, io.mme.app.cli.AuditCommand.class, io.mme.app.cli.SimCommand.class, io.mme.app.cli.StrategyCommand.class, FeedCommand.class, io.mme.app.instruments.InstrumentsCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the engine failed (an engine faulted or the rings did not drain)",
                "2:bad command line or configuration, or the run directory is in use by another engine (refused before start)"})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_CONFIG = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The launcher passes this flag too; set it here as well so no code path can miss it.
        System.setProperty("chronicle.analytics.disable", "true");
        System.exit(commandLine().execute(args));
    }

    /** the command line with its error handling: configuration errors exit 2, failures 1 */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException) {
                commandLine.getErr().println("mme: " + ex.getMessage());
                return EXIT_CONFIG;
            }
            if (ex instanceof RunDirectoryLock.RunDirectoryLockedException) {
                // refused before anything was done: like a bad --journal, not an engine failure
                commandLine.getErr().println("mme: refused: " + ex.getMessage());
                return EXIT_CONFIG;
            }
            if (ex instanceof Recovery.PrunedJournalException) {
                // a restart that cannot resume: one line, what is missing and the remedy
                commandLine.getErr().println("mme: refused: " + ex.getMessage());
                return EXIT_FAILED;
            }
            LOG.error("mme {} failed", parseResult.subcommand() == null ? "" : parseResult.subcommand().commandSpec().name(), ex);
            commandLine.getErr().println("mme: failed: " + ex);
            return EXIT_FAILED;
        });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run or demo");
    }

    /** the version from the build */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/mme-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"mme " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
