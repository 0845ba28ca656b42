package io.mme.matching;

import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Replays the LOBSTER AAPL sample (real NASDAQ order-level messages) through OrderBook's L3 replica
 * and checks the top 10 levels of both sides against LOBSTER's recorded book after every message.
 *
 * <p>How the replay lines up with LOBSTER's files:
 * <ul>
 *   <li>Orderbook row k is the book <em>after</em> message row k. The book before message 1 is
 *       therefore row 1 with message 1 undone; it is seeded as one synthetic order per level
 *       (negative ids: LOBSTER's are positive, 0 for hidden executions).</li>
 *   <li>A message about an id the replay does not know refers to an order that rested before the
 *       sample (or before its level was adopted, below): it applies to the synthetic order at that
 *       side and price.</li>
 *   <li>A "_10" message file holds only the events that touch the top 10 levels, so a price beyond
 *       the 10th level may change without a message. A level is compared only when both the row
 *       before the message and the row after it show its price (the levels both can see); the one
 *       exception is a level that just came into view from beyond the 10th (its history is not in
 *       the file): it is not compared in that row and is then adopted from it, as a synthetic
 *       order. That happens at most once per message, and only on the message's side.</li>
 * </ul>
 */
class LobsterReplayTest {
    private static final Path DATA = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/l3").normalize();
    private static final String MESSAGES = "AAPL_2012-06-21_34200000_57600000_message_10.csv";
    private static final String BOOKS = "AAPL_2012-06-21_34200000_57600000_orderbook_10.csv";
    private static final int LEVELS = 10;
    private static final int CAPACITY = 10_000;
    private static final int NEW = 1;
    private static final int PARTIAL_CANCEL = 2;
    private static final int DELETE = 3;
    private static final int EXECUTE_VISIBLE = 4;
    /** no price bound: a side with fewer than 10 levels shows all of them */
    private static final long EVERYTHING = Long.MAX_VALUE;

    record Message(int type, long id, long size, long price, Side side) {
    }

    record Level(long price, long size) {
    }

    /** one orderbook row: the levels that exist (size above 0), best first */
    record Row(List<Level> asks, List<Level> bids) {
        List<Level> side(Side side) {
            return side == Side.SELL ? asks : bids;
        }
    }

    private final OrderBook book = new OrderBook(BookConfig.of(0, 0).withCapacity(CAPACITY), BookListener.NONE);
    private final long[] prices = new long[CAPACITY];
    private final long[] sizes = new long[CAPACITY];
    private final Map<Side, Map<Long, Long>> synthetic = Map.of(Side.BUY, new HashMap<>(), Side.SELL, new HashMap<>());
    private long nextSyntheticId = -1;

    @Test
    void topTenLevelsEqualLobstersBookAfterEveryMessage() throws IOException {
        if (!Files.isDirectory(DATA)) {
            fail("the LOBSTER sample is missing: no directory " + DATA + " (from mme.shared.dir="
                    + System.getProperty("mme.shared.dir") + "); see /work/shared/data/README.md");
        }
        List<Message> messages = Files.readAllLines(DATA.resolve(MESSAGES)).stream()
                .map(LobsterReplayTest::message).toList();
        List<Row> rows = Files.readAllLines(DATA.resolve(BOOKS)).stream().map(LobsterReplayTest::row).toList();
        assertThat(messages).hasSize(999);
        assertThat(rows).hasSameSizeAs(messages);

        seed(rows.getFirst(), messages.getFirst());
        Map<Side, Long> compared = Map.of(
                Side.BUY, bound(rows.getFirst(), Side.BUY), Side.SELL, bound(rows.getFirst(), Side.SELL));
        int checkedLevels = 0;
        int exemptLevels = 0;
        for (int k = 0; k < messages.size(); k++) {
            Message message = messages.get(k);
            Row before = k == 0 ? rows.getFirst() : rows.get(k - 1);
            Row after = rows.get(k);
            Map<Side, Long> bounds = new HashMap<>();
            for (Side side : Side.values()) {
                adoptLevelsThatCameIntoView(before, side, compared.get(side));
                bounds.put(side, Math.min(bound(before, side), bound(after, side)));
            }
            apply(k + 1, message);
            for (Side side : Side.values()) {
                long bound = bounds.get(side);
                List<Level> expected = after.side(side).stream().filter(l -> key(side, l.price()) <= bound).toList();
                int exempt = after.side(side).size() - expected.size();
                assertThat(exempt).as("message %d %s: levels new in view", k + 1, message).isLessThanOrEqualTo(
                        side == message.side() ? 1 : 0);
                assertThat(levels(side, bound)).as("message %d %s: %s levels", k + 1, message, side).isEqualTo(expected);
                checkedLevels += expected.size();
                exemptLevels += exempt;
            }
            compared = bounds;
        }
        assertThat(exemptLevels).as("levels not compared, of %d compared", checkedLevels).isLessThan(checkedLevels / 50);
    }

    /** the book before message 1: row 1 with message 1 undone, one synthetic order per level */
    private void seed(Row first, Message message) {
        for (Side side : Side.values()) {
            Map<Long, Long> sizes = new LinkedHashMap<>();
            first.side(side).forEach(level -> sizes.put(level.price(), level.size()));
            if (side == message.side()) {
                long undo = switch (message.type()) {
                    case NEW -> -message.size();
                    case PARTIAL_CANCEL, DELETE, EXECUTE_VISIBLE -> message.size();
                    default -> 0;
                };
                sizes.merge(message.price(), undo, Long::sum);
            }
            sizes.forEach((price, size) -> {
                if (size > 0) {
                    addSynthetic(side, price, size);
                }
            });
        }
    }

    /**
     * Makes the levels that the previous row showed for the first time (beyond what it could be
     * compared on) equal to that row: the only levels whose history the message file may lack.
     */
    private void adoptLevelsThatCameIntoView(Row before, Side side, long comparedUpTo) {
        long inViewUpTo = bound(before, side);
        for (Level ours : levels(side, inViewUpTo)) {
            if (key(side, ours.price()) > comparedUpTo) {
                clearLevel(side, ours.price());
            }
        }
        for (Level recorded : before.side(side)) {
            if (key(side, recorded.price()) > comparedUpTo) {
                addSynthetic(side, recorded.price(), recorded.size());
            }
        }
    }

    private void apply(int row, Message m) {
        if (m.type() == NEW) {
            assertThat(book.addResting(m.id(), 0, m.side(), m.price(), m.size())).as("message %d %s", row, m).isTrue();
            return;
        }
        if (m.type() != PARTIAL_CANCEL && m.type() != DELETE && m.type() != EXECUTE_VISIBLE) {
            return; // hidden executions, cross trades and halts do not change the visible book
        }
        long target = book.contains(m.id()) ? m.id() : synthetic.get(m.side()).getOrDefault(m.price(), 0L);
        assertThat(book.contains(target)).as("message %d %s: no order, not even a synthetic one", row, m).isTrue();
        if (target == m.id() && m.type() == DELETE) {
            assertThat(book.remaining(target)).as("message %d %s: size deleted", row, m).isEqualTo(m.size());
        }
        boolean applied = switch (m.type()) {
            case EXECUTE_VISIBLE -> book.execute(target, m.size());
            case DELETE -> target == m.id() ? book.delete(target) : book.reduce(target, m.size());
            default -> book.reduce(target, m.size());
        };
        assertThat(applied).as("message %d %s", row, m).isTrue();
    }

    private void addSynthetic(Side side, long price, long size) {
        long id = nextSyntheticId--;
        assertThat(book.addResting(id, 0, side, price, size)).isTrue();
        synthetic.get(side).put(price, id);
    }

    private void clearLevel(Side side, long price) {
        long[] ids = new long[CAPACITY];
        int n = book.ordersAt(side, price, ids, new long[CAPACITY]);
        for (int i = 0; i < n; i++) {
            book.delete(ids[i]);
        }
        synthetic.get(side).remove(price);
    }

    /** our levels of a side whose price is within {@code bound} (see {@link #key}), best first */
    private List<Level> levels(Side side, long bound) {
        int n = book.depth(side, CAPACITY, prices, sizes, null);
        List<Level> levels = new ArrayList<>();
        for (int i = 0; i < n && key(side, prices[i]) <= bound; i++) {
            levels.add(new Level(prices[i], sizes[i]));
        }
        return levels;
    }

    /** how far a price is from the top of its side: smaller is better on both sides */
    private static long key(Side side, long price) {
        return side == Side.SELL ? price : -price;
    }

    /** the key of the 10th level a row shows, or EVERYTHING when it shows fewer */
    private static long bound(Row row, Side side) {
        List<Level> levels = row.side(side);
        return levels.size() < LEVELS ? EVERYTHING : key(side, levels.getLast().price());
    }

    private static Message message(String line) {
        String[] f = line.split(",");
        return new Message(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                Integer.parseInt(f[5]) == 1 ? Side.BUY : Side.SELL);
    }

    /** LOBSTER prints a missing level as a dummy price (±9999999999) with size 0 */
    private static Row row(String line) {
        String[] f = line.split(",");
        assertThat(f).hasSize(4 * LEVELS);
        List<Level> asks = new ArrayList<>();
        List<Level> bids = new ArrayList<>();
        for (int level = 0; level < LEVELS; level++) {
            long askSize = Long.parseLong(f[4 * level + 1]);
            long bidSize = Long.parseLong(f[4 * level + 3]);
            if (askSize > 0) {
                asks.add(new Level(Long.parseLong(f[4 * level]), askSize));
            }
            if (bidSize > 0) {
                bids.add(new Level(Long.parseLong(f[4 * level + 2]), bidSize));
            }
        }
        return new Row(asks, bids);
    }
}
