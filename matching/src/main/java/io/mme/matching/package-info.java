/**
 * The limit order book and matching engine (price-time priority, one book per instrument), its
 * L3 replica mode, the paper venue that runs it as an engine on the outbound ring, and the
 * simulated market. A book is single-threaded: it belongs to the thread that calls it (the paper
 * venue's engine thread, a benchmark thread or a test).
 */
package io.mme.matching;
