package io.mme.risk;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;

/**
 * Drives a {@link RiskEngine} with hand-built inbound events. Instruments: 0 = Binance BTCUSDT
 * (pair 0 BTC/USDT), 1 = Coinbase BTC-USD (pair 1 BTC/USD), 2 = Kraken ETH/USD (pair 2); tick
 * 0.01 and lot 0.001 for the BTC ones (notional nanos = ticks × lots × 10^4), tick 0.01 and lot
 * 0.01 for ETH. Test time starts on a UTC midnight.
 */
final class RiskFixture {
    static final int BTCUSDT = 0;
    static final int BTCUSD = 1;
    static final int ETHUSD = 2;
    static final long ACCOUNT = 1;
    /** 2024-01-01T00:00:00Z */
    static final long T0 = 1_704_067_200_000_000_000L;
    /** 60,000.00 in 10^-9 quote units */
    static final long FAIR = 60_000L * 1_000_000_000L;
    /** 60,000.00 in ticks of 0.01 */
    static final long FAIR_TICKS = 6_000_000;

    final InstrumentRegistry registry;
    final RiskEngine engine;
    final InboundEvent event = new InboundEvent();
    long sequence;
    long now = T0;

    RiskFixture(RiskConfig config) {
        this.registry = registry();
        this.engine = new RiskEngine(registry, config);
    }

    RiskFixture() {
        this(permissive(registry()));
    }

    static InstrumentRegistry registry() {
        return InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.001", null, null, null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "ETH/USD", "ETH", "USD", "0.01", "0.01", null, null, null, null))
                .build();
    }

    /** no fees and limits wide enough that only the limit a test lowers binds */
    static RiskConfig permissive(InstrumentRegistry registry) {
        RiskLimits limits = RiskLimits.defaults(registry);
        for (int i = 0; i < registry.size(); i++) {
            limits.set(LimitKind.MAX_ORDER_QUANTITY, i, 1_000_000)
                    .set(LimitKind.MAX_ORDER_NOTIONAL, i, Long.MAX_VALUE)
                    .set(LimitKind.PRICE_BAND, i, 10_000)
                    .set(LimitKind.MAX_POSITION, i, 1_000_000)
                    .set(LimitKind.MAX_OPEN_ORDERS_PER_INSTRUMENT, i, 1000);
        }
        for (int a = 0; a < limits.assets(); a++) {
            limits.set(LimitKind.MAX_ASSET_POSITION, a, Long.MAX_VALUE);
        }
        for (int v = 0; v < Venue.values().length; v++) {
            limits.set(LimitKind.MAX_OPEN_ORDERS_PER_VENUE, v, 1000)
                    .set(LimitKind.ORDER_RATE, v, 1_000_000)
                    .set(LimitKind.ORDER_BURST, v, 1_000_000);
        }
        limits.set(LimitKind.DAILY_LOSS, 0, Long.MAX_VALUE);
        int n = registry.size();
        return RiskConfig.defaults(registry).withLimits(limits).withFees(new long[n], new long[n]);
    }

    static RiskConfig permissive(RiskConfigEdit edit) {
        InstrumentRegistry registry = registry();
        RiskConfig config = permissive(registry);
        edit.edit(config.limits());
        return config;
    }

    interface RiskConfigEdit {
        void edit(RiskLimits limits);
    }

    static int venueOf(int instrument) {
        return switch (instrument) {
            case BTCUSDT -> Venue.BINANCE.id();
            case BTCUSD -> Venue.COINBASE.id();
            default -> Venue.KRAKEN.id();
        };
    }

    private InboundEvent begin(InboundEventType type) {
        event.begin(sequence++, type, now);
        event.book().reset();
        return event;
    }

    /** a market data event that sets a pair's fair value (Long.MIN_VALUE: none) */
    void fairValue(int pair, long fairValueNanos) {
        begin(InboundEventType.MARKET_DATA).book().fairValue(pair, fairValueNanos);
        engine.onEvent(event, event.sequence(), true);
    }

    /** sets every pair's fair value to {@link #FAIR} (ETH too, for simplicity) */
    void fairValues() {
        for (int p = 0; p < 3; p++) {
            fairValue(p, FAIR);
        }
    }

    /** one market data event carrying the intents {@code add} writes, judged by the engine */
    InboundEvent intents(java.util.function.Consumer<InboundEvent> add) {
        begin(InboundEventType.MARKET_DATA);
        add.accept(event);
        engine.onEvent(event, event.sequence(), true);
        return event;
    }

    /** one PLACE in its own event; returns the judged intent */
    QuoteIntent place(int instrument, Side side, long priceTicks, long lots) {
        return intent(QuoteAction.PLACE, instrument, side, priceTicks, lots, 0);
    }

    QuoteIntent replace(long target, int instrument, Side side, long priceTicks, long lots) {
        return intent(QuoteAction.REPLACE, instrument, side, priceTicks, lots, target);
    }

    QuoteIntent cancel(long target, int instrument, Side side) {
        return intent(QuoteAction.CANCEL, instrument, side, 0, 0, target);
    }

    QuoteIntent intent(QuoteAction action, int instrument, Side side, long priceTicks, long lots, long target) {
        begin(InboundEventType.MARKET_DATA);
        QuoteIntent intent = event.addIntent().set(action, venueOf(instrument), instrument, side, 0, priceTicks, lots, target);
        engine.onEvent(event, event.sequence(), true);
        return intent;
    }

    /** the client order id the last PLACE got */
    long lastId() {
        return ClientOrderIds.of(event.sequence(), 0);
    }

    void report(ExecType type, long clientOrderId, int instrument, Side side, long priceTicks, long leaves) {
        begin(InboundEventType.EXECUTION_REPORT).executionReport()
                .set(type, venueOf(instrument), instrument, clientOrderId, clientOrderId, side, priceTicks, leaves, now)
                .owner(ACCOUNT);
        engine.onEvent(event, event.sequence(), true);
    }

    void fill(long clientOrderId, int instrument, Side side, long priceTicks, long lots, long tradeId, boolean maker,
              boolean last, long leaves) {
        begin(InboundEventType.EXECUTION_REPORT).executionReport()
                .set(last ? ExecType.FILLED : ExecType.PARTIALLY_FILLED, venueOf(instrument), instrument, clientOrderId,
                        clientOrderId, side, priceTicks, leaves, now)
                .fill(tradeId, priceTicks, lots, maker).owner(ACCOUNT);
        engine.onEvent(event, event.sequence(), true);
    }

    private long tradeIds = 1000;

    /** a fill of an order risk does not track (the position changes all the same) */
    void trade(int instrument, Side side, long priceTicks, long lots) {
        fill(999_999, instrument, side, priceTicks, lots, tradeIds++, false, true, 0);
    }

    void control(String command, long requestId, String principal, String reason, int venue, int instrument,
                 String key, long value) {
        begin(InboundEventType.CONTROL).control().set(command, requestId, principal, reason)
                .target(venue, instrument).argument(key, value);
        engine.onEvent(event, event.sequence(), true);
    }

    void setLimit(long requestId, int venue, int instrument, LimitKind kind, long value) {
        control(ControlCommands.SET_LIMIT, requestId, "alice", "test", venue, instrument, kind.key(), value);
    }

    void setState(int venue, int instrument, io.mme.core.ring.TradingState state) {
        control(ControlCommands.SET_TRADING_STATE, 7, "alice", "test", venue, instrument, null, state.ordinal());
    }

    void timer() {
        begin(InboundEventType.TIMER);
        engine.onEvent(event, event.sequence(), true);
    }
}
