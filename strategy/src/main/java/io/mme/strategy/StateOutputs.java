package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import io.mme.strategy.api.StateIn;
import io.mme.strategy.api.StateOut;

/**
 * Adapters from the API's {@link StateOut} / {@link StateIn} to the engine's snapshot writer and
 * reader and to the state digest, so a strategy writes its model state once for both. One per
 * {@link StrategyUnit}, re-aimed before each use; the unit's thread (or the snapshot / digest
 * caller while the engine is stopped).
 */
final class StateOutputs {
    private StateWriter writer;
    private StateDigest digest;
    private StateReader reader;

    private final StateOut toWriter = new StateOut() {
        @Override
        public StateOut putLong(long value) {
            writer.putLong(value);
            return this;
        }

        @Override
        public StateOut putDouble(double value) {
            writer.putDouble(value);
            return this;
        }

        @Override
        public StateOut putBoolean(boolean value) {
            writer.putBoolean(value);
            return this;
        }
    };

    private final StateOut toDigest = new StateOut() {
        @Override
        public StateOut putLong(long value) {
            digest.putLong(value);
            return this;
        }

        @Override
        public StateOut putDouble(double value) {
            digest.putDouble(value);
            return this;
        }

        @Override
        public StateOut putBoolean(boolean value) {
            digest.putBoolean(value);
            return this;
        }
    };

    private final StateIn fromReader = new StateIn() {
        @Override
        public long getLong() {
            return reader.getLong();
        }

        @Override
        public double getDouble() {
            return reader.getDouble();
        }

        @Override
        public boolean getBoolean() {
            return reader.getBoolean();
        }
    };

    StateOut writer(StateWriter out) {
        this.writer = out;
        return toWriter;
    }

    StateOut digest(StateDigest out) {
        this.digest = out;
        return toDigest;
    }

    StateIn reader(StateReader in) {
        this.reader = in;
        return fromReader;
    }
}
