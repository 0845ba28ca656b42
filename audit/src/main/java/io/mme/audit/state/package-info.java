/** The L1 state files: engines' states at snapshot points, in a Chronicle Map beside the journal. */
package io.mme.audit.state;
