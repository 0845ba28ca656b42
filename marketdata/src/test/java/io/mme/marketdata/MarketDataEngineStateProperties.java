package io.mme.marketdata;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookView;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Crash recovery of the market data engine: an engine restored from another's state at event s
 * and fed the events after s writes the same book views, asks for the same resyncs and ends with
 * the same books as the engine that never stopped.
 */
class MarketDataEngineStateProperties {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final int CAPACITY = 6;

    /** 0, 1: BTC/USD on two venues (one pair); 2: ETH/USD */
    static InstrumentRegistry registry() {
        return InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "ETH-USD", "ETH", "USD", "0.01", "0.001", null, null, null, null))
                .build();
    }

    /** one engine and the resync requests it made, in order */
    static final class Harness {
        final List<String> resyncs = new ArrayList<>();
        final MarketDataEngine engine;
        final InboundEvent slot = new InboundEvent();

        Harness(InstrumentRegistry registry) {
            engine = new MarketDataEngine(registry, CAPACITY, 5_000 * MS, (id, why) -> resyncs.add(id + ": " + why),
                    new ConsolidatedView(registry, FairValueMethod.MICRO_PRICE, null));
        }

        Harness() {
            this(registry());
        }

        /** feeds one event; returns everything it wrote into the slot and the resyncs it asked for */
        String deliver(Event ev, long sequence) {
            int before = resyncs.size();
            slot.begin(sequence, ev.type(), ev.time());
            if (ev.type() == InboundEventType.MARKET_DATA) {
                slot.marketData().set(ev.kind(), 0, ev.instrument(), ev.side(), ev.price(), ev.quantity(), sequence, ev.time(),
                        ev.time(), ev.endOfMessage());
                if (ev.kind() == MarketDataKind.BOOK_STATE) {
                    slot.marketData().bookValid(false);
                }
            }
            engine.onEvent(slot, sequence, true);
            BookView v = slot.book();
            StringBuilder out = new StringBuilder().append(v.instrumentId());
            if (v.instrumentId() >= 0) { // the top is written only with a touched instrument
                out.append(' ').append(v.state()).append(' ').append(v.bidLots()).append('@').append(v.bidTicks()).append(' ')
                        .append(v.askLots()).append('@').append(v.askTicks());
            }
            out.append(" pair ").append(v.pair()).append(" fv ").append(v.fairValue()).append(" changes");
            for (int c = 0; c < v.changes(); c++) {
                out.append(' ').append(v.changedInstrument(c)).append('=').append(v.changedState(c));
            }
            return out.append(" resyncs ").append(resyncs.subList(before, resyncs.size())).toString();
        }
    }

    record Event(InboundEventType type, long time, MarketDataKind kind, int instrument, Side side, long price, long quantity,
                 boolean endOfMessage) {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<int[]> raw = Combinators.combine(Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 21), Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 3_000))
                .as((kind, instrument, price, qty, dt) -> new int[]{kind, instrument, price, qty, dt});
        return raw.list().ofMinSize(5).ofMaxSize(150).map(MarketDataEngineStateProperties::toEvents);
    }

    /** a feed-like stream: mostly levels (bids 80..101, asks 100..121: sometimes crossed), snapshots, problems, trades, timers */
    static List<Event> toEvents(List<int[]> raw) {
        List<Event> events = new ArrayList<>();
        long now = T0;
        for (int[] r : raw) {
            now += r[4] * MS;
            int kind = r[0];
            int id = r[1];
            boolean end = r[3] != 0;
            if (kind < 10) {
                Side side = kind % 2 == 0 ? Side.BUY : Side.SELL;
                long price = side == Side.BUY ? 80 + r[2] : 100 + r[2];
                events.add(new Event(InboundEventType.MARKET_DATA, now, MarketDataKind.LEVEL, id, side, price, r[3], end));
            } else if (kind < 12) {
                events.add(new Event(InboundEventType.MARKET_DATA, now, MarketDataKind.CLEAR, id, null, 0, 0, false));
            } else if (kind == 12) {
                events.add(new Event(InboundEventType.MARKET_DATA, now, MarketDataKind.BOOK_STATE, id, null, 0, 0, true));
            } else if (kind == 13) {
                events.add(new Event(InboundEventType.MARKET_DATA, now, MarketDataKind.TRADE, id, Side.BUY, 100 + r[2], 1, true));
            } else if (kind == 14) {
                now += 6_000 * MS; // long enough for a quiet feed to go stale
                events.add(new Event(InboundEventType.TIMER, now, null, -1, null, 0, 0, false));
            } else {
                events.add(new Event(InboundEventType.TIMER, now, null, -1, null, 0, 0, false));
            }
        }
        return events;
    }

    static byte[] state(MarketDataEngine engine) {
        StateWriter out = new StateWriter(64);
        engine.writeState(out);
        return out.toBytes();
    }

    static Harness runUpTo(List<Event> events, int last) {
        Harness h = new Harness();
        for (int i = 0; i <= last; i++) {
            h.deliver(events.get(i), i);
        }
        return h;
    }

    static void assertSameEngines(MarketDataEngine actual, MarketDataEngine expected) {
        for (int id = 0; id < 3; id++) {
            assertThat(actual.book(id).difference(expected.book(id))).as("book %d", id).isNull();
            assertThat(actual.book(id).overflowed()).isEqualTo(expected.book(id).overflowed());
            assertThat(actual.state(id)).isEqualTo(expected.state(id));
            assertThat(actual.reason(id)).isEqualTo(expected.reason(id));
            assertThat(actual.resyncs(id)).isEqualTo(expected.resyncs(id));
            assertThat(actual.invalidations(id)).isEqualTo(expected.invalidations(id));
            assertThat(actual.validNanos(id)).isEqualTo(expected.validNanos(id));
        }
        for (int pair = 0; pair < 2; pair++) {
            assertThat(actual.fairValue(pair)).isEqualTo(expected.fairValue(pair));
        }
    }

    @Property(tries = 200)
    void anEngineRestoredAtAnyPointWritesWhatTheOneThatNeverStoppedWrites(@ForAll("events") List<Event> events,
                                                                         @ForAll @IntRange(min = 0, max = 1000) int cutSeed) {
        int cut = cutSeed % (events.size() + 1) - 1; // -1: before the first event
        Harness a = new Harness();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            outputs.add(a.deliver(events.get(i), i));
        }
        Harness b = runUpTo(events, cut);
        byte[] bytes = state(b.engine);

        Harness c = new Harness();
        c.engine.readState(new StateReader(bytes));
        assertSameEngines(c.engine, b.engine);
        assertThat(Arrays.equals(state(c.engine), bytes)).as("a restored engine writes the state it read").isTrue();
        for (int i = cut + 1; i < events.size(); i++) {
            assertThat(c.deliver(events.get(i), i)).as("book view of event %d (restored after %d)", i, cut).isEqualTo(outputs.get(i));
        }
        assertSameEngines(c.engine, a.engine);
    }

    @Property(tries = 100)
    void writingTwiceAtOnePointGivesTheSameBytes(@ForAll("events") List<Event> events) {
        Harness a = runUpTo(events, events.size() - 1);
        byte[] first = state(a.engine);
        assertThat(Arrays.equals(state(a.engine), first)).isTrue();
        assertThat(Arrays.equals(state(runUpTo(events, events.size() - 1).engine), first)).as("its twin at the same point").isTrue();
    }

    @Property(tries = 100)
    void aTruncatedOrLengthenedStateIsRefused(@ForAll("events") List<Event> events, @ForAll @IntRange(min = 0, max = 100_000) int lengthSeed) {
        byte[] bytes = state(runUpTo(events, events.size() - 1).engine);
        byte[] truncated = Arrays.copyOf(bytes, lengthSeed % bytes.length);
        assertThatThrownBy(() -> new Harness().engine.readState(new StateReader(truncated)))
                .isExactlyInstanceOf(StateFormatException.class);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + lengthSeed % 8);
        assertThatThrownBy(() -> new Harness().engine.readState(new StateReader(longer)))
                .isExactlyInstanceOf(StateFormatException.class).hasMessageContaining("left unread");
    }

    @Property(tries = 200)
    void aCorruptedStateIsRefusedOrReadsBackAsTheSameState(@ForAll("events") List<Event> events,
                                                          @ForAll @IntRange(min = 0, max = 100_000) int at,
                                                          @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] bytes = state(runUpTo(events, events.size() - 1).engine);
        byte[] corrupted = bytes.clone();
        corrupted[at % bytes.length] ^= (byte) flip;
        Harness c = new Harness();
        Throwable thrown = catchThrowable(() -> c.engine.readState(new StateReader(corrupted)));
        if (thrown == null) {
            // only a byte that does not change a value passes (a boolean's non-zero byte)
            assertThat(Arrays.equals(state(c.engine), bytes)).as("accepted only unchanged").isTrue();
        } else {
            assertThat(thrown).isExactlyInstanceOf(StateFormatException.class);
        }
    }

    @Property(tries = 20)
    void aStateOfAnotherConfigurationIsRefusedWithTheReason(@ForAll("events") List<Event> events) {
        byte[] bytes = state(runUpTo(events, events.size() - 1).engine);
        InstrumentRegistry two = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.0001", null, null, null, null))
                .build();
        assertThatThrownBy(() -> new Harness(two).engine.readState(new StateReader(bytes)))
                .isExactlyInstanceOf(StateFormatException.class)
                .hasMessage("market data state of another configuration: it has 3 instruments, this engine's registry 2");
        InstrumentRegistry reordered = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "ETH-USD", "ETH", "USD", "0.01", "0.001", null, null, null, null))
                .build();
        assertThatThrownBy(() -> new Harness(reordered).engine.readState(new StateReader(bytes)))
                .isExactlyInstanceOf(StateFormatException.class)
                .hasMessageContaining("instrument 0 is COINBASE BTC-USD there, KRAKEN XBT/USD here");
        MarketDataEngine deeper = new MarketDataEngine(registry(), CAPACITY + 1, 5_000 * MS, ResyncRequests.NONE);
        assertThatThrownBy(() -> deeper.readState(new StateReader(bytes)))
                .isExactlyInstanceOf(StateFormatException.class).hasMessageContaining("books of 6 levels per side");
    }
}
