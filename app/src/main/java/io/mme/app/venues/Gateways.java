package io.mme.app.venues;

import io.mme.app.config.VenueSettings;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.venue.ClientIdCodec;
import io.mme.core.venue.Credentials;
import io.mme.core.venue.VenueGateway;
import io.mme.core.venue.VenueMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live and testnet gateways of a run, one per venue not in paper mode, built from the
 * connectors with the venue's settings and the keys from the environment, and the relay of their
 * venues' back-offs to risk. Built and started on the assembly's thread; {@link #byVenue()} is
 * handed to the {@link GatewayRouter}.
 */
public final class Gateways implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateways.class);
    private final VenueGateway[] byVenue = new VenueGateway[Venue.values().length];
    private final List<VenueGateway> all = new ArrayList<>();
    /** the back-off relay's thread; touches only {@link #relayedUntil} */
    private final ScheduledExecutorService relay = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mme-gateway-backoff");
        t.setDaemon(true);
        return t;
    });
    private final long[] relayedUntil = new long[Venue.values().length];

    /**
     * Builds every gateway the settings ask for; nothing connects yet.
     *
     * @param environment where the keys are read from (System.getenv() in production)
     * @throws IllegalStateException naming the variable when a key is missing
     */
    public Gateways(VenueSettings venues, InstrumentRegistry instruments, Map<String, String> environment, ClientIdCodec ids) {
        for (VenueSettings.Setup s : venues.setups().values()) {
            if (s.mode() == VenueMode.PAPER) {
                continue;
            }
            Credentials keys = Credentials.fromEnvironment(environment, s.keyVariable(), s.secretVariable());
            VenueGateway gateway = GatewayFactory.create(s, venues.unknownOrders(), instruments, keys, ids);
            byVenue[s.venue().id()] = gateway;
            all.add(gateway);
            LOG.info("{} gateway built: mode {}, key {}, client ids {}-*", s.venue().configName(), s.mode().configName(),
                    keys.maskedKey(), ids.tag());
        }
    }

    public boolean any() {
        return !all.isEmpty();
    }

    public VenueGateway[] byVenue() {
        return byVenue.clone();
    }

    public List<VenueGateway> all() {
        return List.copyOf(all);
    }

    /**
     * Connects each gateway (clock, private stream, reconciliation; returns at once) and starts the
     * relay of the venues' back-offs into the ring: every 50 ms a back-off that ends later than the
     * last one relayed becomes a {@code venue.backoff} control event for risk.
     */
    public void start(RingGatewayReports reports) {
        for (VenueGateway g : all) {
            g.start(reports);
        }
        relay.scheduleWithFixedDelay(() -> relayBackOffs(reports), 50, 50, TimeUnit.MILLISECONDS);
    }

    private void relayBackOffs(RingGatewayReports reports) {
        long now = System.currentTimeMillis();
        for (VenueGateway g : all) {
            try {
                long until = g.status().backingOffUntilMs();
                int v = g.venue().id();
                if (until > now && until > relayedUntil[v]) {
                    relayedUntil[v] = until;
                    LOG.warn("{} told us to stop sending for {} ms: risk refuses its new orders until then", g.venue().configName(), until - now);
                    reports.backingOff(g.venue(), until);
                }
            } catch (RuntimeException e) {
                LOG.warn("{} back-off relay: {}", g.venue().configName(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        relay.shutdownNow();
        for (VenueGateway g : all) {
            try {
                g.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the {} gateway: {}", g.venue().configName(), e.toString());
            }
        }
    }
}
