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
    /**
     * The settings: where to listen, TLS, and which browser origins may open the stream.
     *
     * @param tlsKeystore    a PKCS#12 keystore with the server's key and certificate: HTTPS (and WSS)
     *                       only, on the same host and port; null for plain HTTP
     * @param tlsPassword    the keystore's password (from the environment, never from a file)
     * @param allowedOrigins origins ({@code scheme://host[:port]}, lower case) a browser may open the
     *                       stream from besides the server's own (api.allowedOrigins)
     */
    public record Settings(boolean enabled, String host, int port, java.nio.file.Path tlsKeystore, String tlsPassword,
                           List<String> allowedOrigins) {
        public Settings {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }

        public Settings(boolean enabled, String host, int port, java.nio.file.Path tlsKeystore, String tlsPassword) {
            this(enabled, host, port, tlsKeystore, tlsPassword, List.of());
        }

        public Settings(boolean enabled, String host, int port) {
            this(enabled, host, port, null, null);
        }

        public static Settings loopback(int port) {
            return new Settings(true, "127.0.0.1", port);
        }

        @Override
        public String toString() {
            return "ApiServer.Settings[" + host + ":" + port + (tlsKeystore == null ? "" : ", TLS " + tlsKeystore) + "]";
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
            // a request Jetty cannot parse (a malformed URI or header) never reaches a handler: answer it as JSON too
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonBadMessage()));
            if (settings.tlsKeystore() != null) {
                config.jetty.addConnector((server, http) -> tlsConnector(server, http));
            }
            configurers.forEach(c -> c.accept(config));
        });
        installers.forEach(i -> i.accept(javalin));
        if (settings.tlsKeystore() != null) {
            javalin.start();
        } else {
            javalin.start(settings.host(), settings.port());
        }
        return this;
    }

    /**
     * Jetty's answer to a request it cannot parse, before any handler: {@code {"error":..,"field":null}}
     * (the API's Error body) instead of an HTML page. Jetty's threads; stateless.
     */
    static final class JsonBadMessage extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        public java.nio.ByteBuffer badMessageError(int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
            fields.put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
            String why = reason == null ? "malformed request" : reason.replaceAll("[\\p{Cntrl}\"\\\\]", " ");
            return java.nio.ByteBuffer.wrap(("{\"error\":\"bad request: " + why + "\",\"field\":null}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** the only connector when TLS is on: HTTPS on the configured host and port */
    private org.eclipse.jetty.server.Connector tlsConnector(org.eclipse.jetty.server.Server server,
                                                          org.eclipse.jetty.server.HttpConfiguration http) {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        tls.setKeyStorePath(settings.tlsKeystore().toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(settings.tlsPassword() == null ? "" : settings.tlsPassword());
        org.eclipse.jetty.server.HttpConfiguration https = new org.eclipse.jetty.server.HttpConfiguration(http);
        https.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer());
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                new org.eclipse.jetty.server.SslConnectionFactory(tls, "http/1.1"), new org.eclipse.jetty.server.HttpConnectionFactory(https));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
    }

    /** the port it listens on (the chosen one when configured as 0) */
    public int port() {
        for (org.eclipse.jetty.server.Connector c : javalin.jettyServer().server().getConnectors()) {
            if (c instanceof org.eclipse.jetty.server.ServerConnector sc) {
                return sc.getLocalPort();
            }
        }
        return javalin.port();
    }

    /** the server's connectors (one: the configured address) */
    int connectors() {
        return javalin.jettyServer().server().getConnectors().length;
    }

    /** whether it serves HTTPS */
    public boolean tls() {
        return settings.tlsKeystore() != null;
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
