package io.mme.app.venues;

import io.mme.app.config.VenueSettings;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.venue.ClientIdCodec;
import io.mme.core.venue.Credentials;
import io.mme.core.venue.GatewayReports;
import io.mme.core.venue.VenueGateway;
import io.mme.core.venue.VenueMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The live and testnet gateways of a run, one per venue not in paper mode, built from the
 * connectors with the venue's settings and the keys from the environment. Built and started on the
 * assembly's thread; {@link #byVenue()} is handed to the {@link GatewayRouter}.
 */
public final class Gateways implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateways.class);
    private final VenueGateway[] byVenue = new VenueGateway[Venue.values().length];
    private final List<VenueGateway> all = new ArrayList<>();

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

    /** connects each gateway: clock, private stream, reconciliation; returns at once */
    public void start(GatewayReports reports) {
        for (VenueGateway g : all) {
            g.start(reports);
        }
    }

    @Override
    public void close() {
        for (VenueGateway g : all) {
            try {
                g.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the {} gateway: {}", g.venue().configName(), e.toString());
            }
        }
    }
}
