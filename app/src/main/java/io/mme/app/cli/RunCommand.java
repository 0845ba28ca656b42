package io.mme.app.cli;

import io.mme.app.EngineRunner;
import io.mme.app.config.MmeSettings;
import io.mme.core.venue.VenueMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mme run --config FILE}: runs the engine until SIGINT or SIGTERM, then drains and stops. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the engine with a configuration file until stopped (Ctrl-C / SIGTERM drain the rings first).")
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file")
    Path config;

    @Option(names = {"-j", "--journal"}, paramLabel = "DIR", description = "where to keep the journal (default: a new temporary directory)")
    Path journal;

    @Option(names = "--live", description = "allow venues in live mode (real orders, real money); without it a live venue is refused")
    boolean live;

    @Override
    public Integer call() throws java.io.IOException {
        MmeSettings settings = EngineRunner.settingsFor(journal, ConfigOptions.load(config, null, java.util.Map.of()),
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
        return EngineRunner.runUntilStopped(settings, config.toString(), journal, spec.commandLine().getOut());
    }
}
