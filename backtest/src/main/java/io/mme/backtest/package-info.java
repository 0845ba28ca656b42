/**
 * Backtests on recorded venue messages: the event-time driver that feeds recorded text through the
 * real venue decoders and the real chain ({@link io.mme.core.runtime.EventTimeChain}), the exchange
 * simulator that answers the engine's orders with queue position and latency, and the report.
 * Everything here runs on the one thread that runs the backtest.
 */
package io.mme.backtest;
