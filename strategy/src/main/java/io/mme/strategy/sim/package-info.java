/**
 * The Monte Carlo reproduction of Avellaneda &amp; Stoikov (2008), section 3.3, quoting with the
 * same {@link io.mme.strategy.AvellanedaStoikovModel} the live strategy uses. Single-threaded,
 * caller's thread; not part of the engine.
 */
package io.mme.strategy.sim;
