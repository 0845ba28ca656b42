package io.mme.app;

import io.mme.app.config.MmeSettings;

import java.nio.file.Path;

/** A live engine for tests in other packages (EngineAssembly is package-private). */
public final class EngineAssemblyAccess {
    private final EngineAssembly engine;

    private EngineAssemblyAccess(EngineAssembly engine) {
        this.engine = engine;
    }

    public static EngineAssemblyAccess startLive(MmeSettings settings, Path runDirectory) {
        return new EngineAssemblyAccess(EngineAssembly.live(settings, runDirectory).start());
    }

    public int apiPort() {
        return engine.api().port();
    }

    public void stop() {
        engine.stop();
    }
}
