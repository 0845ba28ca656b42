package io.mme.archfixture.strategy;

/** follows the rules: depends on nothing of ours */
public final class CleanStrategy {
}
