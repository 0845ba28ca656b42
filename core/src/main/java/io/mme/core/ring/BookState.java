package io.mme.core.ring;

/** What the market data engine vouches for a venue book. Strategies quote only from VALID books. */
public enum BookState {
    /** a snapshot is being loaded, or none has arrived yet */
    SYNCING,
    /** the book follows the venue: sequence/checksum checks pass, not crossed, not stale */
    VALID,
    /** a gap, a failed checksum, a crossed book or a stale feed; a resync is under way */
    INVALID
}
