package io.mme.app.cli;

import io.mme.app.EngineRunner;
import io.mme.app.config.MmeSettings;
import io.mme.core.venue.VenueMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code mme run --config FILE}: runs the engine until SIGTERM or SIGINT, printing the trading table
 * every {@code --report-every} seconds; then kill switch, drain, summary with its digest, exit 0 (1
 * when the drain failed). A second signal forces the exit. CLI thread only.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the engine with a configuration file until stopped. SIGTERM or Ctrl-C (SIGINT) end trading (kill switch),",
                "drain the rings and print the summary ending with 'digest: <hex>', then exit 0 (1 when the drain failed);",
                "a second signal forces the exit (128 + the signal's number)."})
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file")
    Path config;

    @Option(names = {"-j", "--journal"}, paramLabel = "DIR", description = "where to keep the journal (default: a new temporary directory)")
    Path journal;

    @Option(names = "--strategy-path", paramLabel = "DIR|JAR", description = {"plug-in strategies: a jar, or a directory of jars",
            "(several separated by the path separator); their types may be named in strategies[].type"})
    Path strategyPath;

    @Option(names = "--live", description = "allow venues in live mode (real orders, real money); without it a live venue is refused")
    boolean live;

    @Option(names = "--report-every", paramLabel = "S", defaultValue = "10",
            description = "seconds between console tables, as the demo prints them; 0: none (default: ${DEFAULT-VALUE})")
    int reportEvery;

    @Override
    public Integer call() {
        if (reportEvery < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--report-every " + reportEvery + ": expected 0 (none) or a positive number of seconds");
        }
        MmeSettings settings = EngineRunner.settingsFor(journal, ConfigOptions.load(config, null, ConfigOptions.strategyPath(strategyPath)),
                spec.commandLine().getOut());
        if (settings.instruments().size() == 0) {
            // an engine with nothing to trade would run forever doing nothing: surely not what was meant
            throw new io.mme.app.config.ConfigException(java.util.List.of(new io.mme.app.config.ConfigError("instruments",
                    "[] (none configured)", "at least one instrument to trade (venue, symbol, base, quote, tickSize, lotSize)",
                    config.toString())));
        }
        if (settings.venues().anyMode(VenueMode.LIVE) && !live) {
            spec.commandLine().getErr().println("mme: " + settings.venues().describeModes()
                    + ": a venue in live mode sends real orders; start with --live to allow it");
            spec.commandLine().getErr().flush();
            return io.mme.app.Main.EXIT_CONFIG;
        }
        return EngineRunner.runUntilStopped(settings, config.toString(), journal, reportEvery, spec.commandLine().getOut());
    }
}
