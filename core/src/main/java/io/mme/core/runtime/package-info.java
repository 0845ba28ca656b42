/**
 * The engine runtime: the rings, the engine threads (pinning, wait strategies), fault handling,
 * publishers and shutdown. {@link io.mme.core.runtime.Pipeline} wires it all in one place.
 */
package io.mme.core.runtime;
