package io.mme.strategy;

import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.ParameterChecks;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Side;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;

import java.util.List;

/**
 * Symmetric quotes around the fair value, shifted against our inventory. On each quoted venue, with
 * that venue's tick t, for level l = 0..levels-1:
 * <pre>
 *   centre = fairValue − skew · t · (inventory − target) / size
 *   bid_l  = centre − (spread/2 + l·spacing) · t        ask_l = centre + (spread/2 + l·spacing) · t
 * </pre>
 * so a long position lowers both quotes (we sell more readily, buy less) and a short one raises
 * them. Parameter keys (values are longs, in the unit named):
 * <ul>
 *   <li>{@value #SPREAD_TICKS}: the full spread between the level-0 bid and ask, in ticks of each venue (1..1,000,000)</li>
 *   <li>{@value #SIZE_NANOS}: size of every quote in 10^-9 base units (1..10^15); also the inventory unit of the skew</li>
 *   <li>{@value #LEVELS}: levels per side (1..16; levels beyond the engine's maxLevels are not quoted)</li>
 *   <li>{@value #LEVEL_SPACING_TICKS}: distance between consecutive levels, in ticks (1..1,000,000)</li>
 *   <li>{@value #SKEW_MILLITICKS}: shift of the centre, in thousandths of a tick per quote size of
 *       inventory away from the target (0..10^9)</li>
 *   <li>{@value #INVENTORY_TARGET_NANOS}: the inventory the skew pulls toward, 10^-9 base units (±10^15)</li>
 * </ul>
 * The fair value and inventory (our net position over every quoted venue) come from the
 * {@link MarketView}. Owned by the hosting engine's thread.
 */
public final class InventorySkewStrategy implements Strategy {
    public static final String SPREAD_TICKS = "spread.ticks";
    public static final String SIZE_NANOS = "size.nanos";
    public static final String LEVELS = "levels";
    public static final String LEVEL_SPACING_TICKS = "level.spacing.ticks";
    public static final String SKEW_MILLITICKS = "skew.milliticks.per.unit";
    public static final String INVENTORY_TARGET_NANOS = "inventory.target.nanos";
    private static final List<String> KEYS = List.of(SPREAD_TICKS, SIZE_NANOS, LEVELS, LEVEL_SPACING_TICKS,
            SKEW_MILLITICKS, INVENTORY_TARGET_NANOS);
    private static final long MAX_SIZE = 1_000_000_000_000_000L;

    /**
     * Start-up values of the parameters (see the class comment for units).
     *
     * @param spreadTicks          default 4
     * @param sizeNanos            default 1,000,000 (0.001 of the base asset)
     * @param levels               default 1
     * @param levelSpacingTicks    default 2
     * @param skewMilliticks       default 1,000 (one tick per quote size of inventory)
     * @param inventoryTargetNanos default 0
     */
    public record Parameters(long spreadTicks, long sizeNanos, long levels, long levelSpacingTicks,
                             long skewMilliticks, long inventoryTargetNanos) {
        public static Parameters defaults() {
            return new Parameters(4, 1_000_000, 1, 2, 1_000, 0);
        }
    }

    private long spreadTicks;
    private long sizeNanos;
    private long levels;
    private long levelSpacingTicks;
    private long skewMilliticks;
    private long inventoryTargetNanos;
    private MarketView market;

    public InventorySkewStrategy(Parameters parameters) {
        for (String key : KEYS) {
            String refusal = setParameter(key, value(parameters, key));
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
        }
    }

    private static long value(Parameters p, String key) {
        return switch (key) {
            case SPREAD_TICKS -> p.spreadTicks();
            case SIZE_NANOS -> p.sizeNanos();
            case LEVELS -> p.levels();
            case LEVEL_SPACING_TICKS -> p.levelSpacingTicks();
            case SKEW_MILLITICKS -> p.skewMilliticks();
            case INVENTORY_TARGET_NANOS -> p.inventoryTargetNanos();
            default -> throw new IllegalArgumentException(key);
        };
    }

    /** the type name in configurations */
    public static final String TYPE = "inventory-skew";

    /** builds it with its defaults; listed in META-INF/services like a plug-in's factory */
    public static final class Factory implements StrategyFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Strategy newStrategy() {
            return new InventorySkewStrategy(Parameters.defaults());
        }
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public void start(MarketView market) {
        this.market = market;
    }

    /** stateless between quotes: fair value and inventory are read from the view when quoting */
    @Override
    public void quote(Quotes out) {
        double fair = market.fairValueNanos();
        double units = (double) (market.positionNanos() - inventoryTargetNanos) / sizeNanos;
        double skewTicks = skewMilliticks / 1000.0 * units;
        for (int i = 0; i < market.instruments(); i++) {
            double tick = market.nanosPerTick(i);
            double centre = fair - skewTicks * tick;
            for (int level = 0; level < levels; level++) {
                double half = (spreadTicks / 2.0 + level * levelSpacingTicks) * tick;
                out.set(i, Side.BUY, level, centre - half, sizeNanos);
                out.set(i, Side.SELL, level, centre + half, sizeNanos);
            }
        }
    }

    @Override
    public List<String> parameterKeys() {
        return KEYS;
    }

    @Override
    public String setParameter(String key, long value) {
        String refusal = switch (key) {
            case SPREAD_TICKS -> ParameterChecks.range(key, value, 1, 1_000_000, "ticks", spreadTicks);
            case SIZE_NANOS -> ParameterChecks.range(key, value, 1, MAX_SIZE, "10^-9 base units", sizeNanos);
            case LEVELS -> ParameterChecks.range(key, value, 1, 16, "levels per side", levels);
            case LEVEL_SPACING_TICKS -> ParameterChecks.range(key, value, 1, 1_000_000, "ticks", levelSpacingTicks);
            case SKEW_MILLITICKS -> ParameterChecks.range(key, value, 0, 1_000_000_000, "1/1000 tick per quote size of inventory", skewMilliticks);
            case INVENTORY_TARGET_NANOS -> ParameterChecks.range(key, value, -MAX_SIZE, MAX_SIZE, "10^-9 base units", inventoryTargetNanos);
            default -> ParameterChecks.unknown(key, KEYS);
        };
        if (refusal != null) {
            return refusal;
        }
        switch (key) {
            case SPREAD_TICKS -> spreadTicks = value;
            case SIZE_NANOS -> sizeNanos = value;
            case LEVELS -> levels = value;
            case LEVEL_SPACING_TICKS -> levelSpacingTicks = value;
            case SKEW_MILLITICKS -> skewMilliticks = value;
            default -> inventoryTargetNanos = value;
        }
        return null;
    }

    @Override
    public long parameter(String key) {
        return switch (key) {
            case SPREAD_TICKS -> spreadTicks;
            case SIZE_NANOS -> sizeNanos;
            case LEVELS -> levels;
            case LEVEL_SPACING_TICKS -> levelSpacingTicks;
            case SKEW_MILLITICKS -> skewMilliticks;
            case INVENTORY_TARGET_NANOS -> inventoryTargetNanos;
            default -> throw new IllegalArgumentException(ParameterChecks.unknown(key, KEYS));
        };
    }
}
