package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;

import java.util.ArrayList;
import java.util.List;

/** Records everything a book says as comparable values (tests only). */
final class RecordingListener implements BookListener {
    /** one execution report, copied */
    record Exec(long seq, ExecType type, long orderId, long owner, Side side, long price, long leaves,
                long tradeId, long lastPrice, long lastQty, boolean maker, int reason) {
    }

    record Trade(long seq, long tradeId, Side aggressor, long price, long qty, long makerId, long takerId) {
    }

    record Level(long seq, Side side, long price, long qty, int count) {
    }

    record Order(long seq, L3Kind kind, long orderId, Side side, long price, long qty) {
    }

    final List<Object> events = new ArrayList<>();

    @Override
    public void onExecution(long seq, ExecutionReport r) {
        events.add(new Exec(seq, r.execType(), r.clientOrderId(), r.ownerId(), r.side(), r.priceTicks(),
                r.leavesQuantityLots(), r.tradeId(), r.lastPriceTicks(), r.lastQuantityLots(), r.maker(), r.reasonCode()));
    }

    @Override
    public void onTrade(long seq, long tradeId, Side aggressor, long price, long qty, long makerId, long takerId) {
        events.add(new Trade(seq, tradeId, aggressor, price, qty, makerId, takerId));
    }

    @Override
    public void onLevel(long seq, Side side, long price, long qty, int count) {
        events.add(new Level(seq, side, price, qty, count));
    }

    @Override
    public void onOrder(long seq, L3Kind kind, long orderId, Side side, long price, long qty) {
        events.add(new Order(seq, kind, orderId, side, price, qty));
    }

    <T> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void clear() {
        events.clear();
    }
}
