package io.mme.app.venues;

import io.mme.app.config.VenueSettings;
import io.mme.connectors.binance.BinanceGateway;
import io.mme.connectors.coinbase.CoinbaseGateway;
import io.mme.connectors.kraken.KrakenGateway;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.venue.ClientIdCodec;
import io.mme.core.venue.Credentials;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueGateway;

/**
 * Builds one venue's gateway from its settings: the connector's own settings for the mode, with
 * the configured endpoints, receive window, rate-limit share and unknown-order policy on top.
 */
final class GatewayFactory {
    private GatewayFactory() {
    }

    static VenueGateway create(VenueSettings.Setup s, UnknownOrderPolicy unknownOrders, InstrumentRegistry instruments,
                               Credentials keys, ClientIdCodec ids) {
        return switch (s.venue()) {
            // configuration validation keeps a market-data-only venue in paper mode, so no gateway is asked for
            case HYPERLIQUID -> throw new IllegalArgumentException(s.venue().configName() + " has no order entry: market data only");
            case BINANCE -> {
                BinanceGateway.Settings d = BinanceGateway.Settings.forMode(s.mode());
                BinanceGateway.Settings settings = new BinanceGateway.Settings(d.mode(),
                        s.restUrl() == null ? d.restBase() : s.restUrl(), s.streamUrl() == null ? d.userStream() : s.streamUrl(),
                        d.connectTimeout(), d.requestTimeout(), s.recvWindowMillis(), d.requestWeightPerMinute(),
                        d.ordersPer10Seconds(), d.ordersPerDay(), s.rateLimitShare(), d.reconnectMin(), d.reconnectMax(),
                        d.retryDelay(), d.retries(), unknownOrders,
                        s.webSocketOrderEntry() ? BinanceGateway.OrderEntry.WEBSOCKET : BinanceGateway.OrderEntry.REST);
                yield new BinanceGateway(settings, instruments, keys, ids);
            }
            case KRAKEN -> {
                KrakenGateway.Settings d = KrakenGateway.Settings.forMode(s.mode());
                KrakenGateway.Settings settings = new KrakenGateway.Settings(s.restUrl() == null ? d.restBase() : s.restUrl(),
                        s.streamUrl() == null ? d.privateStream() : s.streamUrl(), d.requestTimeout(), d.connectTimeout(),
                        s.restPairs(), d.restCounterMax(), d.restCounterDecayPerSecond(), d.tradingCounterMax(),
                        d.tradingCounterDecayPerSecond(), d.cancelCost(), s.rateLimitShare(), d.rateLimitBackoff(),
                        d.maxRateLimitBackoff(), d.reconnectBackoff(), d.maxReconnectBackoff(), d.pingInterval(), d.cancelRetries(),
                        unknownOrders, d.userAgent());
                yield new KrakenGateway(settings, instruments, keys, ids);
            }
            case COINBASE -> {
                CoinbaseGateway.Settings d = CoinbaseGateway.Settings.forMode(s.mode());
                CoinbaseGateway.Settings settings = new CoinbaseGateway.Settings(d.mode(),
                        s.restUrl() == null ? d.restBase() : s.restUrl(), s.streamUrl() == null ? d.userStream() : s.streamUrl(),
                        d.requestTimeout(), d.connectTimeout(), d.privateRequestsPerSecond(), d.publicRequestsPerSecond(),
                        s.rateLimitShare(), d.createRetries(), d.requestRetries(), d.retryDelay(), d.streamInitialBackoff(),
                        d.streamMaxBackoff(), unknownOrders);
                yield new CoinbaseGateway(settings, instruments, keys, ids);
            }
        };
    }
}
