package io.mme.core.venue;

/**
 * A gateway's health for operators.
 *
 * @param streamConnected    the private stream is up and subscribed
 * @param backingOffUntilMs  epoch ms until which the venue told us to stop (429/418/Retry-After, rate
 *                           limit errors); 0 when not backing off
 * @param budgetUsed         the fullest rate-limit window, as a fraction of its limit (0..1+)
 * @param clockOffsetMs      venue clock minus ours, as last measured
 * @param reconciliations    reconciliations run since start
 * @param lastReconcile      what the last one found, one line
 */
public record GatewayStatus(boolean streamConnected, long backingOffUntilMs, double budgetUsed, long clockOffsetMs,
                            long reconciliations, String lastReconcile) {
}
