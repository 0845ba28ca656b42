package io.mme.strategy;

import io.mme.core.digest.DigestibleState;
import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.ControlCommand;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.Side;
import io.mme.core.runtime.Engine;
import io.mme.core.state.SnapshotState;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;

import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.MarketDataUpdate;
import io.mme.strategy.api.Strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 2 of the inbound chain: hosts every strategy of the desk ({@link StrategyUnit}s, each a
 * {@link Strategy} with its id on one pair and one instrument per venue) and dispatches each
 * event only to the strategies it concerns.
 *
 * <p>Dispatch is by primitive arrays built at start-up: registry instrument id → strategy (an
 * instrument belongs to at most one strategy; two strategies on one instrument are refused, naming
 * both) and pair id → the strategies quoting that pair (several may, on different venues). A
 * market data event touches the strategies of the instruments its slot reports (the changed books
 * and the top) and of its pair's fair value; an execution report, the strategy of its instrument;
 * a control command and a timer, every strategy. Each touched strategy then decides once, in
 * ascending order of its position in the configuration (deterministic), writing its intents into
 * the event's slot; what does not fit the slot goes out on that strategy's next decision. An event
 * costs nothing for the strategies it does not concern; no allocation on the hot path.
 *
 * <p>Strategy commands (START_STRATEGY, STOP_STRATEGY, SET_STRATEGY_PARAMETER) name their strategy
 * by one of its instruments (the REST API resolves a strategy id to its first instrument); a
 * command for a venue goes to every strategy quoting there; a command without a target goes to
 * every strategy (a parameter change then only when there is exactly one). A global KILL_SWITCH
 * silences every strategy until START_STRATEGY.
 *
 * <p>A strategy whose code throws is halted alone ({@link StrategyUnit#haltReason()}): its quotes
 * are cancelled and it stays silent until START_STRATEGY; the others quote on.
 *
 * <p>Snapshots (state version 5; versions 1 (one strategy), 2 (no market view), 3 (the touch only, no taker
 * orders) and 4 (either the book's top levels or the taker orders, not both) are refused): the tag, the version,
 * the number of strategies, then per strategy its id and its {@link StrategyUnit} state (configuration,
 * parameters, flags, slots, its market view's book depth and levels, positions, PnL and last trades, its taker
 * orders in flight, the
 * strategy's model state and its own digest check).
 *
 * <p>Thread: the engine's own thread for everything, except {@link #view()}, {@link #units()}' views,
 * halt reasons and {@link #lastRefusal()}, which any thread may read. {@link #digestState} runs
 * after the thread ended; {@link #readState} before it starts.
 */
public final class StrategyEngine implements Engine<InboundEvent>, DigestibleState, SnapshotState {
    public static final String REPLACE_TICKS = StrategyUnit.REPLACE_TICKS;
    public static final String REPLACE_SIZE_PERCENT = StrategyUnit.REPLACE_SIZE_PERCENT;
    public static final String MIN_QUOTE_LIFE_MILLIS = StrategyUnit.MIN_QUOTE_LIFE_MILLIS;
    public static final String MAX_QUOTE_AGE_MILLIS = StrategyUnit.MAX_QUOTE_AGE_MILLIS;
    public static final String REJECT_BACKOFF_MILLIS = StrategyUnit.REJECT_BACKOFF_MILLIS;
    /** the id of the one strategy of the single-strategy constructor and of the old {@code strategy:} section */
    public static final String DEFAULT_ID = "default";
    private static final String STATE_TAG = "mme.strategy";

    private final StrategyUnit[] units;
    private final List<StrategyUnit> unitList;
    /** registry instrument id → index in {@link #units}, -1 when no strategy quotes it */
    private final int[] unitOfInstrument;
    /** registry instrument id → the instrument's index inside its strategy */
    private final int[] indexInUnit;
    /** pair id → the strategies quoting that pair, ascending */
    private final int[][] unitsOfPair;

    /** the strategies the current event touched, ascending; {@link #touchedCount} of them */
    private final int[] touched;
    private final boolean[] isTouched;
    private int touchedCount;
    private volatile String lastRefusal;

    /** one strategy with id {@value #DEFAULT_ID} */
    public StrategyEngine(StrategyEngineConfig config, InstrumentRegistry registry, Strategy strategy) {
        this(List.of(new HostedStrategy(DEFAULT_ID, config, strategy)), registry);
    }

    /**
     * @throws IllegalArgumentException when there is no strategy, two share an id, two quote one
     *                                  instrument (naming both) or one's instruments are not one pair
     *                                  on distinct venues
     */
    public StrategyEngine(List<HostedStrategy> hosted, InstrumentRegistry registry) {
        this(hosted, registry, new long[0], new long[0]);
    }

    /**
     * As {@link #StrategyEngine(List, InstrumentRegistry)}, with each venue's fees for the
     * strategies' views ({@link io.mme.strategy.api.MarketView#makerFeeBps}).
     *
     * @param makerFeeBps per registry instrument id, basis points (missing ids: 0)
     * @param takerFeeBps per registry instrument id, basis points (missing ids: 0)
     */
    public StrategyEngine(List<HostedStrategy> hosted, InstrumentRegistry registry, long[] makerFeeBps, long[] takerFeeBps) {
        if (hosted.isEmpty()) {
            throw new IllegalArgumentException("a strategy engine needs at least one strategy");
        }
        int n = hosted.size();
        units = new StrategyUnit[n];
        unitOfInstrument = new int[registry.size()];
        indexInUnit = new int[registry.size()];
        Arrays.fill(unitOfInstrument, -1);
        Map<String, Integer> ids = new HashMap<>();
        Map<Integer, List<Integer>> byPair = new HashMap<>();
        int pairs = 0;
        for (int u = 0; u < n; u++) {
            HostedStrategy h = hosted.get(u);
            Integer same = ids.putIfAbsent(h.id(), u);
            if (same != null) {
                throw new IllegalArgumentException("two strategies have the id '" + h.id() + "' (entries " + same + " and " + u + ")");
            }
            StrategyUnit unit = new StrategyUnit(h.id(), h.config(), registry, h.strategy(), makerFeeBps, takerFeeBps);
            for (int i = 0; i < unit.instrumentCount(); i++) {
                int instrument = unit.instrumentId(i);
                if (unitOfInstrument[instrument] >= 0) {
                    throw new IllegalArgumentException("strategies " + units[unitOfInstrument[instrument]].id() + " and "
                            + h.id() + " both quote " + registry.get(instrument) + ": an instrument has at most one strategy");
                }
                unitOfInstrument[instrument] = u;
                indexInUnit[instrument] = i;
            }
            byPair.computeIfAbsent(unit.pairId(), p -> new ArrayList<>()).add(u);
            pairs = Math.max(pairs, unit.pairId() + 1);
            units[u] = unit;
        }
        unitsOfPair = new int[pairs][];
        for (int p = 0; p < pairs; p++) {
            List<Integer> of = byPair.getOrDefault(p, List.of());
            unitsOfPair[p] = new int[of.size()];
            for (int i = 0; i < of.size(); i++) {
                unitsOfPair[p][i] = of.get(i);
            }
        }
        unitList = List.of(units);
        touched = new int[n];
        isTouched = new boolean[n];
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        long now = event.timestampNanos();
        boolean faulted = event.isFaulted();
        // market data concerns a strategy only when its slot carries the outcome of a complete venue
        // message for one of its instruments or its pair: the market data engine leaves the view of
        // every other slot empty (the items before a message's end)
        if (!faulted) {
            // a faulted slot's book view may be half written; reports and commands are still true
            readBook(event.book(), now);
            if (event.type() == InboundEventType.MARKET_DATA && event.marketData().kind() == MarketDataKind.TRADE) {
                readTrade(event.marketData(), now);
            }
        }
        switch (event.type()) {
            case EXECUTION_REPORT -> onReport(event.executionReport(), now);
            case CONTROL -> {
                onControl(event.control());
                touchAll();
            }
            case TIMER -> {
                for (StrategyUnit unit : units) {
                    unit.onTimer(now);
                }
                touchAll();
            }
            case MARKET_DATA -> { }
        }
        for (int t = 0; t < touchedCount; t++) {
            int u = touched[t];
            isTouched[u] = false;
            if (!faulted) {
                units[u].decide(event, now);
            }
        }
        touchedCount = 0;
        if (event.type() == InboundEventType.TIMER) {
            for (StrategyUnit unit : units) {
                unit.publishView(now);
            }
        }
    }

    private void readBook(BookView book, long now) {
        for (int c = 0; c < book.changes(); c++) {
            int instrument = book.changedInstrument(c);
            int u = unitOf(instrument);
            if (u >= 0) {
                touch(u);
                if (book.changedState(c) != BookState.VALID) {
                    units[u].invalidateTop(indexInUnit[instrument]);
                }
            }
        }
        int instrument = book.instrumentId();
        int u = unitOf(instrument);
        if (u >= 0) {
            touch(u);
            units[u].top(now, indexInUnit[instrument], book);
        }
        int pair = book.pair();
        if (pair >= 0 && pair < unitsOfPair.length) {
            int[] ofPair = unitsOfPair[pair];
            long fair = book.fairValue();
            for (int k = 0; k < ofPair.length; k++) {
                touch(ofPair[k]);
                units[ofPair[k]].fairValue(now, fair);
            }
        }
    }

    /** a public trade goes to the strategy of its instrument; it alone does not make it decide */
    private void readTrade(MarketDataUpdate trade, long now) {
        int u = unitOf(trade.instrumentId());
        if (u >= 0) {
            units[u].trade(now, indexInUnit[trade.instrumentId()], trade.priceTicks(), trade.quantityLots(), trade.side());
        }
    }

    private void onReport(ExecutionReport report, long now) {
        int u = unitOf(report.instrumentId());
        if (u >= 0) {
            touch(u);
            units[u].onReport(report, now);
        }
    }

    private int unitOf(int instrumentId) {
        return instrumentId >= 0 && instrumentId < unitOfInstrument.length ? unitOfInstrument[instrumentId] : -1;
    }

    /** marks a strategy to decide after this event, keeping the touched list ascending */
    private void touch(int u) {
        if (isTouched[u]) {
            return;
        }
        isTouched[u] = true;
        int at = touchedCount++;
        while (at > 0 && touched[at - 1] > u) {
            touched[at] = touched[at - 1];
            at--;
        }
        touched[at] = u;
    }

    private void touchAll() {
        for (int u = 0; u < units.length; u++) {
            isTouched[u] = true;
            touched[u] = u;
        }
        touchedCount = units.length;
    }

    private void onControl(ControlCommand command) {
        String name = command.command();
        if (ControlCommands.KILL_SWITCH.equals(name)) {
            for (StrategyUnit unit : units) {
                unit.onControl(command);
            }
            return;
        }
        boolean strategyCommand = ControlCommands.START_STRATEGY.equals(name) || ControlCommands.STOP_STRATEGY.equals(name)
                || ControlCommands.SET_STRATEGY_PARAMETER.equals(name);
        if (!strategyCommand) {
            return;
        }
        if (command.instrumentId() >= 0) {
            int u = unitOf(command.instrumentId());
            if (u >= 0) {
                units[u].onControl(command);
                noteRefusal(command);
            }
            return;
        }
        int addressed = 0;
        for (StrategyUnit unit : units) {
            if (unit.addressed(command)) {
                addressed++;
            }
        }
        if (addressed == 0) {
            return;
        }
        if (addressed > 1 && ControlCommands.SET_STRATEGY_PARAMETER.equals(name)) {
            command.answer(false, 0, "strategy parameter refused: " + addressed + " strategies quote there; name one ("
                    + String.join(", ", idsAddressed(command)) + ")");
            noteRefusal(command);
            return;
        }
        long anyWasQuoting = 0;
        for (StrategyUnit unit : units) {
            if (unit.addressed(command)) {
                unit.onControl(command);
                anyWasQuoting |= command.oldValue();
            }
        }
        if (addressed > 1) {
            // old value: whether any of them was quoting
            command.answer(true, anyWasQuoting, addressed + " strategies: " + String.join(", ", idsAddressed(command)));
        }
        noteRefusal(command);
    }

    private List<String> idsAddressed(ControlCommand command) {
        List<String> ids = new ArrayList<>();
        for (StrategyUnit unit : units) {
            if (unit.addressed(command)) {
                ids.add(unit.id());
            }
        }
        return ids;
    }

    private void noteRefusal(ControlCommand command) {
        if (command.answered() && !command.applied()) {
            lastRefusal = "request " + command.requestId() + " by " + command.principal() + ": " + command.message();
        }
    }

    // ---------------------------------------------------------------- access

    /** every hosted strategy in configuration order; the list is immutable (units: see their own thread notes) */
    public List<StrategyUnit> units() {
        return unitList;
    }

    /** the strategy with that id, or null */
    public StrategyUnit unit(String id) {
        for (StrategyUnit unit : units) {
            if (unit.id().equals(id)) {
                return unit;
            }
        }
        return null;
    }

    /** the strategy quoting a registry instrument, or null */
    public StrategyUnit unitOfInstrument(int instrumentId) {
        int u = unitOf(instrumentId);
        return u < 0 ? null : units[u];
    }

    /** the first strategy's view (the one strategy of a single-strategy engine); any thread */
    public StrategyView view() {
        return units[0].view();
    }

    /** the message of the last refused strategy command, or null; any thread */
    public String lastRefusal() {
        return lastRefusal;
    }

    /** every parameter key the first strategy accepts: the engine's, then the strategy's */
    public List<String> parameterKeys() {
        return units[0].parameterKeys();
    }

    /** the first strategy's model */
    public Strategy strategy() {
        return units[0].strategy();
    }

    // engine-thread accessors of the first strategy, for tests and single-strategy callers

    public long parameter(String key) {
        return units[0].parameter(key);
    }

    public long inventoryNanos() {
        return units[0].inventoryNanos();
    }

    public boolean quoting() {
        return units[0].quoting();
    }

    public SlotState slotState(int instrumentIndex, Side side, int level) {
        return units[0].slotState(instrumentIndex, side, level);
    }

    public long slotOrderId(int instrumentIndex, Side side, int level) {
        return units[0].slotOrderId(instrumentIndex, side, level);
    }

    public long slotPriceTicks(int instrumentIndex, Side side, int level) {
        return units[0].slotPriceTicks(instrumentIndex, side, level);
    }

    public long slotQuantityLots(int instrumentIndex, Side side, int level) {
        return units[0].slotQuantityLots(instrumentIndex, side, level);
    }

    // ---------------------------------------------------------------- state

    @Override
    public int stateVersion() {
        return 5;
    }

    @Override
    public void writeState(StateWriter out) {
        out.putString(STATE_TAG).putInt(stateVersion()).putInt(units.length);
        for (StrategyUnit unit : units) {
            out.putString(unit.id());
            unit.writeState(out);
        }
    }

    /**
     * {@inheritDoc} On a {@link StateFormatException} the engine is left half restored: build a
     * fresh one.
     */
    @Override
    public void readState(StateReader in) {
        String tag = in.getString();
        if (!STATE_TAG.equals(tag)) {
            throw new StateFormatException("not a strategy engine state: it starts with '" + tag + "'");
        }
        int version = in.getInt();
        if (version != stateVersion()) {
            throw new StateFormatException("strategy state version " + version + " is not this engine's " + stateVersion()
                    + (version == 1 ? " (version 1 held one strategy; this build hosts a list)"
                    : version == 2 ? " (version 2 had no strategy market view: positions, PnL and trades per venue)"
                    : version == 3 ? " (version 3 held the touch of each book only, and no taker orders)"
                    : version == 4 ? " (version 4 held either the books' top levels or the taker orders, not both)" : ""));
        }
        int count = in.getInt();
        if (count != units.length) {
            throw new StateFormatException("strategy state of another configuration: it holds " + count
                    + " strategies, this engine " + units.length);
        }
        for (StrategyUnit unit : units) {
            String id = in.getString();
            if (!unit.id().equals(id)) {
                throw new StateFormatException("strategy state has strategy '" + id + "' where this engine has '" + unit.id() + "'");
            }
            unit.readState(in);
        }
        in.expectEnd("strategy state");
        String refusal = null;
        for (StrategyUnit unit : units) {
            if (unit.lastRefusal() != null) {
                refusal = unit.lastRefusal();
            }
        }
        lastRefusal = refusal;
    }

    @Override
    public void digestState(StateDigest digest) {
        digest.putInt(units.length);
        for (StrategyUnit unit : units) {
            unit.digestState(digest);
        }
    }
}
