package io.mme.audit;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommand;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.TradingState;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One change to the engine's settings as a compliance officer reads it: who, when, why, what
 * (kind, scope, venue name, instrument symbol, key) and the old and new values, with trading
 * states as their names and strategy start/stop as whether it quotes. Rendered at the edges (the
 * REST API's change log, {@code mme audit}) from a control command and its owning engine's answer
 * as the decisions journal holds them; the engines keep their ids and ordinals. Immutable; any
 * thread.
 *
 * @param sequence       the inbound event's journal sequence
 * @param timestampNanos that event's time (epoch nanos)
 * @param time           the same instant, ISO-8601 UTC
 * @param kind           {@value #LIMIT}, {@value #TRADING_STATE}, {@value #KILL_SWITCH}, {@value #PARAMETER},
 *                       {@value #START}, {@value #STOP}, {@value #VENUE_BACKOFF}, or the command name of a
 *                       command this version does not know
 * @param command        the control command's name, e.g. {@code limit.set}
 * @param requestId      the API's request id; 0 for an engine's own change
 * @param principal      who (the token's principal; {@code risk} for the risk engine's own changes)
 * @param reason         why, as given
 * @param scope          global, venue, instrument or strategy
 * @param venue          the venue's name (binance, coinbase, kraken), or null
 * @param symbol         the instrument's venue symbol, or null
 * @param key            the limit or parameter name, or null
 * @param oldValue       the value before: a number, a trading state name or a boolean (was quoting);
 *                       null when the change was refused or nobody answered
 * @param newValue       the value asked for, in the same form
 * @param applied        whether it took effect; null when no engine answered
 * @param message        the engine's refusal or note, or null
 * @param strategy       the id of the strategy the change is addressed to (a strategy's start, stop,
 *                       parameter or own limit, named by one of its instruments on the ring), or null
 */
public record AuditedChange(long sequence, long timestampNanos, String time, String kind, String command, long requestId,
                            String principal, String reason, String scope, String venue, String symbol, String key,
                            Object oldValue, Object newValue, Boolean applied, String message,
                            String strategy) {
    public static final String LIMIT = "limit";
    public static final String TRADING_STATE = "trading-state";
    public static final String KILL_SWITCH = "kill-switch";
    public static final String PARAMETER = "strategy-parameter";
    public static final String START = "strategy-start";
    public static final String STOP = "strategy-stop";
    public static final String VENUE_BACKOFF = "venue-backoff";
    /** our open orders in a scope cancelled without a state change; old = the open orders risk counted there, new = 0 */
    public static final String CANCEL_ALL = "cancel-all";
    /** every kind this version renders, for filters and documents */
    public static final List<String> KINDS = List.of(LIMIT, TRADING_STATE, KILL_SWITCH, CANCEL_ALL, PARAMETER, START, STOP,
            VENUE_BACKOFF);

    private static final TradingState[] STATES = TradingState.values();

    /**
     * The change a control command (with its answer) made, or null for the runtime's own commands
     * (snapshot, reconcile), which change no setting.
     */
    public static AuditedChange of(long sequence, long timestampNanos, DecisionRecord.Control c, InstrumentRegistry instruments) {
        return of(sequence, timestampNanos, c, instruments, null);
    }

    /**
     * The same, naming the strategy a change addressed to one of a strategy's instruments belongs
     * to: its start, stop, parameters and own limits ({@code strategy...} keys) get scope
     * {@code strategy} and the strategy's id.
     *
     * @param strategyOfInstrument the owning strategy's id per instrument id (null entries for
     *                             instruments no strategy quotes); null when unknown
     */
    public static AuditedChange of(long sequence, long timestampNanos, DecisionRecord.Control c, InstrumentRegistry instruments,
                                   String[] strategyOfInstrument) {
        String command = c.command() == null ? "" : c.command();
        if (command.equals(ControlCommands.SNAPSHOT) || command.equals(ControlCommands.RECONCILE)) {
            return null;
        }
        String kind = switch (command) {
            case ControlCommands.SET_LIMIT -> LIMIT;
            case ControlCommands.SET_TRADING_STATE -> TRADING_STATE;
            case ControlCommands.KILL_SWITCH -> KILL_SWITCH;
            case ControlCommands.SET_STRATEGY_PARAMETER -> PARAMETER;
            case ControlCommands.START_STRATEGY -> START;
            case ControlCommands.STOP_STRATEGY -> STOP;
            case ControlCommands.VENUE_BACKOFF -> VENUE_BACKOFF;
            case ControlCommands.CANCEL_ALL -> CANCEL_ALL;
            default -> command;
        };
        Boolean applied = c.answered() ? c.applied() : null;
        boolean known = Boolean.TRUE.equals(applied);
        Object oldValue;
        Object newValue;
        switch (kind) {
            case TRADING_STATE -> {
                oldValue = known ? state(c.oldValue()) : null;
                newValue = state(c.value());
            }
            case KILL_SWITCH -> {
                oldValue = known ? state(c.oldValue()) : null;
                newValue = TradingState.HALTED.name();
            }
            case START, STOP -> {
                oldValue = known ? c.oldValue() != 0 : null;
                newValue = kind.equals(START);
            }
            default -> {
                oldValue = known ? c.oldValue() : null;
                newValue = c.value();
            }
        }
        Instrument instrument = c.instrumentId() >= 0 && instruments != null && c.instrumentId() < instruments.size()
                ? instruments.get(c.instrumentId()) : null;
        String venue = instrument != null ? instrument.venue().configName() : venueName(c.venueId());
        boolean strategyChange = kind.equals(PARAMETER) || kind.equals(START) || kind.equals(STOP)
                || (kind.equals(LIMIT) && c.key() != null && c.key().startsWith("strategy"));
        String strategy = strategyChange && strategyOfInstrument != null && c.instrumentId() >= 0
                && c.instrumentId() < strategyOfInstrument.length ? strategyOfInstrument[c.instrumentId()] : null;
        String scope;
        if (strategy != null) {
            scope = "strategy";
        } else if (c.instrumentId() >= 0) {
            scope = "instrument";
        } else if (c.venueId() >= 0) {
            scope = "venue";
        } else if (kind.equals(PARAMETER) || kind.equals(START) || kind.equals(STOP)) {
            scope = "strategy";
        } else {
            scope = "global";
        }
        String symbol = instrument != null ? instrument.venueSymbol() : c.instrumentId() >= 0 ? "instrument " + c.instrumentId() : null;
        return new AuditedChange(sequence, timestampNanos, Instant.ofEpochSecond(0, timestampNanos).toString(), kind, command,
                c.requestId(), c.principal(), c.reason(), scope, venue, symbol, c.key(), oldValue, newValue, applied,
                c.message() == null || c.message().isEmpty() ? null : c.message(), strategy);
    }

    /** the same from the ring's control part, as the audit stage sees it after the chain */
    public static AuditedChange of(long sequence, long timestampNanos, ControlCommand c, InstrumentRegistry instruments,
                                   String[] strategyOfInstrument) {
        return of(sequence, timestampNanos, control(c), instruments, strategyOfInstrument);
    }

    /** a copy of the ring's (reused) control part */
    public static DecisionRecord.Control control(ControlCommand c) {
        return new DecisionRecord.Control(c.command(), c.requestId(), c.principal(), c.reason(), c.venueId(), c.instrumentId(),
                c.key(), c.value(), c.answered(), c.applied(), c.oldValue(), c.message());
    }

    /** what it applies to, for people: {@code global}, {@code binance}, {@code binance BTCUSDT}, {@code strategy btc-skew}, {@code strategy} */
    public String target() {
        if (strategy != null) {
            return "strategy " + strategy;
        }
        if (symbol != null) {
            return (venue == null ? "" : venue + " ") + symbol;
        }
        return venue != null ? venue : scope;
    }

    /** a trading state ordinal as its name; out of range as {@code state <n>} */
    public static String state(long ordinal) {
        return ordinal >= 0 && ordinal < STATES.length ? STATES[(int) ordinal].name() : "state " + ordinal;
    }

    private static String venueName(int id) {
        return id >= 0 && id < Venue.values().length ? Venue.ofId(id).configName() : id >= 0 ? "venue " + id : null;
    }

    /** whether {@code text} names one of {@link #KINDS} (case-insensitive) */
    public static String kind(String text) {
        String k = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return KINDS.contains(k) ? k : null;
    }
}
