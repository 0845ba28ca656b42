package io.mme.strategy;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds inbound events by hand, as the market data engine and the venues would fill them, and
 * drives a strategy engine with them. Instruments: 0 = Coinbase BTC-USD (tick 0.01, lot 0.0001),
 * 1 = Kraken XBT/USD (tick 0.1, lot 0.0001, min quantity 0.001), 2 = Binance ETHUSDT (another
 * pair); the quoted pair is id 0.
 */
final class Fixture {
    static final int COINBASE = 0;
    static final int KRAKEN = 1;
    static final int OTHER = 2;
    static final int PAIR = 0;
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long T0 = 1_700_000_000L * SECOND;

    static InstrumentRegistry registry() {
        return InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.0001", null, null, null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.0001", "0.001", null, null, null))
                .add(new InstrumentSpec(Venue.BINANCE, "ETHUSDT", "ETH", "USDT", "0.01", "0.0001", null, null, null, null))
                .build();
    }

    final InboundEvent event = new InboundEvent();
    final StrategyEngine engine;
    long sequence;
    long now = T0;
    long lastSequence = -1;

    Fixture(StrategyEngineConfig config, io.mme.strategy.api.Strategy strategy) {
        this.engine = new StrategyEngine(config, registry(), strategy);
    }

    /** both venues, 1 level, no anti-churn delays except those a test sets */
    static StrategyEngineConfig config() {
        return StrategyEngineConfig.of(PAIR, List.of(COINBASE, KRAKEN)).withAntiChurn(0, 0, 0, 0);
    }

    static InventorySkewStrategy skew(long spreadTicks, long sizeNanos, long levels) {
        return new InventorySkewStrategy(new InventorySkewStrategy.Parameters(spreadTicks, sizeNanos, levels, 2, 0, 0));
    }

    private InboundEvent begin(InboundEventType type) {
        event.begin(sequence++, type, now);
        event.book().reset();
        return event;
    }

    /** a VALID top of book for one instrument, with the pair's fair value (USD, as a decimal) */
    List<QuoteIntent> book(int instrument, long bidTicks, long askTicks, long fairValueNanos) {
        InboundEvent e = begin(InboundEventType.MARKET_DATA);
        e.book().top(instrument, BookState.VALID, bidTicks, 1, askTicks, 1);
        e.book().fairValue(PAIR, fairValueNanos);
        return deliver(e);
    }

    /** a public trade item inside a venue message (no book view: not a message end) */
    List<QuoteIntent> trade(int instrument, Side aggressor, long priceTicks, long lots) {
        InboundEvent e = begin(InboundEventType.MARKET_DATA);
        e.marketData().set(io.mme.core.ring.MarketDataKind.TRADE, instrument == KRAKEN ? 2 : 1, instrument, aggressor, priceTicks,
                lots, 1, now, now, false);
        return deliver(e);
    }

    /** a VALID top on both venues around the fair value, far from our quotes */
    List<QuoteIntent> wideBooks(long fairValueNanos) {
        book(KRAKEN, fairValueNanos / 100_000_000 - 1000, fairValueNanos / 100_000_000 + 1000, fairValueNanos);
        return book(COINBASE, fairValueNanos / 10_000_000 - 10_000, fairValueNanos / 10_000_000 + 10_000, fairValueNanos);
    }

    List<QuoteIntent> fairValue(long fairValueNanos) {
        InboundEvent e = begin(InboundEventType.MARKET_DATA);
        e.book().fairValue(PAIR, fairValueNanos);
        return deliver(e);
    }

    List<QuoteIntent> stateChange(int instrument, BookState state) {
        InboundEvent e = begin(InboundEventType.MARKET_DATA);
        e.book().changed(instrument, state);
        if (state != BookState.VALID) {
            e.book().top(instrument, state, Long.MIN_VALUE, 0, Long.MIN_VALUE, 0);
        }
        return deliver(e);
    }

    List<QuoteIntent> timer() {
        return deliver(begin(InboundEventType.TIMER));
    }

    List<QuoteIntent> report(ExecType type, int instrument, long clientOrderId, Side side, long priceTicks, long leaves) {
        return report(type, instrument, clientOrderId, side, priceTicks, leaves, 0, 1);
    }

    List<QuoteIntent> fill(ExecType type, int instrument, long clientOrderId, Side side, long priceTicks, long lastLots, long leaves) {
        return report(type, instrument, clientOrderId, side, priceTicks, leaves, lastLots, 1);
    }

    List<QuoteIntent> report(ExecType type, int instrument, long clientOrderId, Side side, long priceTicks, long leaves,
                             long lastLots, long owner) {
        InboundEvent e = begin(InboundEventType.EXECUTION_REPORT);
        e.executionReport().set(type, instrument == KRAKEN ? 2 : 1, instrument, clientOrderId, 99, side, priceTicks, leaves, now)
                .owner(owner);
        if (lastLots > 0) {
            e.executionReport().fill(7, priceTicks, lastLots, true);
        }
        return deliver(e);
    }

    List<QuoteIntent> control(String command, String key, long value) {
        InboundEvent e = begin(InboundEventType.CONTROL);
        e.control().set(command, 42, "alice", "test");
        if (key != null) {
            e.control().argument(key, value);
        }
        lastControl = e.control();
        return deliver(e);
    }

    /** the control part of the last control event delivered (its answer is written by the engine) */
    io.mme.core.ring.ControlCommand lastControl;

    List<QuoteIntent> setParameter(String key, long value) {
        return control(ControlCommands.SET_STRATEGY_PARAMETER, key, value);
    }

    /** acknowledges every intent of the last event that produced intents, as the venue would */
    void acceptAll(List<QuoteIntent> intents) {
        long placedBy = lastSequence;
        for (int i = 0; i < intents.size(); i++) {
            QuoteIntent q = intents.get(i);
            switch (q.action()) {
                case PLACE -> report(ExecType.ACCEPTED, q.instrumentId(), ClientOrderIds.of(placedBy, i), q.side(),
                        q.priceTicks(), q.quantityLots());
                case REPLACE -> report(ExecType.REPLACED, q.instrumentId(), q.targetClientOrderId(), q.side(),
                        q.priceTicks(), q.quantityLots());
                case CANCEL -> report(ExecType.CANCELLED, q.instrumentId(), q.targetClientOrderId(), q.side(),
                        q.priceTicks(), 0);
            }
        }
    }

    /** the sequence the next event gets */
    long nextSequence() {
        return sequence;
    }

    List<QuoteIntent> deliver(InboundEvent e) {
        engine.onEvent(e, e.sequence(), true);
        if (e.intentCount() > 0) {
            lastSequence = e.sequence();
        }
        List<QuoteIntent> out = new ArrayList<>();
        for (int i = 0; i < e.intentCount(); i++) {
            QuoteIntent copy = new QuoteIntent();
            QuoteIntent q = e.intent(i);
            if (q.isTaker()) {
                copy.taker(q.venueId(), q.instrumentId(), q.side(), q.priceTicks(), q.quantityLots());
            } else {
                copy.set(q.action(), q.venueId(), q.instrumentId(), q.side(), q.level(), q.priceTicks(), q.quantityLots(),
                        q.targetClientOrderId());
            }
            out.add(copy);
        }
        return out;
    }
}
