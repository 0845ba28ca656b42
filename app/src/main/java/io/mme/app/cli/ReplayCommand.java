package io.mme.app.cli;

import io.mme.app.EngineRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code mme replay --journal DIR}: re-runs every engine from a journal and prints the digest of the
 * final state; with {@code --serve}, plays it with playback controls and serves the web page and the
 * APIs on it. CLI thread only.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-run the market data, strategy, risk and execution engines from a journal written by",
                "`mme demo --journal DIR` or `mme run --journal DIR`, with the configuration stored beside it, and print",
                "the final state and 'digest: <hex>', which equals the live run's.",
                "With --serve: play the journal in event time (0.5x to 100x, pause, seek) and serve the web page, the REST",
                "API and the streaming API on it, read-only, until SIGTERM or Ctrl-C: books, quotes, fills and PnL as they",
                "happened. Tokens as for `mme run` (api.tokensFile of the run, MME_API_TOKENS_FILE, MME_API_TOKENS)."})
public final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-j", "--journal"}, required = true, paramLabel = "DIR", description = "the journal directory of a run")
    Path journal;

    @Option(names = "--restore-archive", description = {"first move the journal files journal.retain archived back into the run's",
            "journals (refused while an engine holds the run directory), so that a pruned run replays from event 0"})
    boolean restoreArchive;

    @Option(names = "--strategy-path", paramLabel = "DIR|JAR", description = {"plug-in strategies: a jar, or a directory of jars",
            "(default: the run's own strategyPath); for a run whose jars have moved"})
    Path strategyPath;

    @Option(names = "--serve", description = "play the journal with playback controls and serve the web page and the APIs on it")
    boolean serve;

    @Option(names = "--port", paramLabel = "P", description = {"with --serve: the port of the page and the APIs",
            "(default: api.port of the run's configuration or MME_API_PORT; 0: any free one)"})
    Integer port;

    @Option(names = "--speed", paramLabel = "S", defaultValue = "1", description = {"with --serve: the speed it starts at, event time per",
            "wall time, 0.5 to 100 (default: ${DEFAULT-VALUE})"})
    double speed;

    @Option(names = "--paused", description = "with --serve: wait paused at the journal's start (default: play at once)")
    boolean paused;

    @Override
    public Integer call() {
        if (!serve && (port != null || paused || spec.commandLine().getParseResult().hasMatchedOption("--speed"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port, --speed and --paused go with --serve");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port " + port + ": expected 0 (any free one) to 65535");
        }
        if (!(speed >= io.mme.app.api.PlaybackControl.MIN_SPEED && speed <= io.mme.app.api.PlaybackControl.MAX_SPEED)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed " + speed + ": expected "
                    + io.mme.app.api.PlaybackControl.MIN_SPEED + " to " + io.mme.app.api.PlaybackControl.MAX_SPEED);
        }
        if (serve) {
            if (restoreArchive) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--restore-archive: run it once without --serve first");
            }
            return EngineRunner.serveReplay(journal, port, speed, !paused, ConfigOptions.strategyPath(strategyPath),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        return EngineRunner.replay(journal, restoreArchive, ConfigOptions.strategyPath(strategyPath), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
