package io.mme.app.cli;

import io.mme.app.EngineRunner;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mme demo}: the offline demo; needs no venue, no network and no store. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the offline demo: three simulated venues for one instrument, the strategy quoting into them,",
                "risk checking, execution routing, fills. Prints quotes, inventory, PnL, fills and tick-to-quote latency",
                "every few seconds, then a summary ending with 'digest: <hex>' (equal to `mme replay` of the journal)."})
public final class DemoCommand implements Callable<Integer> {
    static final String BUILT_IN_CONFIG = "/demo.yaml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration (default: the built-in demo configuration)")
    Path config;

    @Option(names = {"-s", "--seconds"}, paramLabel = "N", description = "how long to run (default: demo.seconds of the configuration)")
    Integer seconds;

    @Option(names = {"-j", "--journal"}, paramLabel = "DIR", description = {"keep the run (journal, state files) in DIR (default: a temporary directory, deleted at the end);",
            "a DIR that holds a run restarts it: its engines recover their state and go on"})
    Path journal;

    @Option(names = "--strategy-path", paramLabel = "DIR|JAR", description = {"plug-in strategies: a jar, or a directory of jars",
            "(several separated by the path separator); their types may be named in strategies[].type"})
    Path strategyPath;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the simulated market (default: simulation.seed of the configuration)")
    Long seed;

    @Option(names = "--report-every", paramLabel = "S", defaultValue = "2", description = "seconds between console tables (default: ${DEFAULT-VALUE})")
    int reportEvery;

    @Override
    public Integer call() {
        if (seconds != null && seconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds " + seconds + ": expected a positive number of seconds");
        }
        if (reportEvery <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--report-every " + reportEvery + ": expected a positive number of seconds");
        }
        Map<String, String> overrides = new HashMap<>(ConfigOptions.strategyPath(strategyPath));
        if (seed != null) {
            overrides.put(ConfigLoader.environmentVariableFor("simulation.seed"), Long.toString(seed));
        }
        MmeSettings settings = EngineRunner.settingsFor(journal, ConfigOptions.load(config, BUILT_IN_CONFIG, overrides),
                spec.commandLine().getOut());
        int duration = seconds != null ? seconds : settings.demoSeconds();
        return EngineRunner.runFor(settings, config == null ? "built-in demo configuration" : config.toString(),
                duration, reportEvery, journal, spec.commandLine().getOut());
    }
}
