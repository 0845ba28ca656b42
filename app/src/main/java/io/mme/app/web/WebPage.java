package io.mme.app.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.mme.app.api.ApiServer;

import java.util.Map;

/**
 * Serves the web page (index.html, app.js, style.css from the classpath folder {@value #CLASSPATH_FOLDER})
 * at {@code /} as Javalin static files. Static files are part of Javalin's configuration, fixed when
 * the server is created, so the page goes in through {@link ApiServer#configure}: call
 * {@link #install(ApiServer)} before the server starts. Holds no state; Jetty's threads serve the files.
 *
 * <p>The page loads nothing from elsewhere (the machines' network is closed, and a page that drives
 * trading should not run foreign code): the Content-Security-Policy says so to the browser. The token
 * lives in the page's sessionStorage and goes in an Authorization header (REST) or the stream's first
 * message, never in a URL.
 */
public final class WebPage {
    /** where the files sit on the classpath */
    public static final String CLASSPATH_FOLDER = "/web";
    /** what the browser may load: only this origin (the stream's ws:// URL on the same host and port included) */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private WebPage() {
    }

    /** puts the page on the server (before {@link ApiServer#start()}) */
    public static ApiServer install(ApiServer server) {
        return server.configure(WebPage::configure);
    }

    /** the static-file configuration: the page at {@code /} */
    public static void configure(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = CLASSPATH_FOLDER;
            files.location = Location.CLASSPATH;
            files.headers = Map.of(
                    "Cache-Control", "no-cache",
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer");
        });
    }
}
