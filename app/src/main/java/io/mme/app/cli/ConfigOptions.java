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

    static MmeSettings load(Path file, String fallbackResource) {
        ConfigLoader loader = new ConfigLoader();
        return file == null && fallbackResource != null
                ? loader.loadResource(fallbackResource, System.getenv())
                : loader.load(file, System.getenv());
    }
}
