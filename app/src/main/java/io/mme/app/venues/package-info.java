/**
 * The engine's edge to the venues as configured: live public feeds, the paper venue's share of the
 * orders, and the live/testnet gateways (built from the connectors, fed from the outbound ring,
 * reporting into the inbound ring). Built and started by the engine assembly; each class says which
 * threads touch it.
 */
package io.mme.app.venues;
