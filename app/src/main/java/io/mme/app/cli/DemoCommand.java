package io.mme.app.cli;

import io.mme.app.EngineRunner;
import io.mme.app.config.MmeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mme demo}: the offline demo; needs no venue, no network and no store. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the offline demo: start the pipeline, run for a while, print every engine's state.")
public final class DemoCommand implements Callable<Integer> {
    static final String BUILT_IN_CONFIG = "/demo.yaml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration (default: the built-in demo configuration)")
    Path config;

    @Option(names = {"-s", "--seconds"}, paramLabel = "N", description = "how long to run (default: demo.seconds of the configuration, 5)")
    Integer seconds;

    @Override
    public Integer call() {
        if (seconds != null && seconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds " + seconds + ": expected a positive number of seconds");
        }
        MmeSettings settings = ConfigOptions.load(config, BUILT_IN_CONFIG);
        int duration = seconds != null ? seconds : settings.demoSeconds();
        return EngineRunner.runFor(settings, config == null ? "built-in demo configuration" : config.toString(),
                duration, spec.commandLine().getOut());
    }
}
