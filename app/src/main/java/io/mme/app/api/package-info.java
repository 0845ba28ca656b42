/**
 * The operator surfaces' common ground: what the HTTP handlers may see of the running engine
 * ({@link io.mme.app.api.EngineAccess}: the engines' read-only views and a way to submit control
 * commands and learn the owning engine's answer) and the HTTP server they are installed on.
 */
package io.mme.app.api;
