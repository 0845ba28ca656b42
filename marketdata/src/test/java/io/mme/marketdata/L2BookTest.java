package io.mme.marketdata;

import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class L2BookTest {
    @Test
    void randomChangesMatchASortedMapOnBothSides() {
        Random random = new Random(11);
        L2Book book = new L2Book(300);
        TreeMap<Long, Long> bids = new TreeMap<>();
        TreeMap<Long, Long> asks = new TreeMap<>();
        for (int i = 0; i < 200_000; i++) {
            boolean bid = random.nextBoolean();
            long price = 1_000 + random.nextInt(400);
            long qty = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
            TreeMap<Long, Long> side = bid ? bids : asks;
            if (qty == 0) {
                side.remove(price);
            } else if (side.size() < 300 || side.containsKey(price)) {
                side.put(price, qty);
            } else {
                continue; // keep the reference within capacity: overflow is tested below
            }
            book.set(bid ? Side.BUY : Side.SELL, price, qty);
            if (i % 1_000 == 0) {
                assertSame(book, bids, asks);
            }
        }
        assertSame(book, bids, asks);
        assertThat(book.overflowed()).isFalse();
    }

    @Test
    void aSnapshotArrivingBestFirstAndUpdatesAtTheTouchAreCheap() {
        L2Book book = new L2Book(100_000);
        for (int i = 0; i < 100_000; i++) {
            book.set(Side.BUY, 1_000_000 - i, 1);   // best first, as venues send snapshots
            book.set(Side.SELL, 1_000_001 + i, 1);
        }
        assertThat(book.levels(Side.BUY)).isEqualTo(100_000);
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(1_000_000);
        assertThat(book.price(Side.SELL, 99_999)).isEqualTo(1_100_000);
        // new best levels keep arriving at the other end
        book.clear();
        for (int i = 0; i < 100_000; i++) {
            book.set(Side.BUY, i + 1, 1);
        }
        assertThat(book.bestPrice(Side.BUY)).isEqualTo(100_000);
        assertThat(book.price(Side.BUY, 99_999)).isEqualTo(1);
    }

    @Test
    void aFullSideDropsItsWorstLevelAndSaysSo() {
        L2Book book = new L2Book(3);
        book.set(Side.SELL, 10, 1);
        book.set(Side.SELL, 11, 1);
        book.set(Side.SELL, 12, 1);
        book.set(Side.SELL, 13, 1); // worse than all: dropped
        assertThat(book.overflowed()).isTrue();
        assertThat(book.price(Side.SELL, 2)).isEqualTo(12);
        book.set(Side.SELL, 9, 1); // better: the worst (12) goes
        assertThat(book.price(Side.SELL, 0)).isEqualTo(9);
        assertThat(book.price(Side.SELL, 2)).isEqualTo(11);
        book.truncate(Side.SELL, 1);
        assertThat(book.levels(Side.SELL)).isEqualTo(1);
        assertThat(book.bestPrice(Side.SELL)).isEqualTo(9);
    }

    private static void assertSame(L2Book book, TreeMap<Long, Long> bids, TreeMap<Long, Long> asks) {
        assertThat(book.levels(Side.BUY)).isEqualTo(bids.size());
        assertThat(book.levels(Side.SELL)).isEqualTo(asks.size());
        int i = 0;
        for (var e : bids.descendingMap().entrySet()) {
            assertThat(book.price(Side.BUY, i)).isEqualTo(e.getKey());
            assertThat(book.quantity(Side.BUY, i++)).isEqualTo(e.getValue());
            assertThat(book.quantityAt(Side.BUY, e.getKey())).isEqualTo(e.getValue());
        }
        i = 0;
        for (var e : asks.entrySet()) {
            assertThat(book.price(Side.SELL, i)).isEqualTo(e.getKey());
            assertThat(book.quantity(Side.SELL, i++)).isEqualTo(e.getValue());
        }
        assertThat(book.price(Side.SELL, asks.size())).isEqualTo(L2Book.NO_PRICE);
    }

    @Test
    void aBookReadBackHoldsTheSameLevelsAndOverflowMarkAndBehavesTheSame() {
        L2Book book = new L2Book(4);
        for (long p = 100; p > 94; p--) {
            book.set(Side.BUY, p, p - 90); // six levels into four: overflowed
        }
        book.set(Side.SELL, 103, 2);
        book.set(Side.SELL, 101, 1);
        StateWriter out = new StateWriter();
        book.writeState(out);
        L2Book copy = new L2Book(4);
        copy.set(Side.SELL, 500, 9); // replaced entirely
        StateReader in = new StateReader(out.toBytes());
        copy.readState(in);
        in.expectEnd("book");
        assertThat(copy.difference(book)).isNull();
        assertThat(copy.overflowed()).isTrue();
        assertThat(copy.levels(Side.BUY)).isEqualTo(4);
        // a new best level still drops the worst one in both
        book.set(Side.BUY, 100, 0);
        copy.set(Side.BUY, 100, 0);
        book.set(Side.BUY, 102, 5);
        copy.set(Side.BUY, 102, 5);
        book.set(Side.BUY, 104, 5);
        copy.set(Side.BUY, 104, 5);
        assertThat(copy.difference(book)).isNull();
    }

    @Test
    void aBookStateOutOfOrderOrDeeperThanTheCapacityIsRefused() {
        StateWriter unordered = new StateWriter().putBoolean(false).putInt(2).putLong(100).putLong(1).putLong(101).putLong(1).putInt(0);
        assertThatThrownBy(() -> new L2Book(4).readState(new StateReader(unordered.toBytes())))
                .isExactlyInstanceOf(StateFormatException.class).hasMessageContaining("BUY level 1 is 1 @ 101 after 100");
        StateWriter deep = new StateWriter().putBoolean(false).putInt(5);
        assertThatThrownBy(() -> new L2Book(4).readState(new StateReader(deep.toBytes())))
                .isExactlyInstanceOf(StateFormatException.class).hasMessageContaining("5 BUY levels, capacity 4");
        StateWriter empty = new StateWriter().putBoolean(false).putInt(0).putInt(1).putLong(100).putLong(0);
        assertThatThrownBy(() -> new L2Book(4).readState(new StateReader(empty.toBytes())))
                .isExactlyInstanceOf(StateFormatException.class).hasMessageContaining("SELL level 0 is 0 @ 100");
    }
}
