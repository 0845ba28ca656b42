package io.mme.app.web;

import io.mme.app.api.ApiServer;
import io.mme.app.api.EngineAccess;
import io.mme.app.api.rest.RestApi;
import io.mme.app.api.rest.TokenStore;
import io.mme.core.instrument.InstrumentRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** the page and the real REST API on one server: neither shadows the other */
class WebPageBesideRestApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        InstrumentRegistry none = InstrumentRegistry.builder().build();
        // the routes here never reach the engine: only the instruments are read when the routes are built
        EngineAccess engine = (EngineAccess) Proxy.newProxyInstance(EngineAccess.class.getClassLoader(),
                new Class<?>[]{EngineAccess.class}, (proxy, method, args) -> {
                    if (method.getName().equals("instruments")) {
                        return none;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        TokenStore tokens = new TokenStore(null, "vera:viewer:web-page-token");
        server = WebPage.install(new ApiServer(ApiServer.Settings.loopback(0)))
                .install(app -> RestApi.install(app, engine, tokens))
                .start();
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
    void thePageIsServedAtTheRootWhileTheApiKeepsItsAuthAndErrors() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> feeds = get("/api/v1/feeds");
        HttpResponse<String> unknown = get("/api/v1/nothing");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"app.js\"");
        assertThat(get("/app.js").statusCode()).isEqualTo(200);
        assertThat(feeds.statusCode()).isEqualTo(401);
        assertThat(feeds.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\"").doesNotContain("<html");
    }
}
