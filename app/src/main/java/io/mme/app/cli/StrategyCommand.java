package io.mme.app.cli;

import io.mme.app.StrategyCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mme strategy ...}: tools for a desk's own strategies. */
@Command(name = "strategy", mixinStandardHelpOptions = true, description = "Tools for strategies (built in and plug-in jars).",
        subcommands = StrategyCommand.Check.class)
public final class StrategyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: check");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run a strategy type over a recorded run and report, per callback, p50/p99 time and bytes allocated per call.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--strategy-path", paramLabel = "DIR|JAR", description = "plug-in strategy jars (none: the built-in types)")
        Path strategyPath;

        @Option(names = "--type", required = true, paramLabel = "T", description = "the strategy type to check")
        String type;

        @Option(names = {"-j", "--journal"}, required = true, paramLabel = "DIR",
                description = "a run's journal directory (e.g. from ./mme demo --journal DIR): the recording")
        Path journal;

        @Option(names = "--book-depth", paramLabel = "N",
                description = "book levels a side per venue in the checked strategy's market view, 1 to 20 (default: the recorded strategy's bookDepth)")
        Integer bookDepth;

        @Option(names = "--in-place-of", paramLabel = "ID",
                description = "the id of the recorded strategy the checked one replaces (default: the run's first strategy)")
        String inPlaceOf;

        @Override
        public Integer call() {
            return StrategyCheck.run(journal, strategyPath, type, bookDepth, inPlaceOf, spec.commandLine().getOut());
        }
    }
}
