package io.mme.archfixture.marketdata;

import java.util.stream.IntStream;

/** planted violation: an engine class using java.util.stream */
public final class StreamingBook {
    public int depth(int[] sizes) {
        return IntStream.of(sizes).sum();
    }
}
