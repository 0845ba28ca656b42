/**
 * The matching engine as a venue other processes trade against over loopback
 * (docs/VENUE-PROTOCOL.md): binary order entry over TCP ({@link io.mme.venuegateway.VenueIoLoop} on
 * the venue's I/O thread), the books on one matching thread ({@link io.mme.venuegateway.MatchingLoop})
 * that never touches a socket, and market data plus execution reports on UDP multicast. The client
 * side ({@link io.mme.venuegateway.VenueClient}, {@link io.mme.venuegateway.MarketDataSubscriber}) is
 * the example for other systems. {@link io.mme.venuegateway.VenueServer} wires it in one place.
 */
package io.mme.venuegateway;
