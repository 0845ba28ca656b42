/**
 * The versioned REST API (/api/v1) for risk officers, traders and ops, its bearer-token security,
 * its OpenAPI document and the health probes. Handlers run on Jetty's threads; they read the
 * engines' published views and send changes as control commands through
 * {@link io.mme.app.api.EngineAccess}, never touching an engine's state.
 */
package io.mme.app.api.rest;
