package io.mme.core.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * Sizes and placement for a {@link Pipeline}.
 *
 * @param inboundRingSize  slots in the inbound ring, a power of two
 * @param outboundRingSize slots in the outbound ring, a power of two
 * @param engines          per engine name: CPU and wait strategy; engines not listed get
 *                         {@link EngineSpec#DEFAULT}
 * @param shutdownTimeout  how long a shutdown waits for the rings to drain
 * @param fusedChain       run the business chain (marketdata, strategy, risk, execution) on one
 *                         thread, {@link Pipeline#FUSED_CHAIN}, instead of a thread per engine
 */
public record PipelineConfig(int inboundRingSize, int outboundRingSize, Map<String, EngineSpec> engines,
                             Duration shutdownTimeout, boolean fusedChain) {
    public static final int DEFAULT_INBOUND_RING_SIZE = 65_536;
    public static final int DEFAULT_OUTBOUND_RING_SIZE = 16_384;

    public PipelineConfig {
        requirePowerOfTwo("inboundRingSize", inboundRingSize);
        requirePowerOfTwo("outboundRingSize", outboundRingSize);
        engines = Map.copyOf(engines);
        if (shutdownTimeout == null || shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
            throw new IllegalArgumentException("shutdownTimeout " + shutdownTimeout + " must be positive");
        }
    }

    /** a thread per engine */
    public PipelineConfig(int inboundRingSize, int outboundRingSize, Map<String, EngineSpec> engines, Duration shutdownTimeout) {
        this(inboundRingSize, outboundRingSize, engines, shutdownTimeout, false);
    }

    public PipelineConfig withFusedChain(boolean fused) {
        return new PipelineConfig(inboundRingSize, outboundRingSize, engines, shutdownTimeout, fused);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(DEFAULT_INBOUND_RING_SIZE, DEFAULT_OUTBOUND_RING_SIZE, Map.of(), Duration.ofSeconds(10));
    }

    public EngineSpec engine(String name) {
        return engines.getOrDefault(name, EngineSpec.DEFAULT);
    }

    private static void requirePowerOfTwo(String field, int value) {
        if (value < 2 || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(field + " " + value + " must be a power of two of at least 2");
        }
    }
}
