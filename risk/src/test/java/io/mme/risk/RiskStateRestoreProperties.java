package io.mme.risk;

import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crash recovery: an engine that reads the state another wrote after event {@code s} and then
 * consumes the events after {@code s} is indistinguishable from the one that never stopped: the same
 * verdict on every later intent, the same digest, the same control outcomes and console view. Random
 * streams mix fair values, multi-intent slots (PLACE, REPLACE, CANCEL), every report type, repeated
 * fills, untracked trades, timers across UTC days, limit and trading-state changes (some refused) and
 * the kill switch, against limits tight enough that every check, the throttle and the daily loss fire.
 */
class RiskStateRestoreProperties {
    private static final int KINDS = 12;

    @Provide
    Arbitrary<List<int[]>> streams() {
        Arbitrary<int[]> step = Arbitraries.integers().between(0, 9).array(int[].class).ofSize(5)
                .map(a -> {
                    a[0] = (a[0] * 10 + a[4]) % KINDS;
                    return a;
                });
        return step.list().ofMinSize(1).ofMaxSize(90);
    }

    @Property(tries = 150)
    void anEngineRestoredAtAnyPointDecidesAndDigestsLikeTheOneThatNeverStopped(
            @ForAll("streams") List<int[]> steps, @ForAll @IntRange(min = 0, max = 100) int cutPercent) {
        int cut = steps.size() * cutPercent / 100;

        Driver a = new Driver(new RiskFixture(config()));
        List<String> decisionsA = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            String d = a.apply(steps.get(k));
            if (k >= cut) {
                decisionsA.add(d);
            }
        }
        a.f.timer();

        Driver b = new Driver(new RiskFixture(config()));
        for (int k = 0; k < cut; k++) {
            b.apply(steps.get(k));
        }
        byte[] state = write(b.f.engine);
        assertThat(write(b.f.engine)).as("the same state written twice").isEqualTo(state);

        Driver c = b.continueWith(new RiskFixture(config()));
        c.f.engine.readState(new StateReader(state));
        assertThat(digest(c.f.engine)).as("digest right after the restore").isEqualTo(digest(b.f.engine));
        assertThat(write(c.f.engine)).as("the restored engine writes the same bytes").isEqualTo(state);
        assertThat(c.f.engine.view().openOrders()).as("view published on restore").isEqualTo(b.f.engine.openOrders());

        List<String> decisionsC = new ArrayList<>();
        for (int k = cut; k < steps.size(); k++) {
            decisionsC.add(c.apply(steps.get(k)));
        }
        c.f.timer();

