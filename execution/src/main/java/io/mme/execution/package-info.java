/**
 * The execution engine, the last stage of the business chain: it turns approved quote intents into
 * order commands on the outbound ring, tells the strategy about refused intents with synthetic
 * execution reports, keeps every open order's state from the venues' reports, queries the venue
 * when an acknowledgement times out, and cancels everything on the kill switch. All of it is owned
 * by the execution engine's thread; {@link io.mme.execution.ExecutionView} is the one part other
 * threads may read.
 */
package io.mme.execution;
