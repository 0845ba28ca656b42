package io.mme.app.venues;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.OrderCommand;
import io.mme.core.runtime.Engine;
import io.mme.core.venue.OrderRequest;
import io.mme.core.venue.VenueGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The outbound consumer of the live and testnet venues: copies each order command of a venue with
 * a gateway off the ring and hands it to that gateway, which queues it and returns at once. Commands
 * re-decided while a restarted engine re-ran its journal ({@link OrderCommand#recovered()}) are
 * never sent: they may or may not have reached the venue before the crash, and the engine resolves
 * them by status queries instead.
 *
 * <p>Thread: the consumer's engine thread only; the gateways array is fixed before start.
 * Allocates one {@link OrderRequest} per command: the gateways' network work allocates far more.
 */
public final class GatewayRouter implements Engine<OrderCommand> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRouter.class);
    private final InstrumentRegistry instruments;
    private final VenueGateway[] gateways;

    /** @param gateways by venue id; null entries for venues not routed here */
    public GatewayRouter(InstrumentRegistry instruments, VenueGateway[] gateways) {
        this.instruments = instruments;
        this.gateways = gateways.clone();
    }

    @Override
    public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) {
        int v = command.venueId();
        VenueGateway gateway = v >= 0 && v < gateways.length ? gateways[v] : null;
        if (gateway == null) {
            return;
        }
        if (command.recovered()) {
            return;
        }
        int id = command.instrumentId();
        if (id < 0 || id >= instruments.size()) {
            LOG.error("order command {} names instrument {} which is not configured: not sent", command.clientOrderId(), id);
            return;
        }
        gateway.submit(OrderRequest.of(command, instruments.get(id)));
    }
}
