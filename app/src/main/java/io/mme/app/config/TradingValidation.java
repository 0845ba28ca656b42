package io.mme.app.config;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.execution.ExecutionConfig;
import io.mme.risk.LimitKind;
import io.mme.risk.RiskConfig;
import io.mme.risk.RiskLimits;
import io.mme.strategy.StrategyEngineConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates the strategy, risk and execution sections into {@link TradingSettings}, reporting every
 * error with its key (the loader lists them all at once). Stateless; the loader's thread.
 */
final class TradingValidation {
    /** receives one error: the key, the value found, what was expected */
    interface ErrorSink {
        void add(String key, String value, String expected);
    }

    private TradingValidation() {
    }

    static TradingSettings validate(MmeConfig config, InstrumentRegistry registry, Long[] takerFeeBps, Long[] makerFeeBps,
                                    ErrorSink err) {
        MmeConfig.ExecutionSection ex = config.execution() == null ? MmeConfig.defaults().execution() : config.execution();
        MmeConfig.ExecutionSection d = MmeConfig.defaults().execution();
        long account = ex.accountId() != null ? ex.accountId() : d.accountId();
        if (account < 0) {
            err.add("execution.accountId", String.valueOf(account), "an account id of 0 or more");
        }
        long ackMillis = ex.ackTimeoutMillis() != null ? ex.ackTimeoutMillis() : d.ackTimeoutMillis();
        if (ackMillis <= 0) {
            err.add("execution.ackTimeoutMillis", String.valueOf(ackMillis), "a positive number of milliseconds");
        }
        int queries = ex.maxStatusQueries() != null ? ex.maxStatusQueries() : d.maxStatusQueries();
        if (queries < 1) {
            err.add("execution.maxStatusQueries", String.valueOf(queries), "1 or more");
        }
        int capacity = ex.orderCapacity() != null ? ex.orderCapacity() : d.orderCapacity();
        if (capacity < 1 || capacity > (1 << 24)) {
            err.add("execution.orderCapacity", String.valueOf(capacity), "a number of orders from 1 to 16777216");
        }
        boolean postOnly = ex.postOnly() != null ? ex.postOnly() : d.postOnly();

        RiskConfig risk = RiskConfig.defaults(registry);
        long[] maker = risk.makerFeeBps().clone();
        long[] taker = risk.takerFeeBps().clone();
        for (int i = 0; i < registry.size(); i++) {
            if (makerFeeBps[i] != null) {
                maker[i] = makerFeeBps[i];
            }
            if (takerFeeBps[i] != null) {
                taker[i] = takerFeeBps[i];
            }
        }
        RiskLimits limits = RiskLimits.defaults(registry);
        List<MmeConfig.LimitConfig> overrides = config.risk() == null || config.risk().limits() == null ? List.of() : config.risk().limits();
        for (int i = 0; i < overrides.size(); i++) {
            limit(overrides.get(i), "risk.limits[" + i + "]", registry, limits, err);
        }
        risk = new RiskConfig(account, risk.pairOfInstrument(), maker, taker, limits, risk.maxTrackedOrders(),
                risk.tradeIdRing(), risk.changeLogCapacity());

        ExecutionConfig execution = null;
        if (ackMillis > 0 && queries >= 1 && capacity >= 1) {
            ExecutionConfig defaults = ExecutionConfig.defaults();
            execution = new ExecutionConfig(account, postOnly, ackMillis * 1_000_000L, queries, capacity,
                    Math.max(capacity, defaults.recentTerminalCapacity()), defaults.venueCount(), defaults.gateways(), null);
        }
        TradingSettings.StrategySetup strategy = strategy(config.strategy(), registry, risk.pairOfInstrument(), account, err);
        return new TradingSettings(strategy, risk, execution);
    }

    private static void limit(MmeConfig.LimitConfig l, String key, InstrumentRegistry registry, RiskLimits limits, ErrorSink err) {
        if (l == null) {
            err.add(key, null, "a mapping with limit, value and the venue / symbol it applies to");
            return;
        }
        LimitKind kind;
        try {
            kind = LimitKind.ofKey(l.limit());
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null) {
            List<String> names = new ArrayList<>();
            for (LimitKind k : LimitKind.values()) {
                names.add(k.key());
            }
            err.add(key + ".limit", l.limit(), "one of " + String.join(", ", names));
            return;
        }
        if (l.value() == null || l.value() < 0 || l.value() > kind.maxValue()) {
            err.add(key + ".value", String.valueOf(l.value()), "a value from 0 to " + kind.maxValue() + " " + kind.unit());
            return;
        }
        int index;
        switch (kind.scope()) {
            case GLOBAL -> {
                if (l.venue() != null || l.symbol() != null) {
                    err.add(key, l.venue() + " " + l.symbol(), kind.key() + " is global: leave out venue and symbol");
                    return;
                }
                index = 0;
            }
            case VENUE -> {
                Venue venue = venue(l.venue(), key, err);
                if (venue == null) {
                    return;
                }
                if (l.symbol() != null) {
                    err.add(key + ".symbol", l.symbol(), kind.key() + " is set per venue: leave out the symbol");
                    return;
                }
                index = venue.id();
            }
            default -> {
                Venue venue = venue(l.venue(), key, err);
                if (venue == null) {
                    return;
                }
                Instrument instrument = l.symbol() == null ? null : registry.find(venue, l.symbol());
                if (instrument == null) {
                    err.add(key + ".symbol", l.symbol(), "the symbol of an instrument configured for " + venue.configName());
                    return;
                }
                index = kind.scope() == LimitKind.Scope.ASSET ? limits.assetOf(instrument.id()) : instrument.id();
            }
        }
        limits.set(kind, index, l.value());
    }

