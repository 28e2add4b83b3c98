package dev.driftwatch.bench;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.Comparisons;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One full exact comparison of raw samples (what {@code driftwatch compare} does per column), at
 * sizes on both sides of the exact/asymptotic KS boundary.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ExactComparisonBenchmark {
    @Param({"1000", "10000", "100000"})
    int size;

    private double[] reference;
    private double[] current;

    @Setup
    public void setUp() {
        Random random = new Random(2);
        reference = new double[size];
        current = new double[size - 1];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = random.nextGaussian();
        }
        for (int i = 0; i < current.length; i++) {
            current[i] = random.nextGaussian() + 0.05;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ColumnComparison compareAllTests() {
        return Comparisons.numeric(reference, current, 10);
    }
}
