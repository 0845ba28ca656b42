/**
 * Engine state as bytes, for the L1 state files: each engine writes its whole state at a snapshot
 * point and reads it back on a restart, after which the journal's tail brings it to the present.
 */
package io.mme.core.state;
