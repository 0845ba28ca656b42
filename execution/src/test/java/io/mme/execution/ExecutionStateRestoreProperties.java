package io.mme.execution;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RejectCodes;
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
import java.util.Map;

import static io.mme.execution.Harness.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crash recovery: an engine that reads the state another wrote after event {@code s} and then
 * consumes the events after {@code s} sends the same commands and the same synthetic reports on every
 * later event and ends with the same digest as the one that never stopped. Random streams mix
 * multi-intent slots (approved, risk-rejected and unjudged PLACE / REPLACE / CANCEL, an unrouted
 * venue), every report type (repeated, contradictory, for ended and unknown orders), timers that run
 * acknowledgements into status queries and UNKNOWN, the kill switch and a halting publisher, on a small
 * table so that it fills and the recently-ended ring wraps.
 */
class ExecutionStateRestoreProperties {
    private static final int KINDS = 13;

    @Provide
    Arbitrary<List<int[]>> streams() {
        Arbitrary<int[]> step = Arbitraries.integers().between(0, 9).array(int[].class).ofSize(5)
                .map(a -> {
                    a[0] = (a[0] * 10 + a[4]) % KINDS;
                    return a;
                });
        return step.list().ofMinSize(1).ofMaxSize(100);
    }

    @Property(tries = 150)
    void anEngineRestoredAtAnyPointSendsAndDigestsLikeTheOneThatNeverStopped(
            @ForAll("streams") List<int[]> steps, @ForAll @IntRange(min = 0, max = 100) int cutPercent) {
        int cut = steps.size() * cutPercent / 100;

        Driver a = new Driver(new Harness(config()));
        List<String> decisionsA = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            String d = a.apply(steps.get(k));
            if (k >= cut) {
                decisionsA.add(d);
            }
        }

        Driver b = new Driver(new Harness(config()));
        for (int k = 0; k < cut; k++) {
            b.apply(steps.get(k));
        }
        byte[] state = write(b.h.engine);
        assertThat(write(b.h.engine)).as("the same state written twice").isEqualTo(state);

        Driver c = b.continueWith(new Harness(config()));
        c.h.engine.readState(new StateReader(state));
        assertThat(digest(c.h.engine)).as("digest right after the restore").isEqualTo(digest(b.h.engine));
        assertThat(write(c.h.engine)).as("the restored engine writes the same bytes").isEqualTo(state);
        assertThat(c.h.engine.view().total(ExecutionCounter.ORDERS_SENT))
                .as("view published on restore").isEqualTo(total(b.h.engine, ExecutionCounter.ORDERS_SENT));

        List<String> decisionsC = new ArrayList<>();
        for (int k = cut; k < steps.size(); k++) {
            decisionsC.add(c.apply(steps.get(k)));
        }

