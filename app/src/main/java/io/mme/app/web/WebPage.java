package io.mme.app.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.mme.app.api.ApiServer;

import java.util.Map;

/**
 * Serves the web page (index.html, app.js, desk.js, charts.js, replay.js, style.css, favicon.svg from the classpath
 * folder {@value #CLASSPATH_FOLDER}) at {@code /} and the uPlot chart library from its WebJar at
 * {@value #UPLOT_PATH} as Javalin static files. Static files are part of Javalin's configuration, fixed when
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
    /** where the page finds uPlot (the charts): the WebJar's folder (dist/ under it), served from the classpath, never a CDN */
    public static final String UPLOT_PATH = "/vendor/uplot";
    /** the uPlot WebJar's folder (the version the parent POM manages, as the backtest report uses) */
    static final String UPLOT_FOLDER = "/META-INF/resources/webjars/uplot/1.6.30";
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
        Map<String, String> headers = Map.of(
                "Cache-Control", "no-cache",
                "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer");
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = CLASSPATH_FOLDER;
            files.location = Location.CLASSPATH;
            files.headers = headers;
        });
        config.staticFiles.add(files -> {
            files.hostedPath = UPLOT_PATH;
            files.directory = UPLOT_FOLDER;
            files.location = Location.CLASSPATH;
            files.headers = headers;
        });
    }
}