    private static Venue venue(String text, String key, ErrorSink err) {
        try {
            return Venue.parse(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            err.add(key + ".venue", text, "one of binance, coinbase, kraken, hyperliquid");
            return null;
        }
    }

    private static TradingSettings.StrategySetup strategy(MmeConfig.StrategyConfig s, InstrumentRegistry registry, int[] pairOf,
                                                          long account, ErrorSink err) {
        if (s == null) {
            return null;
        }
        String type = s.type() == null ? "" : s.type().trim().toLowerCase(Locale.ROOT);
        if (!type.equals(TradingSettings.StrategySetup.INVENTORY_SKEW) && !type.equals(TradingSettings.StrategySetup.AVELLANEDA_STOIKOV)) {
            err.add("strategy.type", s.type(), "inventory-skew or avellaneda-stoikov");
            return null;
        }
        List<Instrument> ofPair = s.pair() == null ? List.of() : registry.byPair(s.pair().trim());
        if (ofPair.isEmpty()) {
            Map<String, Boolean> pairs = new LinkedHashMap<>();
            for (Instrument i : registry.all()) {
                pairs.put(i.pair(), true);
            }
            err.add("strategy.pair", s.pair(), "a pair of the configured instruments: " + String.join(", ", pairs.keySet()));
            return null;
        }
        List<Integer> ids = new ArrayList<>();
        if (s.venues() == null || s.venues().isEmpty()) {
            // every venue of the pair that takes orders; a market-data-only venue (Hyperliquid)
            // still counts in the consolidated fair value
            for (Instrument i : ofPair) {
                if (i.venue().hasOrderEntry()) {
                    ids.add(i.id());
                }
            }
        } else {
            for (int v = 0; v < s.venues().size(); v++) {
                Venue venue = venue(s.venues().get(v), "strategy.venues[" + v + "]", err);
                if (venue == null) {
                    continue;
                }
                Instrument match = null;
                for (Instrument i : ofPair) {
                    if (i.venue() == venue) {
                        match = i;
                    }
                }
                if (match == null) {
                    err.add("strategy.venues[" + v + "]", s.venues().get(v), "a venue with an instrument of " + s.pair());
                } else if (!venue.hasOrderEntry()) {
                    err.add("strategy.venues[" + v + "]", s.venues().get(v), "a venue with order entry: "
                            + venue.configName() + " is market data only (its book still counts in the fair value)");
                } else if (ids.contains(match.id())) {
                    err.add("strategy.venues[" + v + "]", s.venues().get(v), "each venue once");
                } else {
                    ids.add(match.id());
                }
            }
        }
        // with no usable venue, go on with the pair's first instrument so the other fields are checked too
        boolean venuesUsable = !ids.isEmpty();
        StrategyEngineConfig d = StrategyEngineConfig.of(pairOf[ofPair.get(0).id()], venuesUsable ? ids : List.of(ofPair.get(0).id()));
        int levels = s.maxLevels() != null ? s.maxLevels() : d.maxLevels();
        if (levels < 1 || levels > 16) {
            err.add("strategy.maxLevels", String.valueOf(levels), "1 to 16 quote levels per side");
            return null;
        }
        long replaceTicks = orDefault(s.replaceTicks(), d.replaceTicks(), "strategy.replaceTicks", 0, 1_000_000, err);
        long replacePct = orDefault(s.replaceSizePercent(), d.replaceSizePercent(), "strategy.replaceSizePercent", 0, 100, err);
        long minLife = orDefault(s.minQuoteLifeMillis(), d.minQuoteLifeMillis(), "strategy.minQuoteLifeMillis", 0, 86_400_000, err);
        long maxAge = orDefault(s.maxQuoteAgeMillis(), d.maxQuoteAgeMillis(), "strategy.maxQuoteAgeMillis", 0, 86_400_000, err);
        long backoff = orDefault(s.rejectBackoffMillis(), d.rejectBackoffMillis(), "strategy.rejectBackoffMillis", 0, 86_400_000, err);
        boolean start = s.startQuoting() != null ? s.startQuoting() : d.startQuoting();
        if (!venuesUsable) {
            return null;
        }
        StrategyEngineConfig engine = new StrategyEngineConfig(d.pairId(), ids, account, levels, replaceTicks, replacePct,
                minLife, maxAge, backoff, start);
        Map<String, Long> parameters = s.parameters() == null ? Map.of() : new TreeMap<>(s.parameters());
        TradingSettings.StrategySetup setup = new TradingSettings.StrategySetup(type, ofPair.get(0).pair(), engine, parameters);
        for (Map.Entry<String, Long> p : parameters.entrySet()) {
            if (p.getValue() == null) {
                err.add("strategy.parameters." + p.getKey(), null, "an integer value");
                return null;
            }
        }
        try {
            setup.newStrategy();
        } catch (IllegalArgumentException e) {
            err.add("strategy.parameters", parameters.toString(), e.getMessage());
            return null;
        }
        return setup;
    }

    private static long orDefault(Long value, long fallback, String key, long min, long max, ErrorSink err) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            err.add(key, String.valueOf(value), "a value from " + min + " to " + max);
            return fallback;
        }
        return value;
    }
}
