package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.BookState;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.mme.strategy.Fixture.COINBASE;
import static io.mme.strategy.Fixture.KRAKEN;
import static io.mme.strategy.Fixture.MS;
import static io.mme.strategy.Fixture.OTHER;
import static io.mme.strategy.Fixture.PAIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Crash recovery of the strategy engine: an engine restored from another's state at event s and
 * fed the events after s decides exactly as the engine that never stopped.
 */
class StrategyEngineStateProperties {
    private static final long FV = 50_000_005_000_000L;
    private static final ExecType[] REPORTS = {ExecType.ACCEPTED, ExecType.REJECTED, ExecType.REPLACED,
            ExecType.CANCEL_REJECTED, ExecType.PARTIALLY_FILLED, ExecType.FILLED, ExecType.CANCELLED, ExecType.ORDER_STATUS};

    /** one generated step; what it means is decided against the running engine's orders ({@link Stream#resolve}) */
    record Step(int kind, int a, int b, long c, long dtMillis) {
    }

    /** a concrete event, as the journal holds it: replayed identically to every engine */
    record Event(long sequence, InboundEventType type, long time, boolean faulted, Consumer<InboundEvent> fill) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 1000), Arbitraries.longs().between(0, 1_000_000),
                        Arbitraries.longs().between(0, 1500).edgeCases(e -> e.add(0L)))
                .as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(120);
    }

    static io.mme.strategy.api.Strategy strategy(boolean avellaneda) {
        return avellaneda ? new AvellanedaStoikovStrategy(AvellanedaStoikovStrategy.Parameters.defaults())
                : new InventorySkewStrategy(new InventorySkewStrategy.Parameters(4, 1_000_000, 2, 3, 500, 0));
    }

    static StrategyEngineConfig config() {
        return Fixture.config().withMaxLevels(2).withAntiChurn(1, 10, 100, 2_000).withRejectBackoffMillis(500);
    }

    static StrategyEngine engine(boolean avellaneda) {
        return new StrategyEngine(config(), Fixture.registry(), strategy(avellaneda));
    }

    /** drives one engine and turns steps into concrete events from the orders that engine placed */
    static final class Stream {
        final StrategyEngine engine;
        final InboundEvent slot = new InboundEvent();
        /** our orders by client order id, in the order they were placed: [instrument, side, price, lots] */
        final Map<Long, long[]> orders = new LinkedHashMap<>();
        long sequence;
        long now = Fixture.T0;
        long fairValue = FV;

        Stream(StrategyEngine engine) {
            this.engine = engine;
        }

        Event resolve(Step s) {
            now += s.dtMillis() * MS;
            long seq = sequence++;
            long t = now;
            int kind = s.kind();
            if (kind >= 7 && kind <= 10 && orders.isEmpty()) {
                kind = 5;
            }
            switch (kind) {
                case 0, 1, 2 -> {
                    int instrument = s.a() % 3;
                    fairValue = FV + (s.c() % 2001 - 1000) * 10_000_000L;
                    long ticksPerUsd = instrument == KRAKEN ? 10 : 100;
                    long mid = fairValue / 1_000_000_000L * ticksPerUsd;
                    long bid = mid - 1 - s.b() % 20;
                    long ask = mid + 1 + s.c() % 20;
                    boolean withFair = s.b() % 4 != 0;
                    long fv = s.b() % 17 == 0 ? Long.MIN_VALUE : fairValue;
                    return new Event(seq, InboundEventType.MARKET_DATA, t, false, e -> {
                        e.book().top(instrument, BookState.VALID, bid, 1 + s.a() % 5, ask, 1 + s.b() % 5);
                        if (withFair) {
                            e.book().fairValue(instrument == OTHER ? 1 : PAIR, fv);
                        }
                    });
                }
                case 3 -> {
                    fairValue += (s.c() % 201 - 100) * 1_000_000L;
                    long fv = fairValue;
                    return new Event(seq, InboundEventType.MARKET_DATA, t, false, e -> e.book().fairValue(PAIR, fv));
                }
                case 4 -> {
                    int instrument = s.a() % 3;
                    BookState state = BookState.values()[s.b() % BookState.values().length];
                    return new Event(seq, InboundEventType.MARKET_DATA, t, false, e -> {
                        e.book().changed(instrument, state);
                        if (state != BookState.VALID) {
                            e.book().top(instrument, state, Long.MIN_VALUE, 0, Long.MIN_VALUE, 0);
                        }
                    });
                }
                case 7, 8, 9, 10 -> {
                    List<Long> ids = new ArrayList<>(orders.keySet());
                    long id = ids.get(s.b() % ids.size());
                    long[] order = orders.get(id);
                    ExecType type = REPORTS[s.a() % REPORTS.length];
                    long lots = Math.max(1, order[3]);
                    long leaves = type == ExecType.FILLED ? 0 : s.c() % (lots + 1);
                    long last = type == ExecType.PARTIALLY_FILLED || type == ExecType.FILLED ? 1 + s.c() % lots : 0;
                    long owner = kind == 10 ? 2 : 1;
                    long price = order[2] + (type == ExecType.REPLACED ? s.a() % 3 - 1 : 0);
                    return new Event(seq, InboundEventType.EXECUTION_REPORT, t, false, e -> {
                        e.executionReport().set(type, order[0] == KRAKEN ? 2 : 1, (int) order[0], id, 99,
                                Side.values()[(int) order[1]], price, leaves, t).owner(owner);
                        if (last > 0) {
                            e.executionReport().fill(7, price, last, true);
                        }
                    });
                }
                case 11 -> {
                    List<String> keys = engine.parameterKeys();
                    String key = s.a() % 10 == 0 ? "no.such.key" : keys.get(s.a() % keys.size());
                    long value = s.b() % 2 == 0 ? s.c() % 20 : s.c() % 200_000 - 1;
                    String command = switch (s.b() % 9) {
                        case 0 -> ControlCommands.STOP_STRATEGY;
                        case 1 -> ControlCommands.START_STRATEGY;
                        case 2 -> ControlCommands.KILL_SWITCH;
                        default -> ControlCommands.SET_STRATEGY_PARAMETER;
                    };
                    int venue = s.a() % 7 == 0 ? 3 : -1;
                    return new Event(seq, InboundEventType.CONTROL, t, false, e -> {
                        e.control().set(command, seq, "alice", "property").target(venue, -1);
                        if (command.equals(ControlCommands.SET_STRATEGY_PARAMETER)) {
                            e.control().argument(key, value);
                        }
                    });
                }
                case 12 -> {
                    int instrument = s.a() % 2;
                    return new Event(seq, InboundEventType.MARKET_DATA, t, true, e -> {
                        e.book().top(instrument, BookState.VALID, 1, 1, 2, 1);
                        e.book().fairValue(PAIR, 1);
                    });
                }
                default -> {
                    return new Event(seq, InboundEventType.TIMER, t, false, e -> { });
                }
            }
        }

        /** feeds an event and returns the intents it added, as text; remembers our new orders */
        String deliver(Event ev) {
            String out = StrategyEngineStateProperties.deliver(engine, slot, ev);
            for (int i = 0; i < slot.intentCount(); i++) {
                QuoteIntent q = slot.intent(i);
                if (q.action() == QuoteAction.PLACE) {
                    orders.put(ClientOrderIds.of(ev.sequence(), i),
                            new long[]{q.instrumentId(), q.side().ordinal(), q.priceTicks(), q.quantityLots()});
                } else if (q.action() == QuoteAction.REPLACE && orders.containsKey(q.targetClientOrderId())) {
                    long[] o = orders.get(q.targetClientOrderId());
                    o[2] = q.priceTicks();
                    o[3] = q.quantityLots();
                }
            }
            return out;
        }
    }

    static String deliver(StrategyEngine engine, InboundEvent slot, Event ev) {
        slot.begin(ev.sequence(), ev.type(), ev.time());
        slot.book().reset();
        ev.fill().accept(slot);
        if (ev.faulted()) {
            slot.markFaulted("marketdata");
        }
        engine.onEvent(slot, ev.sequence(), true);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < slot.intentCount(); i++) {
            QuoteIntent q = slot.intent(i);
            out.append(q.action()).append(' ').append(q.venueId()).append(' ').append(q.instrumentId()).append(' ')
                    .append(q.side()).append(' ').append(q.level()).append(' ').append(q.quantityLots()).append('@')
                    .append(q.priceTicks()).append(" target ").append(q.targetClientOrderId()).append("; ");
        }
        return out.toString();
    }

    static String digest(StrategyEngine engine) {
        StateDigest digest = new StateDigest();
        engine.digestState(digest);
        return digest.hex();
    }

    static byte[] state(StrategyEngine engine) {
        StateWriter out = new StateWriter(64);
        engine.writeState(out);
        return out.toBytes();
    }

    /** the whole run on A, its events and per-event output; B is A's twin stopped after event {@code cut} */
    record Run(List<Event> events, List<String> outputs, StrategyEngine a, StrategyEngine b) {
    }

    static Run run(List<Step> steps, boolean avellaneda, int cut) {
        Stream a = new Stream(engine(avellaneda));
        List<Event> events = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Step step : steps) {
            Event ev = a.resolve(step);
            events.add(ev);
            outputs.add(a.deliver(ev));
        }
        StrategyEngine b = engine(avellaneda);
        InboundEvent slot = new InboundEvent();
        for (int i = 0; i <= cut; i++) {
            deliver(b, slot, events.get(i));
        }
        return new Run(events, outputs, a.engine, b);
    }

    @Property(tries = 150)
    void anEngineRestoredAtAnyPointDecidesAsTheOneThatNeverStopped(@ForAll("steps") List<Step> steps,
                                                                  @ForAll @IntRange(min = 0, max = 1000) int cutSeed,
                                                                  @ForAll boolean avellaneda) {
        int cut = cutSeed % (steps.size() + 1) - 1; // -1: before the first event
        Run run = run(steps, avellaneda, cut);
        byte[] bytes = state(run.b());

        StrategyEngine c = engine(avellaneda);
        c.readState(new StateReader(bytes));
        assertThat(Arrays.equals(state(c), bytes)).as("a restored engine writes the state it read").isTrue();
        assertThat(digest(c)).isEqualTo(digest(run.b()));

        InboundEvent slot = new InboundEvent();
        for (int i = cut + 1; i < run.events().size(); i++) {
            assertThat(deliver(c, slot, run.events().get(i))).as("intents of event %d (restored after %d)", i, cut)
                    .isEqualTo(run.outputs().get(i));
        }
        assertThat(digest(c)).isEqualTo(digest(run.a()));
        assertThat(c.lastRefusal()).isEqualTo(run.a().lastRefusal());
        if (avellaneda) {
            assertThat(((AvellanedaStoikovStrategy) c.strategy()).sigma())
                    .isEqualTo(((AvellanedaStoikovStrategy) run.a().strategy()).sigma());
        }
    }

    @Property(tries = 100)
    void writingTwiceAtOnePointGivesTheSameBytes(@ForAll("steps") List<Step> steps, @ForAll boolean avellaneda) {
        Run run = run(steps, avellaneda, steps.size() - 1);
        byte[] first = state(run.a());
        assertThat(Arrays.equals(state(run.a()), first)).isTrue();
        assertThat(Arrays.equals(state(run.b()), first)).as("its twin at the same point").isTrue();
    }

    @Property(tries = 100)
    void aTruncatedStateIsRefused(@ForAll("steps") List<Step> steps, @ForAll boolean avellaneda,
                                  @ForAll @IntRange(min = 0, max = 100_000) int lengthSeed) {
        byte[] bytes = state(run(steps, avellaneda, steps.size() - 1).b());
        byte[] truncated = Arrays.copyOf(bytes, lengthSeed % bytes.length);
        assertThatThrownBy(() -> engine(avellaneda).readState(new StateReader(truncated)))
                .isExactlyInstanceOf(StateFormatException.class);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + lengthSeed % 8);
        assertThatThrownBy(() -> engine(avellaneda).readState(new StateReader(longer)))
                .isExactlyInstanceOf(StateFormatException.class).hasMessageContaining("left unread");
    }

    @Property(tries = 150)
    void aCorruptedStateIsRefusedOrReadsBackAsTheSameState(@ForAll("steps") List<Step> steps, @ForAll boolean avellaneda,
                                                          @ForAll @IntRange(min = 0, max = 100_000) int at,
                                                          @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] bytes = state(run(steps, avellaneda, steps.size() - 1).b());
        byte[] corrupted = bytes.clone();
        corrupted[at % bytes.length] ^= (byte) flip;
        StrategyEngine c = engine(avellaneda);
        Throwable thrown = catchThrowable(() -> c.readState(new StateReader(corrupted)));
        if (thrown == null) {
            // only a byte that does not change a value passes (a boolean's non-zero byte)
            assertThat(Arrays.equals(state(c), bytes)).as("accepted only unchanged").isTrue();
        } else {
            assertThat(thrown).isExactlyInstanceOf(StateFormatException.class);
        }
    }

    @Property(tries = 20)
    void aStateOfAnotherConfigurationIsRefusedWithTheReason(@ForAll("steps") List<Step> steps) {
        byte[] bytes = state(run(steps, false, steps.size() - 1).b());
        StrategyEngine oneVenue = new StrategyEngine(StrategyEngineConfig.of(PAIR, List.of(COINBASE)).withMaxLevels(2),
                Fixture.registry(), strategy(false));
        assertThatThrownBy(() -> oneVenue.readState(new StateReader(bytes)))
                .isExactlyInstanceOf(StateFormatException.class)
                .hasMessageContaining("another configuration").hasMessageContaining("quotes 2 instruments, this engine 1");
        StrategyEngine otherLevels = new StrategyEngine(config().withMaxLevels(3), Fixture.registry(), strategy(false));
        assertThatThrownBy(() -> otherLevels.readState(new StateReader(bytes)))
                .isExactlyInstanceOf(StateFormatException.class).hasMessageContaining("2 levels").hasMessageContaining("3 levels");
        assertThatThrownBy(() -> engine(true).readState(new StateReader(bytes)))
                .isExactlyInstanceOf(StateFormatException.class)
                .hasMessageContaining("'inventory-skew', this engine runs 'avellaneda-stoikov'");
    }

    @Property(tries = 20)
    void theStateCarriesParameterChangesAndTheKillSwitch(@ForAll @IntRange(min = 1, max = 15) int spread) {
        Fixture f = new Fixture(config(), strategy(false));
        f.setParameter(InventorySkewStrategy.SPREAD_TICKS, spread);
        f.setParameter(StrategyEngine.REPLACE_TICKS, spread + 1);
        f.setParameter(StrategyEngine.REJECT_BACKOFF_MILLIS, -5);
        f.control(ControlCommands.KILL_SWITCH, null, 0);
        StrategyEngine c = engine(false);
        c.readState(new StateReader(state(f.engine)));
        assertThat(c.parameter(InventorySkewStrategy.SPREAD_TICKS)).isEqualTo(spread);
        assertThat(c.parameter(StrategyEngine.REPLACE_TICKS)).isEqualTo(spread + 1);
        assertThat(c.lastRefusal()).contains(StrategyEngine.REJECT_BACKOFF_MILLIS + "=-5 refused");
        assertThat(c.quoting()).isFalse();
        // killed: a valid book and fair value bring no quotes until START_STRATEGY
        InboundEvent slot = new InboundEvent();
        slot.begin(100, InboundEventType.MARKET_DATA, Fixture.T0);
        slot.book().reset();
        slot.book().top(KRAKEN, BookState.VALID, 499_000, 1, 501_000, 1);
        slot.book().fairValue(PAIR, FV);
        c.onEvent(slot, 100, true);
        assertThat(slot.intentCount()).isZero();
    }
}
