package io.mme.core.instrument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every instrument the engine knows, with dense {@code int} ids 0..n-1 in the order they were
 * added. Built once at start-up from config and immutable afterwards; any thread may read it.
 * Lookups by id are an array index; lookups by venue symbol are one hash probe with no allocation.
 */
public final class InstrumentRegistry {
    private final Instrument[] byId;
    private final List<Map<String, Instrument>> bySymbolPerVenue;

    private InstrumentRegistry(Instrument[] byId) {
        this.byId = byId;
        List<Map<String, Instrument>> maps = new ArrayList<>();
        for (int v = 0; v < Venue.values().length; v++) {
            maps.add(new HashMap<>());
        }
        for (Instrument instrument : byId) {
            maps.get(instrument.venue().id()).put(instrument.venueSymbol(), instrument);
        }
        List<Map<String, Instrument>> frozen = new ArrayList<>();
        for (Map<String, Instrument> m : maps) {
            frozen.add(Map.copyOf(m));
        }
        this.bySymbolPerVenue = Collections.unmodifiableList(frozen);
    }

    public static Builder builder() {
        return new Builder(AssetAliases.defaults());
    }

    public static Builder builder(AssetAliases aliases) {
        return new Builder(aliases);
    }

    public int size() {
        return byId.length;
    }

    public Instrument get(int id) {
        if (id < 0 || id >= byId.length) {
            throw new IllegalArgumentException("instrument id " + id + " is not registered (0.." + (byId.length - 1) + ")");
        }
        return byId[id];
    }

    /** the instrument with that venue symbol, or null */
    public Instrument find(Venue venue, String venueSymbol) {
        return bySymbolPerVenue.get(venue.id()).get(venueSymbol);
    }

    /** every instrument of the canonical pair ("BTC/USD") across venues, in id order */
    public List<Instrument> byPair(String pair) {
        List<Instrument> out = new ArrayList<>();
        for (Instrument instrument : byId) {
            if (instrument.pair().equals(pair)) {
                out.add(instrument);
            }
        }
        return out;
    }

    public List<Instrument> all() {
        return List.of(byId);
    }

    /** the instruments of one venue, in id order */
    public List<Instrument> ofVenue(Venue venue) {
        List<Instrument> out = new ArrayList<>();
        for (Instrument instrument : byId) {
            if (instrument.venue() == venue) {
                out.add(instrument);
            }
        }
        return out;
    }

    /** Collects and validates specs; not thread-safe, used once at start-up. */
    public static final class Builder {
        private final AssetAliases aliases;
        private final List<Instrument> instruments = new ArrayList<>();

        private Builder(AssetAliases aliases) {
            this.aliases = aliases;
        }

        /**
         * Validates {@code spec} and gives it the next id.
         *
         * @throws InstrumentConfigException naming the faulty field, its value and the expected form
         */
        public Builder add(InstrumentSpec spec) {
            if (spec.venue() == null) {
                throw new InstrumentConfigException("venue", null, "venue is missing: expected one of binance, coinbase, kraken");
            }
            String symbol = required("venueSymbol", spec.venueSymbol(), "the symbol as the venue spells it, e.g. BTCUSDT");
            String label = spec.venue() + " " + symbol;
            for (Instrument existing : instruments) {
                if (existing.venue() == spec.venue() && existing.venueSymbol().equals(symbol)) {
                    throw new InstrumentConfigException("venueSymbol", symbol,
                            label + " is configured twice");
                }
            }
            String venueBase = required("base", spec.base(), "the base asset, e.g. BTC");
            String venueQuote = required("quote", spec.quote(), "the quote asset, e.g. USDT");
            DecimalGrid tick = grid("tickSize", label + " price", spec.tickSize());
            DecimalGrid lot = grid("lotSize", label + " quantity", spec.lotSize());

            long minQuantityLots = 1;
            if (spec.minQuantity() != null) {
                minQuantityLots = steps("minQuantity", lot, spec.minQuantity());
                if (minQuantityLots <= 0) {
                    throw new InstrumentConfigException("minQuantity", spec.minQuantity(),
                            label + " minQuantity '" + spec.minQuantity() + "' must be at least one lot (" + lot.step() + ")");
                }
            }
            long minNotionalUnits = 0;
            if (spec.minNotional() != null) {
                int scale = tick.scale() + lot.scale();
                if (scale > DecimalGrid.MAX_SCALE) {
                    throw new InstrumentConfigException("minNotional", spec.minNotional(),
                            label + " tick and lot together are finer than 10^-" + DecimalGrid.MAX_SCALE
                                    + "; a min notional cannot be checked exactly");
                }
                DecimalGrid notionalGrid = DecimalGrid.of(label + " notional", scale == 0 ? "1" : "0." + "0".repeat(scale - 1) + "1");
                minNotionalUnits = steps("minNotional", notionalGrid, spec.minNotional());
                if (minNotionalUnits < 0) {
                    throw new InstrumentConfigException("minNotional", spec.minNotional(),
                            label + " minNotional '" + spec.minNotional() + "' must not be negative");
                }
            }
            int priceDecimals = decimals("priceDecimals", label, spec.priceDecimals(), tick);
            int sizeDecimals = decimals("sizeDecimals", label, spec.sizeDecimals(), lot);

            instruments.add(new Instrument(instruments.size(), spec.venue(), symbol,
                    aliases.canonical(venueBase), aliases.canonical(venueQuote),
                    venueBase.trim().toUpperCase(Locale.ROOT), venueQuote.trim().toUpperCase(Locale.ROOT),
                    tick, lot, minQuantityLots, minNotionalUnits, priceDecimals, sizeDecimals));
            return this;
        }

        public InstrumentRegistry build() {
            return new InstrumentRegistry(instruments.toArray(new Instrument[0]));
        }

        private static String required(String field, String value, String expected) {
            if (value == null || value.isBlank()) {
                throw new InstrumentConfigException(field, value, field + " is missing: expected " + expected);
            }
            return value.trim();
        }

        private static DecimalGrid grid(String field, String context, String text) {
            if (text == null || text.isBlank()) {
                throw new InstrumentConfigException(field, text, field + " of " + context + " is missing: expected a positive decimal such as 0.01");
            }
            try {
                return DecimalGrid.of(context, text);
            } catch (FixedPointException e) {
                throw new InstrumentConfigException(field, text, field + ": " + e.getMessage());
            }
        }

        private static long steps(String field, DecimalGrid grid, String text) {
            try {
                return grid.toSteps(text.trim());
            } catch (FixedPointException e) {
                throw new InstrumentConfigException(field, text, field + ": " + e.getMessage());
            }
        }

        private static int decimals(String field, String label, Integer value, DecimalGrid grid) {
            if (value == null) {
                return grid.scale();
            }
            if (value < grid.scale() || value > DecimalGrid.MAX_SCALE) {
                throw new InstrumentConfigException(field, String.valueOf(value),
                        label + " " + field + " " + value + " must be between " + grid.scale()
                                + " (the scale of " + grid.step() + ") and " + DecimalGrid.MAX_SCALE);
            }
            return value;
        }
    }
}
