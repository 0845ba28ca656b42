/** Digests of engine state, for comparing a live run with the replay of its journal. */
package io.mme.core.digest;
