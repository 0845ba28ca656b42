/**
 * The audit trail: the journals of a run directory (Chronicle Queue: the inputs, written by the
 * chain's first stage; the decisions, by the audit stage after the chain; the order commands, beside
 * the venues), the readers a replay and a restart use, the repair that cuts them at one point
 * ({@link io.mme.audit.JournalCut}), and their rolling and retention ({@link io.mme.audit.JournalRetention},
 * on its own thread).
 */
package io.mme.audit;
