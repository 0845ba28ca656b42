package io.mme.app.cli;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;

import java.nio.file.Path;

/**
 * Loads the configuration for a command. A {@link io.mme.app.config.ConfigException} propagates
 * to {@link io.mme.app.Main}, which prints it and exits with code 2.
 */
final class ConfigOptions {
    private ConfigOptions() {
    }

    /**
     * @param overrides extra {@code MME_…} settings that win over the environment (command line
     *                  options such as --seed)
     */
    static MmeSettings load(Path file, String fallbackResource, java.util.Map<String, String> overrides) {
        ConfigLoader loader = new ConfigLoader();
        java.util.Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.putAll(overrides);
        return file == null && fallbackResource != null
                ? loader.loadResource(fallbackResource, environment)
                : loader.load(file, environment);
    }

    /** the override of {@code strategyPath} that {@code --strategy-path} makes (none when not given) */
    static java.util.Map<String, String> strategyPath(Path path) {
        return path == null ? java.util.Map.of()
                : java.util.Map.of(ConfigLoader.environmentVariableFor("strategyPath"), path.toAbsolutePath().toString());
    }
}
