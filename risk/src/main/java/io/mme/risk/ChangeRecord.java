package io.mme.risk;

/**
 * One outcome of the risk engine's control path: a limit or trading-state change that was applied
 * (by an operator's CONTROL event or automatically by the risk engine itself, principal
 * {@value RiskEngine#PRINCIPAL}), or a command that was refused and why. Immutable; any thread.
 *
 * @param sequence        the inbound sequence of the event that made it
 * @param timestampNanos  that event's time (epoch nanos)
 * @param requestId       the control command's request id; -1 for the engine's own changes
 * @param principal       who asked (as the command said; null when missing)
 * @param reason          why (as the command said; null when missing)
 * @param command         the control command name, e.g. {@code limit.set}
 * @param what            the limit key, {@code tradingState}, or {@code openOrders} (a cancel-all: old = risk's
 *                        count of open orders in the scope, new = 0)
 * @param target          what it applies to: {@code instrument 3 (BINANCE BTCUSDT)}, {@code venue KRAKEN},
 *                        {@code asset BTC}, {@code global}
 * @param oldValue        the value before (a trading state as its ordinal); 0 when refused
 * @param newValue        the value after (or the refused value)
 * @param applied         whether the change took effect
 * @param message         for a refused command, what was wrong; for an applied one, empty or a note (the
 *                        cancels it decided, what was missing from a kill switch)
 */
public record ChangeRecord(long sequence, long timestampNanos, long requestId, String principal, String reason,
                           String command, String what, String target, long oldValue, long newValue,
                           boolean applied, String message) {
}
