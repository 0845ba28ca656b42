package io.mme.bench;

import io.mme.core.instrument.DecimalGrid;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Decimal text to ticks as a feed decoder does it: a slice of a message, no substring. Run with
 * {@code -prof gc}: gc.alloc.rate.norm must be 0 B/op. Checks its answer at setup so a fast wrong
 * parser fails instead of winning.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FixedPointParseBenchmark {
    private static final String MESSAGE = "{\"e\":\"depthUpdate\",\"b\":[[\"64123.45000000\",\"0.01234000\"]]}";

    private final DecimalGrid tick = DecimalGrid.of("BINANCE BTCUSDT price", "0.01");
    private final DecimalGrid lot = DecimalGrid.of("BINANCE BTCUSDT quantity", "0.00001");
    private int priceStart;
    private int priceEnd;
    private int qtyStart;
    private int qtyEnd;
    private final StringBuilder out = new StringBuilder(32);

    @Setup
    public void locateAndCheck() {
        priceStart = MESSAGE.indexOf("64123");
        priceEnd = MESSAGE.indexOf('"', priceStart);
        qtyStart = MESSAGE.indexOf("0.0123");
        qtyEnd = MESSAGE.indexOf('"', qtyStart);
        if (parsePriceAndQuantity() != 6_412_345L * 31 + 1234) {
            throw new IllegalStateException("parser gives a wrong answer");
        }
    }

    @Benchmark
    public long parsePriceAndQuantity() {
        return tick.toSteps(MESSAGE, priceStart, priceEnd) * 31 + lot.toSteps(MESSAGE, qtyStart, qtyEnd);
    }

    @Benchmark
    public int formatPrice() {
        out.setLength(0);
        return tick.appendDecimal(6_412_345L, 8, out).length();
    }
}
