package io.mme.app.config;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.execution.ExecutionConfig;
import io.mme.risk.LimitKind;
import io.mme.risk.RiskConfig;
import io.mme.risk.RiskLimits;
import io.mme.strategy.HostedStrategy;
import io.mme.strategy.StrategyEngine;
import io.mme.strategy.StrategyCatalog;
import io.mme.strategy.StrategyEngineConfig;
import io.mme.strategy.api.StrategyFactory;

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
                                    StrategyCatalog catalog, ErrorSink err) {
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
        List<TradingSettings.StrategySetup> strategies = strategies(config, registry, risk.pairOfInstrument(), account, catalog, err);
        limits = strategyLimits(config, strategies, limits, err);
        risk = new RiskConfig(account, risk.pairOfInstrument(), maker, taker, limits, risk.maxTrackedOrders(),
                risk.tradeIdRing(), risk.changeLogCapacity());

        ExecutionConfig execution = null;
        if (ackMillis > 0 && queries >= 1 && capacity >= 1) {
            ExecutionConfig defaults = ExecutionConfig.defaults();
            execution = new ExecutionConfig(account, postOnly, ackMillis * 1_000_000L, queries, capacity,
                    Math.max(capacity, defaults.recentTerminalCapacity()), defaults.venueCount(), defaults.gateways(), null);
        }
        return new TradingSettings(strategies, risk, execution);
    }

    /** one strategy entry as written, with the key its errors are reported under */
    private record Entry(String key, String id, MmeConfig.StrategyConfig config) {
    }

    /**
     * The old {@code strategy:} section (one strategy with id {@code default}) or the
     * {@code strategies:} list, validated entry by entry; then ids unique and no instrument quoted
     * by two strategies (an error naming both).
     */
    private static List<TradingSettings.StrategySetup> strategies(MmeConfig config, InstrumentRegistry registry, int[] pairOf,
                                                                  long account, StrategyCatalog catalog, ErrorSink err) {
        List<Entry> entries = new ArrayList<>();
        boolean list = config.strategies() != null && !config.strategies().isEmpty();
        if (config.strategy() != null && list) {
            err.add("strategy", "(a strategy: section beside strategies:)",
                    "either strategies: (a list of strategies with ids) or the old single strategy: section, not both");
            return List.of();
        }
        if (config.strategy() != null) {
            MmeConfig.StrategyConfig s = config.strategy();
            if (s.id() != null && !s.id().equals(StrategyEngine.DEFAULT_ID)) {
                err.add("strategy.id", s.id(), "no id (the single strategy: section is strategy 'default'); for ids use "
                        + "strategies: [ { id: " + s.id() + ", type: ..., pair: ... } ]");
            }
            entries.add(new Entry("strategy", StrategyEngine.DEFAULT_ID, s));
        } else if (list) {
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (int i = 0; i < config.strategies().size(); i++) {
                String key = "strategies[" + i + "]";
                MmeConfig.StrategyConfig s = config.strategies().get(i);
                if (s == null) {
                    err.add(key, null, "a strategy with id, type and pair");
                    continue;
                }
                if (s.id() == null || !HostedStrategy.ID.matcher(s.id()).matches()) {
                    err.add(key + ".id", s.id(), "a unique id matching " + HostedStrategy.ID.pattern());
                    continue;
                }
                Integer before = seen.putIfAbsent(s.id(), i);
                if (before != null) {
                    err.add(key + ".id", s.id(), "an id no other strategy has: strategies[" + before + "] is '" + s.id() + "' too");
                    continue;
                }
                entries.add(new Entry(key, s.id(), s));
            }
        }
        List<TradingSettings.StrategySetup> setups = new ArrayList<>();
        Map<Integer, String> quotedBy = new TreeMap<>();
        for (Entry e : entries) {
            TradingSettings.StrategySetup setup = strategy(e, registry, pairOf, account, catalog, err);
            if (setup == null) {
                continue;
            }
            boolean clash = false;
            for (int instrument : setup.engine().instrumentIds()) {
                String other = quotedBy.putIfAbsent(instrument, e.id());
                if (other != null) {
                    clash = true;
                    err.add(e.key() + ".venues", registry.get(instrument).toString(), "an instrument no other strategy quotes: "
                            + "strategies " + other + " and " + e.id() + " both quote " + registry.get(instrument));
                }
            }
            if (!clash) {
                setups.add(setup);
            }
        }
        return setups;
    }

    /** the strategies' own optional limits (maxPosition, dailyLossLimit, maxOpenOrders) into the risk limits */
    private static RiskLimits strategyLimits(MmeConfig config, List<TradingSettings.StrategySetup> setups, RiskLimits limits,
                                             ErrorSink err) {
        List<String> ids = new ArrayList<>();
        List<int[]> instruments = new ArrayList<>();
        for (TradingSettings.StrategySetup s : setups) {
            ids.add(s.id());
            instruments.add(s.engine().instrumentIds().stream().mapToInt(Integer::intValue).toArray());
        }
        RiskLimits with = limits.withStrategies(ids, instruments);
        for (int st = 0; st < setups.size(); st++) {
            String id = setups.get(st).id();
            MmeConfig.StrategyConfig c = StrategyEngine.DEFAULT_ID.equals(id) && config.strategy() != null ? config.strategy()
                    : config.strategies().stream().filter(x -> x != null && id.equals(x.id())).findFirst().orElseThrow();
            String key = config.strategy() != null ? "strategy" : "strategies[" + config.strategies().indexOf(c) + "]";
            strategyLimit(c.maxPosition(), LimitKind.STRATEGY_MAX_POSITION, key + ".maxPosition", with, st, err);
            strategyLimit(c.dailyLossLimit(), LimitKind.STRATEGY_DAILY_LOSS, key + ".dailyLossLimit", with, st, err);
            strategyLimit(c.maxOpenOrders(), LimitKind.STRATEGY_MAX_OPEN_ORDERS, key + ".maxOpenOrders", with, st, err);
        }
        return with;
    }

    private static void strategyLimit(Long value, LimitKind kind, String key, RiskLimits limits, int strategy, ErrorSink err) {
        if (value == null) {
            return;
        }
        if (value < 0 || value > kind.maxValue()) {
            err.add(key, String.valueOf(value), "a value from 0 to " + kind.maxValue() + " " + kind.unit());
            return;
        }
        limits.set(kind, strategy, value);
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

    private static TradingSettings.StrategySetup strategy(Entry entry, InstrumentRegistry registry, int[] pairOf,
                                                          long account, StrategyCatalog catalog, ErrorSink err) {
        MmeConfig.StrategyConfig s = entry.config();
        String k = entry.key();
        String type = s.type() == null ? "" : s.type().trim().toLowerCase(Locale.ROOT);
        StrategyFactory factory = catalog.factory(type);
        if (factory == null) {
            err.add(k + ".type", s.type(), "a strategy type: one of " + String.join(", ", catalog.types())
                    + " (plug-in types need their jar on --strategy-path)");
            return null;
        }
        List<Instrument> ofPair = s.pair() == null ? List.of() : registry.byPair(s.pair().trim());
        if (ofPair.isEmpty()) {
            Map<String, Boolean> pairs = new LinkedHashMap<>();
            for (Instrument i : registry.all()) {
                pairs.put(i.pair(), true);
            }
            err.add(k + ".pair", s.pair(), "a pair of the configured instruments: " + String.join(", ", pairs.keySet()));
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
                Venue venue = venue(s.venues().get(v), k + ".venues[" + v + "]", err);
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
                    err.add(k + ".venues[" + v + "]", s.venues().get(v), "a venue with an instrument of " + s.pair());
                } else if (!venue.hasOrderEntry()) {
                    err.add(k + ".venues[" + v + "]", s.venues().get(v), "a venue with order entry: "
                            + venue.configName() + " is market data only (its book still counts in the fair value)");
                } else if (ids.contains(match.id())) {
                    err.add(k + ".venues[" + v + "]", s.venues().get(v), "each venue once");
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
            err.add(k + ".maxLevels", String.valueOf(levels), "1 to 16 quote levels per side");
            return null;
        }
        long replaceTicks = orDefault(s.replaceTicks(), d.replaceTicks(), k + ".replaceTicks", 0, 1_000_000, err);
        long replacePct = orDefault(s.replaceSizePercent(), d.replaceSizePercent(), k + ".replaceSizePercent", 0, 100, err);
        long minLife = orDefault(s.minQuoteLifeMillis(), d.minQuoteLifeMillis(), k + ".minQuoteLifeMillis", 0, 86_400_000, err);
        long maxAge = orDefault(s.maxQuoteAgeMillis(), d.maxQuoteAgeMillis(), k + ".maxQuoteAgeMillis", 0, 86_400_000, err);
        long backoff = orDefault(s.rejectBackoffMillis(), d.rejectBackoffMillis(), k + ".rejectBackoffMillis", 0, 86_400_000, err);
        boolean start = s.startQuoting() != null ? s.startQuoting() : d.startQuoting();
        int bookDepth = s.bookDepth() != null ? s.bookDepth() : d.bookDepth();
        if (bookDepth < 1 || bookDepth > StrategyEngineConfig.MAX_BOOK_DEPTH) {
            err.add(k + ".bookDepth", String.valueOf(bookDepth), "1 to " + StrategyEngineConfig.MAX_BOOK_DEPTH
                    + " book levels a side per venue in the strategy's market view");
            return null;
        }
        if (!venuesUsable) {
            return null;
        }
        StrategyEngineConfig engine = new StrategyEngineConfig(d.pairId(), ids, account, levels, replaceTicks, replacePct,
                minLife, maxAge, backoff, start, bookDepth);
        Map<String, Long> parameters = s.parameters() == null ? Map.of() : new TreeMap<>(s.parameters());
        TradingSettings.StrategySetup setup = new TradingSettings.StrategySetup(entry.id(), type, factory, ofPair.get(0).pair(), engine, parameters);
        for (Map.Entry<String, Long> p : parameters.entrySet()) {
            if (p.getValue() == null) {
                err.add(k + ".parameters." + p.getKey(), null, "an integer value");
                return null;
            }
        }
        try {
            setup.newStrategy();
        } catch (IllegalArgumentException e) {
            err.add(k + ".parameters", parameters.toString(), e.getMessage());
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
