package io.mme.strategy.api;

/**
 * Reads back what {@link Strategy#writeState} wrote, in the same order ({@link Strategy#readState}).
 * A read past the end, or of a state another strategy wrote, throws an unchecked exception the
 * engine reports as a damaged snapshot.
 */
public interface StateIn {
    long getLong();

    double getDouble();

    boolean getBoolean();
}
