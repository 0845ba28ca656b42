/**
 * The limit order book and matching engine (price-time priority, one book per instrument), its
 * L3 replica mode, the paper venue that runs it as an engine on the outbound ring (with, for live
 * paper, the live feeds' tapes and our orders' queue position on the live books), the queue models
 * it shares with the backtest, and the simulated market. A book is single-threaded: it belongs to the thread that calls it (the paper
 * venue's engine thread, a benchmark thread or a test).
 */
package io.mme.matching;
