/**
 * The operator's web page: static HTML, CSS and JavaScript from the classpath folder {@code /web},
 * served at {@code /} by the API server's Jetty threads. The page itself talks to the REST API
 * ({@code /api/v1/feeds}) and the streaming API ({@code /api/v1/stream}: books, quotes, positions,
 * trades, status and risk's trading states, which the page shows as a badge per scope); nothing here
 * touches the engine.
 */
package io.mme.app.web;
