package io.mme.app.cli;

import io.mme.app.EngineRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mme replay --journal DIR}: re-runs every engine from a journal and prints the digest of the final state. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-run the market data, strategy, risk and execution engines from a journal written by",
                "`mme demo --journal DIR` or `mme run --journal DIR`, with the configuration stored beside it, and print",
                "the final state and 'digest: <hex>', which equals the live run's."})
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

    @Override
    public Integer call() {
        return EngineRunner.replay(journal, restoreArchive, ConfigOptions.strategyPath(strategyPath), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
