package io.mme.app.web;

import io.mme.app.api.ApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class WebPageServingTest {
    /** a scheme-qualified or protocol-relative address of another host: what a CDN link looks like */
    private static final Pattern EXTERNAL = Pattern.compile("(?i)(?:\\b(?:https?|wss?|ftp):)?//[a-z0-9-]+(?:\\.[a-z0-9-]+)+");

    private static ApiServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = WebPage.install(new ApiServer(ApiServer.Settings.loopback(0))).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootServesTheHtmlPageWithItsSecurityHeaders() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(WebPage.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script src=\"app.js\"", "href=\"style.css\"", "id=\"token\"", "type=\"password\"");
    }

    @Test
    void scriptAndStylesheetAreServedWithTheirContentTypes() throws Exception {
        HttpResponse<String> script = get("/app.js");
        HttpResponse<String> style = get("/style.css");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(script.body()).contains("/api/v1/stream", "op: 'auth'");
        assertThat(style.statusCode()).isEqualTo(200);
        assertThat(style.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    @Test
    void everyFileThePageLoadsIsLocalAndServed() throws Exception {
        String html = get("/").body();
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        List<String> loaded = new ArrayList<>();
        while (refs.find()) {
            loaded.add(refs.group(1));
        }

        assertThat(loaded).containsExactlyInAnyOrder("favicon.svg", "vendor/uplot/dist/uPlot.min.css", "style.css",
                "vendor/uplot/dist/uPlot.iife.min.js", "app.js", "desk.js", "charts.js", "replay.js");
        for (String ref : loaded) {
            assertThat(get("/" + ref).statusCode()).as(ref).isEqualTo(200);
        }
    }

    @Test
    void noFileNamesAnotherHost() throws Exception {
        // the page's own files (uPlot's, served from its WebJar, name its project's address in a licence comment only)
        for (String path : List.of("/", "/app.js", "/desk.js", "/charts.js", "/replay.js", "/style.css")) {
            String body = get(path).body();
            Matcher external = EXTERNAL.matcher(body);
            assertThat(external.find() ? external.group() : null).as(path).isNull();
            assertThat(body).as(path).doesNotContain("@import", "url(http", "url(//");
        }
        // the check itself catches what a CDN link would look like
        assertThat(EXTERNAL.matcher("<script src=\"https://cdn.example.com/x.js\">").find()).isTrue();
        assertThat(EXTERNAL.matcher("<link href=\"//fonts.example.org/css\">").find()).isTrue();
    }

    @Test
    void theTokenNeverGoesIntoAnAddress() throws Exception {
        String script = get("/app.js").body();

        assertThat(script).contains("sessionStorage", "'Authorization': 'Bearer '")
                .doesNotContain("localStorage", "?token", "&token", "token=");
    }

    @Test
    void theChartLibraryAndTheFaviconAreServedFromTheEngineItself() throws Exception {
        HttpResponse<String> uplot = get(WebPage.UPLOT_PATH + "/dist/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(uplot.body()).contains("uPlot");
        HttpResponse<String> icon = get("/favicon.svg");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
    }

    @Test
    void anUnknownFileIsNotFound() throws Exception {
        assertThat(get("/nothing-here.js").statusCode()).isEqualTo(404);
    }
}
