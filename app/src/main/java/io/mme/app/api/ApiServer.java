package io.mme.app.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP server of the operator surfaces (Javalin on Jetty): the REST API, the metrics endpoint
 * and what else is installed on it. It binds to loopback unless configured otherwise. Built,
 * started and stopped by the CLI thread; the handlers run on Jetty's threads and reach the engine
 * only through {@link EngineAccess}.
 */
public final class ApiServer implements AutoCloseable {
    /** the settings: where to listen */
    public record Settings(boolean enabled, String host, int port) {
        public static Settings loopback(int port) {
            return new Settings(true, "127.0.0.1", port);
        }
    }

    private final Settings settings;
    private final List<Consumer<Javalin>> installers = new ArrayList<>();
    private final List<Consumer<JavalinConfig>> configurers = new ArrayList<>();
    private Javalin javalin;

    public ApiServer(Settings settings) {
        this.settings = settings;
    }

    /** adds routes (before {@link #start()}) */
    public ApiServer install(Consumer<Javalin> installer) {
        installers.add(installer);
        return this;
    }

    /** changes the server's configuration (before {@link #start()}) */
    public ApiServer configure(Consumer<JavalinConfig> configurer) {
        configurers.add(configurer);
        return this;
    }

    public ApiServer start() {
        javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            configurers.forEach(c -> c.accept(config));
        });
        installers.forEach(i -> i.accept(javalin));
        javalin.start(settings.host(), settings.port());
        return this;
    }

    /** the port it listens on (the chosen one when configured as 0) */
    public int port() {
        return javalin.port();
    }

    public String host() {
        return settings.host();
    }

    @Override
    public void close() {
        if (javalin != null) {
            javalin.stop();
        }
    }
}
