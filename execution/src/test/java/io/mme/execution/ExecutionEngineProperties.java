package io.mme.execution;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mme.execution.Harness.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of intents, venue reports (in any order, repeated, contradictory) and timer
 * ticks never break the order table: filled never exceeds quantity, an order that ended stays ended
 * in the same state (only late-fill accounting moves), the open count is the number of non-terminal
 * orders, a NEW is never sent twice, and every reported lot lands in the totals.
 */
class ExecutionEngineProperties {
    private static final int ORDERS = 6;

    /** one step: {kind, order index, argument} */
    @Provide
    Arbitrary<List<int[]>> steps() {
        Arbitrary<int[]> step = Combinators.combine(
                Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, ORDERS - 1),
                Arbitraries.integers().between(0, 6)).as((k, i, x) -> new int[]{k, i, x});
        return step.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 300)
    void randomReportSequencesNeverBreakTheOrderTable(@ForAll("steps") List<int[]> steps) {
        Harness h = new Harness(ExecutionConfig.defaults().withAckTimeout(2 * SECOND, 2));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            ids.add(h.placeApproved(i % 2 == 0 ? Side.BUY : Side.SELL, 100 + i, 5));
        }
        Map<Long, OrderState> ended = new HashMap<>();
        long reportedLots = 0;

        for (int[] s : steps) {
            long id = ids.get(s[1]);
            int x = s[2];
            switch (s[0]) {
                case 0 -> h.report(ExecType.ACCEPTED, id, 100, 5);
                case 1 -> {
                    h.fill(ExecType.PARTIALLY_FILLED, id, x + 1, Math.max(0, 4 - x));
                    reportedLots += x + 1;
                }
                case 2 -> {
                    h.fill(ExecType.FILLED, id, x + 1, 0);
                    reportedLots += x + 1;
                }
                case 3 -> h.cancelled(id, x);
                case 4 -> h.report(ExecType.REJECTED, id, 100, 0);
                case 5 -> h.report(ExecType.REPLACED, id, 100 + x, x + 1);
                case 6 -> h.report(ExecType.CANCEL_REJECTED, id, 100, 0);
                case 7 -> h.report(ExecType.ORDER_STATUS, id, 100, x % 3 == 0 ? 0 : x);
                case 8, 9 -> h.timer(x * SECOND / 2);
                case 10 -> h.cancel(id);
                case 11 -> h.replace(id, 100 + x, x + 1, true, 0);
                case 12 -> h.killSwitch();
                default -> throw new IllegalStateException();
            }

            long[] open = h.engine.openIds();
            Set<Long> openSet = new HashSet<>();
            for (long o : open) {
                openSet.add(o);
                OrderState state = h.engine.stateOf(o);
                assertThat(state.isTerminal()).as("open order %d in %s", o, state).isFalse();
                long[] f = h.engine.orderFigures(o);
                assertThat(f[2]).as("filled of %d", o).isBetween(0L, f[1]);
            }
            for (long o : ids) {
                OrderState state = h.engine.stateOf(o);
                if (ended.containsKey(o)) {
                    assertThat(state).as("ended order %d", o).isEqualTo(ended.get(o));
                    assertThat(openSet).doesNotContain(o);
                } else if (state.isTerminal()) {
                    ended.put(o, state);
                }
            }
            assertThat(h.engine.openOrders()).isEqualTo(open.length).isEqualTo(ORDERS - ended.size());
            assertThat(h.count(ExecutionCounter.OPEN_ORDERS)).isEqualTo(open.length);
            assertThat(h.count(ExecutionCounter.FILLED_LOTS)).isEqualTo(reportedLots);
        }
        List<Long> newIds = h.commands.stream().filter(c -> c.type() == OrderCommandType.NEW)
                .map(OrderCommand::clientOrderId).toList();
        assertThat(newIds).containsExactlyElementsOf(ids);
        assertThat(h.count(ExecutionCounter.UNKNOWN_REPORTS)).isZero();
    }
}
