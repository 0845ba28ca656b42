package io.mme.strategy.api;

/**
 * Where a strategy writes its model state ({@link Strategy#writeState}): into a snapshot, or into
 * the run's state digest that replay compares. Write the same fields in the same order every time.
 */
public interface StateOut {
    StateOut putLong(long value);

    StateOut putDouble(double value);

    StateOut putBoolean(boolean value);
}
