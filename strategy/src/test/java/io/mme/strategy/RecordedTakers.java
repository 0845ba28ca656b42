package io.mme.strategy;

import io.mme.strategy.api.Side;
import io.mme.strategy.api.TakerOrders;

import java.util.ArrayList;
import java.util.List;

/** Records what a strategy asks of {@link TakerOrders}, giving ids 1, 2, 3, ... (tests only). */
final class RecordedTakers implements TakerOrders {
    record Take(long id, int instrument, Side side, double limitPriceNanos, long sizeNanos) {
    }

    final List<Take> taken = new ArrayList<>();

    @Override
    public long take(int instrument, Side side, double limitPriceNanos, long sizeNanos) {
        Take t = new Take(taken.size() + 1, instrument, side, limitPriceNanos, sizeNanos);
        taken.add(t);
        return t.id();
    }

    @Override
    public int capacity() {
        return 8;
    }

    Take last() {
        return taken.get(taken.size() - 1);
    }
}
