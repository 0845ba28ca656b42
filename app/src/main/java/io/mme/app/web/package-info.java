/**
 * The operator's web page: static HTML, CSS and JavaScript from the classpath folder {@code /web},
 * served at {@code /} by the API server's Jetty threads. The page itself talks to the REST API
 * ({@code /api/v1/feeds}) and the streaming API ({@code /api/v1/stream}); nothing here touches the
 * engine.
 */
package io.mme.app.web;