        assertThat(decisionsC).as("verdicts after the cut").containsExactlyElementsOf(decisionsA);
        assertThat(digest(c.f.engine)).isEqualTo(digest(a.f.engine));
        assertThat(c.f.engine.changeLog()).isEqualTo(a.f.engine.changeLog());
        assertThat(c.f.engine.changesRecorded()).isEqualTo(a.f.engine.changesRecorded());
        for (long requestId = 0; requestId < 10; requestId++) {
            assertThat(c.f.engine.outcome(requestId)).as("outcome of request %d", requestId).isEqualTo(a.f.engine.outcome(requestId));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(c.f.engine.view().positionLots(i)).isEqualTo(a.f.engine.view().positionLots(i));
            assertThat(c.f.engine.view().realizedNanos(i)).isEqualTo(a.f.engine.view().realizedNanos(i));
            assertThat(c.f.engine.view().unrealizedNanos(i)).isEqualTo(a.f.engine.view().unrealizedNanos(i));
        }
        assertThat(c.f.engine.view().dailyPnlNanos()).isEqualTo(a.f.engine.view().dailyPnlNanos());
        assertThat(c.f.engine.view().approvedIntents()).isEqualTo(a.f.engine.view().approvedIntents());
        assertThat(c.f.engine.view().globalState()).isEqualTo(a.f.engine.view().globalState());
    }

    @Property(tries = 100)
    void aTruncatedOrCorruptedStateIsRefusedWithAStateFormatException(
            @ForAll("streams") List<int[]> steps, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        Driver b = new Driver(new RiskFixture(config()));
        for (int[] step : steps) {
            b.apply(step);
        }
        byte[] state = write(b.f.engine);

        byte[] truncated = Arrays.copyOf(state, where % state.length);
        assertThatThrownBy(() -> new RiskEngine(RiskFixture.registry(), config()).readState(new StateReader(truncated)))
                .isInstanceOf(StateFormatException.class);

        byte[] corrupted = state.clone();
        corrupted[where % state.length] ^= (byte) flip;
        assertThatThrownBy(() -> new RiskEngine(RiskFixture.registry(), config()).readState(new StateReader(corrupted)))
                .isInstanceOf(StateFormatException.class);

        byte[] longer = Arrays.copyOf(state, state.length + 1);
        assertThatThrownBy(() -> new RiskEngine(RiskFixture.registry(), config()).readState(new StateReader(longer)))
                .isInstanceOf(StateFormatException.class);
    }

    /** tight limits and small capacities, so that the checks, the throttle, the daily loss and every bound bite */
    static RiskConfig config() {
        RiskConfig config = RiskFixture.permissive(limits -> {
            for (int i = 0; i < 3; i++) {
                limits.set(LimitKind.MAX_ORDER_QUANTITY, i, 8)
                        .set(LimitKind.PRICE_BAND, i, 200)
                        .set(LimitKind.MAX_POSITION, i, 40)
                        .set(LimitKind.MAX_OPEN_ORDERS_PER_INSTRUMENT, i, 5);
            }
            for (int v = 0; v < Venue.values().length; v++) {
                limits.set(LimitKind.MAX_OPEN_ORDERS_PER_VENUE, v, 7)
                        .set(LimitKind.ORDER_RATE, v, 60)
                        .set(LimitKind.ORDER_BURST, v, 3);
            }
            limits.set(LimitKind.DAILY_LOSS, 0, 30L * 1_000_000_000L);
        });
        return config.withFees(new long[]{2, 5, -1}, new long[]{7, 9, 4}).withCapacities(12, 4, 5);
    }

    static byte[] write(RiskEngine engine) {
        StateWriter out = new StateWriter(64);
        engine.writeState(out);
        return out.toBytes();
    }

    static String digest(RiskEngine engine) {
        StateDigest d = new StateDigest();
        engine.digestState(d);
        return d.hex();
    }

    /**
     * Turns a step {kind, a, b, c, d} (each 0..9) into one inbound event on a fixture and says what
     * the engine decided on it. Its bookkeeping (order ids placed, trade ids) depends only on the
     * steps, so a copy carried onto a fresh fixture continues the same stream.
     */
    static final class Driver {
        final RiskFixture f;
        final List<long[]> placed = new ArrayList<>();
        long tradeId = 1;

        Driver(RiskFixture f) {
            this.f = f;
        }

        Driver continueWith(RiskFixture fresh) {
            Driver d = new Driver(fresh);
            fresh.sequence = f.sequence;
            fresh.now = f.now;
            d.placed.addAll(placed);
            d.tradeId = tradeId;
            return d;
        }

        private long[] order(int k) {
            return placed.isEmpty() ? new long[]{12345, 0, 0} : placed.get(k % placed.size());
        }

        private static Side side(long ordinal) {
            return ordinal == 0 ? Side.BUY : Side.SELL;
        }

        String apply(int[] s) {
            int a = s[1];
            int b = s[2];
            int c = s[3];
            f.now += a * 37_000_000L;
            switch (s[0]) {
                case 0 -> f.fairValue(a % 3, b == 0 ? Long.MIN_VALUE : RiskFixture.FAIR + (b - 5) * (RiskFixture.FAIR / 200));
                case 1, 2, 3 -> {
                    InboundEvent e = f.intents(ev -> {
                        for (int k = 0; k <= c % 3; k++) {
                            addIntent(ev, (a + k * b) % 5, a + k, b + k, c + k);
                        }
                    });
                    StringBuilder out = new StringBuilder();
                    for (int k = 0; k < e.intentCount(); k++) {
                        QuoteIntent q = e.intent(k);
                        out.append(q.verdict()).append('/').append(q.rejectCode()).append(' ');
                    }
                    return out.toString();
                }
                case 4 -> {
                    long[] o = order(a);
                    ExecType type = ExecType.values()[b % ExecType.values().length];
                    f.report(type, o[0], (int) o[1], side(o[2]), RiskFixture.FAIR_TICKS + c * 1000, c % 3 == 0 ? 0 : c);
                }
                case 5, 6 -> {
                    long[] o = order(a);
                    long id = c == 0 ? Math.max(1, tradeId - 1) : tradeId++;
                    f.fill(o[0], (int) o[1], side(o[2]), RiskFixture.FAIR_TICKS + (b - 5) * 40_000, 1 + b, id, c % 2 == 0,
                            c == 9, c % 4);
                }
                case 7 -> f.fill(999_999, a % 3, side(b % 2), RiskFixture.FAIR_TICKS + (c - 5) * 60_000, 1 + a, tradeId++,
                        false, true, 0);
                case 8 -> {
                    f.now += c == 9 ? 12 * 3_600_000_000_000L : c * 20_000_000_000L;
                    f.timer();
                }
                case 9 -> {
                    LimitKind kind = LimitKind.values()[a % LimitKind.values().length];
                    int venue = switch (kind.scope()) {
                        case VENUE -> b % 4 == 3 ? 7 : b % 3;
                        default -> -1;
                    };
                    int instrument = kind.scope() == LimitKind.Scope.INSTRUMENT || kind.scope() == LimitKind.Scope.ASSET
                            ? b % 4 - (b == 9 ? 5 : 0) : -1;
                    long value = c == 0 ? -1 : limitValue(kind, c);
                    f.control(ControlCommands.SET_LIMIT, b, b == 8 ? null : "alice", "why " + a, venue, instrument, kind.key(),
                            value);
                }
                case 10 -> {
                    int venue = a % 3 == 0 ? b % 3 : -1;
                    int instrument = a % 3 == 1 ? b % 4 : -1;
                    f.control(ControlCommands.SET_TRADING_STATE, b, "bob", "state", venue, instrument, null, c % 4 == 3 ? 0 : c % 4);
                }
                case 11 -> {
                    if (a == 0 && b < 5) {
                        f.control(ControlCommands.KILL_SWITCH, b, "carol", "kill", -1, -1, null, 0);
                    } else if (a == 1) {
                        // a scoped kill switch: a venue, an instrument, or an unknown target (halts globally)
                        f.control(ControlCommands.KILL_SWITCH, b, "carol", "kill", b % 3 == 0 ? 1 : b % 3 == 1 ? -1 : 9,
                                b % 3 == 1 ? b % 3 : -1, null, 0);
                    } else if (a == 2) {
                        f.control(ControlCommands.CANCEL_ALL, b, "dave", "cancel", b % 4 == 3 ? 8 : b % 2 == 0 ? b % 3 : -1, -1, null, 0);
                    } else {
                        f.control(ControlCommands.SET_TRADING_STATE, b, "bob", "resume", -1, -1, null, 0);
                    }
                }
                default -> throw new IllegalStateException("kind " + s[0]);
            }
            // the cancels risk decided on this event (a halt, REDUCING, kill switch, cancel-all) are decisions too
            return f.event.cancels().toString();
        }

        private static long limitValue(LimitKind kind, int c) {
            return switch (kind) {
                case MAX_ORDER_NOTIONAL, MAX_ASSET_POSITION, DAILY_LOSS -> c * 10L * 1_000_000_000L;
                case PRICE_BAND -> c * 60L;
                case ORDER_RATE -> c * 30L;
                default -> c * 2L;
            };
        }

        private void addIntent(InboundEvent e, int action, int a, int b, int c) {
            int index = e.intentCount();
            if (action <= 2) {
                int instrument = a % 3;
                Side side = side(b % 2);
                long price = RiskFixture.FAIR_TICKS + (b % 10 - 5) * 30_000;
                e.addIntent().set(QuoteAction.PLACE, RiskFixture.venueOf(instrument), instrument, side, 0, price, 1 + c % 10, 0);
                placed.add(new long[]{ClientOrderIds.of(e.sequence(), index), instrument, side.ordinal()});
            } else {
                long[] o = order(a);
                QuoteAction q = action == 3 ? QuoteAction.REPLACE : QuoteAction.CANCEL;
                e.addIntent().set(q, RiskFixture.venueOf((int) o[1]), (int) o[1], side(o[2]), 0,
                        RiskFixture.FAIR_TICKS + (c % 10 - 5) * 20_000, 1 + b % 10, o[0]);
            }
        }
    }
}
