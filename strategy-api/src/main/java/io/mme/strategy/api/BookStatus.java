package io.mme.strategy.api;

/** What the engine vouches for one venue book. The engine quotes only on a {@link #VALID} book. */
public enum BookStatus {
    /** a snapshot is being loaded, or none has arrived yet */
    SYNCING,
    /** the book follows the venue: sequence and checksum checks pass, not crossed, not stale */
    VALID,
    /** a gap, a failed checksum, a crossed book or a stale feed; a resync is under way */
    INVALID
}
