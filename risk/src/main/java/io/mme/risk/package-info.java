/**
 * Pre-trade risk: the {@link io.mme.risk.RiskEngine} (stage 3 of the inbound chain, its own thread)
 * judges every quote intent against the limits ({@link io.mme.risk.LimitKind},
 * {@link io.mme.risk.RiskLimits}) and the trading states, keeps our open orders, positions and PnL
 * from our fills, applies limit and state changes from CONTROL events and records each outcome
 * ({@link io.mme.risk.ChangeRecord}). Other threads read only the published
 * {@link io.mme.risk.RiskView} and change log.
 */
package io.mme.risk;
