package io.mme.app.api;

/**
 * A change an operator asks for, on its way into the inbound ring as a CONTROL event.
 *
 * @param command      one of {@link io.mme.core.ring.ControlCommands}
 * @param principal    who asks (the authenticated token's principal)
 * @param reason       why (required by the API)
 * @param venueId      target venue, -1 for all
 * @param instrumentId target instrument, -1 for all
 * @param key          the limit or parameter name, or null
 * @param value        the new value in the key's unit
 */
public record ControlRequest(String command, String principal, String reason, int venueId, int instrumentId, String key, long value) {
}
