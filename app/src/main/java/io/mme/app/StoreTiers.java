package io.mme.app;

import io.mme.analytics.redis.HotStateSnapshot;
import io.mme.analytics.redis.RedisHotStatePublisher;
import io.mme.app.config.MmeSettings;
import io.mme.app.config.StoreSettings;
import io.mme.audit.store.AuditStore;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.TradingState;
import io.mme.core.runtime.EngineStatus;
import io.mme.marketdata.MarketDataView;
import io.mme.risk.LimitKind;
import io.mme.risk.RiskCheck;
import io.mme.risk.RiskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The store tiers beside a live engine, off the hot path: the PostgreSQL audit store (which drains
 * the run's journal on its own thread) and a collector thread that, every Redis publish interval,
 * copies what the engines publish for other threads (their views, the pipeline's health) into the
 * hot-state snapshot for Redis, writes PnL snapshots to PostgreSQL, and applies the outage policy:
 * with {@code stores.onOutage: reducing}, a store down longer than the grace period puts trading
 * into REDUCING through a control command on the ring (journaled and recorded like an operator's),
 * and its return puts it back to ACTIVE — only if it was this policy that reduced it.
 *
 * <p>Threads: built and closed by the CLI thread; the collector is its own daemon thread.
 */
final class StoreTiers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreTiers.class);
    private static final String PRINCIPAL = "mme";

    private final StoreSettings settings;
    private final InstrumentRegistry instruments;
    private final EngineAssembly engine;
    private final AuditStore audit;
    private final RedisHotStatePublisher redis;
    private final HotStateSnapshot snapshot = new HotStateSnapshot();
    private final Thread collector;
    private volatile boolean running = true;
    private long downSinceNanos;
    private boolean reducedByOutage;
    private long lastPnlNanos;

    /** in the run directory while Redis is unreachable: when the outage began (epoch millis), for its end line after a restart */
    static final String REDIS_OUTAGE_FILE = "redis-outage";

    StoreTiers(MmeSettings settings, Path runDirectory, EngineAssembly engine) {
        this.settings = settings.stores();
        this.instruments = settings.instruments();
        this.engine = engine;
        this.audit = this.settings.postgres().enabled()
                ? new AuditStore(this.settings.postgres(), runDirectory, instruments, StoreTiers::rejectName) : null;
        if (audit != null) {
            audit.strategyOfInstrument(settings.strategyOfInstrument());
        }
        this.redis = this.settings.redis().enabled()
                ? new RedisHotStatePublisher(this.settings.redis()).keepOutageIn(runDirectory.resolve(REDIS_OUTAGE_FILE)) : null;
        this.collector = new Thread(this::collect, "mme-stores");
        this.collector.setDaemon(true);
    }

    private static String rejectName(int code) {
        try {
            RiskCheck check = RiskCheck.ofCode(code);
            return check == null ? null : check.label();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    StoreTiers start() {
        if (audit != null) {
            audit.start();
        }
        collector.start();
        return this;
    }

    /** the audit store, or null when PostgreSQL is off */
    AuditStore audit() {
        return audit;
    }

    /** the Redis publisher, or null when Redis is off */
    RedisHotStatePublisher redis() {
        return redis;
    }

    private void collect() {
        long period = settings.redis().publishInterval().toNanos();
        long next = System.nanoTime();
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            next += period;
            try {
                if (redis != null) {
                    fill();
                    redis.publish(snapshot);
                }
                if (audit != null && System.nanoTime() - lastPnlNanos >= settings.pnlSnapshotEvery().toNanos()) {
                    lastPnlNanos = System.nanoTime();
                    recordPnl();
                }
                outagePolicy();
            } catch (RuntimeException e) {
                LOG.error("store collector: {}", e.toString(), e);
            }
        }
    }

    private void fill() {
        RiskView risk = engine.risk().view();
        MarketDataView books = engine.marketData().view();
        for (Instrument i : instruments.all()) {
            String venue = i.venue().configName();
            String symbol = i.venueSymbol();
            int id = i.id();
            snapshot.position(venue, symbol).set("lots", risk.positionLots(id)).set("avgCostNanos", risk.averageCostNanos(id))
                    .set("realizedNanos", risk.realizedNanos(id)).set("unrealizedNanos", risk.unrealizedNanos(id))
                    .set("feesNanos", risk.feesNanos(id)).set("fills", risk.fills(id));
            snapshot.state("instrument", venue + "/" + symbol).set("state", risk.instrumentState(id).name());
            HotStateSnapshot.Entry book = snapshot.book(venue, symbol).set("state", String.valueOf(books.state(id)));
            book.set("bidTicks", books.bidTicks(id)).set("bidLots", books.bidLots(id))
                    .set("askTicks", books.askTicks(id)).set("askLots", books.askLots(id));
            HotStateSnapshot.Entry limits = snapshot.limit("instrument", venue + "/" + symbol);
            for (LimitKind kind : LimitKind.values()) {
                if (kind.scope() == LimitKind.Scope.INSTRUMENT && id < risk.limitTargets(kind)) {
                    limits.set(kind.key(), risk.limit(kind, id));
                }
            }
        }
        for (Venue v : Venue.values()) {
            snapshot.state("venue", v.configName()).set("state", risk.venueState(v.id()).name());
            HotStateSnapshot.Entry limits = snapshot.limit("venue", v.configName());
            for (LimitKind kind : LimitKind.values()) {
                if (kind.scope() == LimitKind.Scope.VENUE && v.id() < risk.limitTargets(kind)) {
                    limits.set(kind.key(), risk.limit(kind, v.id()));
                }
            }
        }
        snapshot.state("global", "all").set("state", risk.globalState().name()).set("dailyPnlNanos", risk.dailyPnlNanos())
                .set("openOrders", risk.openOrders());
        HotStateSnapshot.Entry global = snapshot.limit("global", "all");
        for (LimitKind kind : LimitKind.values()) {
            if (kind.scope() == LimitKind.Scope.GLOBAL && risk.limitTargets(kind) > 0) {
                global.set(kind.key(), risk.limit(kind, 0));
            }
        }
        if (engine.strategy() != null) {
            java.util.List<io.mme.strategy.StrategyUnit> units = engine.strategy().units();
            for (int st = 0; st < units.size(); st++) {
                io.mme.strategy.StrategyUnit unit = units.get(st);
                io.mme.strategy.StrategyView view = unit.view();
                long pnl = 0;
                for (int k = 0; k < view.instruments(); k++) {
                    pnl += risk.realizedNanos(view.instrumentId(k)) + risk.unrealizedNanos(view.instrumentId(k));
                }
                String halt = unit.haltReason();
                // strategy:<id>: its state, position (its own fills) and PnL over its instruments
                snapshot.entry("strategy", unit.id(), "")
                        .set("state", halt != null ? "HALTED" : view.quoting() ? "QUOTING" : "STOPPED")
                        .set("inventoryNanos", view.inventoryNanos()).set("pnlNanos", pnl).set("openOrders", view.openOrders())
                        .set("haltReason", halt == null ? "" : halt);
                HotStateSnapshot.Entry limits = snapshot.limit("strategy", unit.id());
                for (LimitKind kind : LimitKind.values()) {
                    if (kind.scope() == LimitKind.Scope.STRATEGY && st < risk.limitTargets(kind)) {
                        limits.set(kind.key(), risk.limit(kind, st));
                    }
                }
            }
        }
        for (EngineStatus status : engine.pipeline().health().engines()) {
            snapshot.engine(status.name()).set("state", status.state().name()).set("lastSequence", status.lastSequence())
                    .set("backlog", status.backlog()).set("faults", status.faults());
        }
        if (audit != null) {
            snapshot.engine("postgres").set("state", audit.isDown() ? "DOWN" : "UP").set("lagRecords", audit.lagRecords());
        }
    }

    private void recordPnl() {
        RiskView risk = engine.risk().view();
        long at = risk.publishedAtNanos();
        if (at == 0) {
            return;
        }
        for (Instrument i : instruments.all()) {
            int id = i.id();
            audit.recordPnl(at, id, risk.positionLots(id), risk.averageCostNanos(id), risk.realizedNanos(id),
                    risk.unrealizedNanos(id), risk.feesNanos(id));
        }
    }

    private void outagePolicy() {
        if (!settings.reduceOnOutage()) {
            return;
        }
        boolean down = (audit != null && audit.isDown()) || (redis != null && redis.isDown());
        long now = System.nanoTime();
        if (down) {
            if (downSinceNanos == 0) {
                downSinceNanos = now;
            }
            if (!reducedByOutage && now - downSinceNanos >= settings.outageGrace().toNanos()) {
                reducedByOutage = true;
                String which = audit != null && audit.isDown() ? "PostgreSQL" : "Redis";
                LOG.warn("{} has been down for {} ms: trading goes REDUCING (stores.onOutage: reducing)", which,
                        (now - downSinceNanos) / 1_000_000);
                engine.control(ControlCommands.SET_TRADING_STATE, PRINCIPAL, which + " unreachable (stores.onOutage: reducing)",
                        -1, -1, null, TradingState.REDUCING.ordinal());
            }
        } else {
            downSinceNanos = 0;
            if (reducedByOutage) {
                reducedByOutage = false;
                LOG.info("stores are back: trading ACTIVE again");
                engine.control(ControlCommands.SET_TRADING_STATE, PRINCIPAL, "stores reachable again", -1, -1, null,
                        TradingState.ACTIVE.ordinal());
            }
        }
    }

    /** stops the collector, then lets the audit store write what is journaled (it waits a while for PostgreSQL) */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(collector);
        try {
            collector.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (redis != null) {
            fill();
            redis.publish(snapshot);
            redis.close();
        }
        if (audit != null) {
            audit.close();
        }
    }
}
