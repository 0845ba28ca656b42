/**
 * The audit trail: the journal of the inbound ring (Chronicle Queue), written by the audit engine
 * after the business chain, and the reader a replay feeds back into a pipeline.
 */
package io.mme.audit;