        assertThat(decisionsC).as("commands and synthetic reports after the cut").containsExactlyElementsOf(decisionsA);
        assertThat(digest(c.h.engine)).isEqualTo(digest(a.h.engine));
        assertThat(c.h.engine.openIds()).isEqualTo(a.h.engine.openIds());
        for (long[] order : a.placed) {
            assertThat(c.h.engine.stateOf(order[0])).as("state of %d", order[0]).isEqualTo(a.h.engine.stateOf(order[0]));
        }
    }

    @Property(tries = 100)
    void aTruncatedOrCorruptedStateIsRefusedWithAStateFormatException(
            @ForAll("streams") List<int[]> steps, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
            @ForAll @IntRange(min = 1, max = 255) int flip) {
        Driver b = new Driver(new Harness(config()));
        for (int[] step : steps) {
            b.apply(step);
        }
        byte[] state = write(b.h.engine);

        byte[] truncated = Arrays.copyOf(state, where % state.length);
        assertThatThrownBy(() -> new Harness(config()).engine.readState(new StateReader(truncated)))
                .isInstanceOf(StateFormatException.class);

        byte[] corrupted = state.clone();
        corrupted[where % state.length] ^= (byte) flip;
        assertThatThrownBy(() -> new Harness(config()).engine.readState(new StateReader(corrupted)))
                .isInstanceOf(StateFormatException.class);

        byte[] longer = Arrays.copyOf(state, state.length + 1);
        assertThatThrownBy(() -> new Harness(config()).engine.readState(new StateReader(longer)))
                .isInstanceOf(StateFormatException.class);
    }

    /** venues 0 and 1 routed, 2 not; a table of 6 orders and a ring of 4 ended ones; 2 s acks, 2 queries */
    static ExecutionConfig config() {
        return ExecutionConfig.defaults().withGateways(Map.of(0, ExecutionConfig.PAPER, 1, "other"))
                .withCapacity(6, 4).withAckTimeout(2 * SECOND, 2);
    }

    static byte[] write(ExecutionEngine engine) {
        StateWriter out = new StateWriter(64);
        engine.writeState(out);
        return out.toBytes();
    }

    static String digest(ExecutionEngine engine) {
        StateDigest d = new StateDigest();
        engine.digestState(d);
        return d.hex();
    }

    private static long total(ExecutionEngine engine, ExecutionCounter counter) {
        long sum = 0;
        for (int row = 0; row <= engine.config().venueCount(); row++) {
            sum += engine.counter(row, counter);
        }
        return sum;
    }

    /**
     * Turns a step {kind, a, b, c, d} (each 0..9) into one inbound event on a harness and describes
     * the commands and synthetic reports it caused. Its bookkeeping depends only on the steps, so a
     * copy carried onto a fresh harness continues the same stream.
     */
    static final class Driver {
        final Harness h;
        /** {client order id, venue, instrument, side ordinal} of every PLACE */
        final List<long[]> placed = new ArrayList<>();
        /** {client order id, lots, leaves, trade id} of the last partial fill */
        long[] lastFill;

        Driver(Harness h) {
            this.h = h;
        }

        Driver continueWith(Harness fresh) {
            Driver d = new Driver(fresh);
            fresh.sequence = h.sequence;
            fresh.now = h.now;
            fresh.tradeIds = h.tradeIds;
            fresh.halted = h.halted;
            d.placed.addAll(placed);
            d.lastFill = lastFill;
            return d;
        }

        /** one of the last few orders placed, where the reports matter most */
        private long[] order(int k) {
            return placed.isEmpty() ? new long[]{424242, 0, Harness.INSTRUMENT, 0}
                    : placed.get(placed.size() - 1 - k % Math.min(4, placed.size()));
        }

        String apply(int[] s) {
            int a = s[1];
            int b = s[2];
            int c = s[3];
            int commandsBefore = h.commands.size();
            int reportsBefore = h.synthetic.size();
            h.now += a * 70_000_000L;
            long id = order(a)[0];
            switch (s[0]) {
                case 0, 1 -> h.intents(e -> {
                    for (int k = 0; k <= c % 3; k++) {
                        addIntent(e, (a + k * b) % 6, a + k, b + k, c + k);
                    }
                });
                case 2 -> h.report(ExecType.ACCEPTED, id, 100, 5);
                case 3 -> {
                    if (c < 3 && lastFill != null) {
                        // the venue redelivers the last fill
                        h.fill(ExecType.PARTIALLY_FILLED, lastFill[0], lastFill[1], lastFill[2], lastFill[3]);
                    } else {
                        lastFill = new long[]{id, b + 1, Math.max(0, 4 - b), h.tradeIds};
                        h.fill(ExecType.PARTIALLY_FILLED, id, b + 1, Math.max(0, 4 - b));
                    }
                }
                case 4 -> h.fill(ExecType.FILLED, id, b + 1, 0);
                case 5 -> h.cancelled(id, b);
                case 6 -> h.report(ExecType.REJECTED, id, 100, 0);
                case 7 -> h.report(ExecType.REPLACED, id, 100 + b, b + 1);
                case 8 -> h.report(b % 2 == 0 ? ExecType.CANCEL_REJECTED : ExecType.ORDER_STATUS, id, 100 + c,
                        c % 3 == 0 ? 0 : c);
                case 9 -> h.timer(b * SECOND / 2);
                case 10 -> {
                    if (b < 3) {
                        h.killSwitch();
                    } else {
                        h.timer(b * SECOND);
                    }
                }
                case 11 -> h.halted = b % 3 == 0;
                case 12 -> {
                    InboundEvent e = h.event(InboundEventType.EXECUTION_REPORT);
                    e.executionReport().set(ExecType.ACCEPTED, b % 4, Harness.INSTRUMENT, 999_000 + c, 1, Side.SELL, 100, 1,
                            h.now).owner(c % 2 == 0 ? Harness.OWNER : 77);
                    h.feed(e);
                }
                default -> throw new IllegalStateException("kind " + s[0]);
            }
            StringBuilder out = new StringBuilder();
            for (OrderCommand cmd : h.commands.subList(commandsBefore, h.commands.size())) {
                out.append(cmd.type()).append(' ').append(cmd.timestampNanos()).append(' ').append(cmd.causeSequence())
                        .append(' ').append(cmd.venueId()).append(' ').append(cmd.instrumentId()).append(' ')
                        .append(cmd.ownerId()).append(' ').append(cmd.clientOrderId()).append(' ')
                        .append(cmd.targetClientOrderId()).append(' ').append(cmd.side()).append(' ')
                        .append(cmd.priceTicks()).append(' ').append(cmd.quantityLots()).append(' ')
                        .append(cmd.postOnly()).append(' ').append(cmd.causeReceivedNanos()).append("; ");
            }
            for (ExecutionReport r : h.synthetic.subList(reportsBefore, h.synthetic.size())) {
                out.append(r.execType()).append(' ').append(r.venueId()).append(' ').append(r.instrumentId()).append(' ')
                        .append(r.clientOrderId()).append(' ').append(r.side()).append(' ').append(r.priceTicks())
                        .append(' ').append(r.reasonCode()).append(' ').append(r.ownerId()).append(' ')
                        .append(r.venueTimestampNanos()).append("; ");
            }
            return out.toString();
        }

        /** action 0-2 PLACE, 3 REPLACE, 4-5 CANCEL; judged approved, risk-rejected or (rarely) not at all */
        private void addIntent(InboundEvent e, int action, int a, int b, int c) {
            int index = e.intentCount();
            QuoteIntent q;
            if (action <= 2) {
                int venue = a % 3;
                Side side = b % 2 == 0 ? Side.BUY : Side.SELL;
                q = e.addIntent().set(QuoteAction.PLACE, venue, Harness.INSTRUMENT + venue, side, 0, 100 + b % 10, 1 + c % 6, 0);
                placed.add(new long[]{ClientOrderIds.of(e.sequence(), index), venue, Harness.INSTRUMENT + venue, side.ordinal()});
            } else {
                long[] o = order(a);
                q = e.addIntent().set(action == 3 ? QuoteAction.REPLACE : QuoteAction.CANCEL, (int) o[1], (int) o[2],
                        o[3] == 0 ? Side.BUY : Side.SELL, 0, 100 + c % 10, 1 + b % 6, o[0]);
            }
            if (c % 7 == 6) {
                q.reject(RejectCodes.RISK_BASE + 3);
            } else if (c % 11 != 10) {
                q.approve();
            }
        }
    }
}
