/**
 * Venues, instruments and the exact conversion of decimal prices and quantities into {@code long}
 * ticks and lots. Built at start-up, immutable afterwards; any thread reads it.
 */
package io.mme.core.instrument;
