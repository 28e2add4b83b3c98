package dev.driftwatch.bench;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.detectors.summary.SummaryComparisons;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Window-summary updates per second and the cost of evaluating every test of one feature window
 * against its baseline. Run: {@code java -jar bench/target/benchmarks.jar SummaryBenchmark}.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SummaryBenchmark {
    private static final int BATCH = 4096;

    private double[] values;
    private String[] categories;
    private NumericBaseline numericBaseline;
    private NumericSummary numericWindow;
    private NumericSummary fullWindow;
    private CategoricalBaseline categoricalBaseline;
    private CategoricalSummary categoricalWindow;
    private CategoricalSummary fullCategoricalWindow;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        double[] reference = new double[100_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = random.nextGaussian();
        }
        numericBaseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "bench", null,
                null);
        values = new double[BATCH];
        for (int i = 0; i < BATCH; i++) {
            values[i] = random.nextGaussian() + 0.2;
        }
        String[] pool = {"US", "DE", "FR", "GB", "IN", "BR", "JP", "CA", "MX", "ES"};
        String[] refCategories = new String[50_000];
        for (int i = 0; i < refCategories.length; i++) {
            refCategories[i] = pool[Math.min(pool.length - 1, (int) Math.abs(random.nextGaussian() * 3))];
        }
        categoricalBaseline = CategoricalBaseline.fromSample(refCategories, "bench", null, null);
        categories = new String[BATCH];
        for (int i = 0; i < BATCH; i++) {
            categories[i] = pool[random.nextInt(pool.length)];
        }
        numericWindow = numericBaseline.newWindow();
        categoricalWindow = categoricalBaseline.newWindow();
        fullWindow = numericBaseline.newWindow();
        for (int i = 0; i < 50_000; i++) {
            fullWindow.add(random.nextGaussian() * 1.1 + 0.1);
        }
        fullCategoricalWindow = categoricalBaseline.newWindow();
        for (int i = 0; i < 20_000; i++) {
            fullCategoricalWindow.add(pool[random.nextInt(pool.length)]);
        }
    }

    /** Numeric values added to a window summary, per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public NumericSummary numericUpdate() {
        for (double v : values) {
            numericWindow.add(v);
        }
        return numericWindow;
    }

    /** Categorical values added to a window summary, per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public CategoricalSummary categoricalUpdate() {
        for (String c : categories) {
            categoricalWindow.add(c);
        }
        return categoricalWindow;
    }

    /** One evaluation of every numeric test (PSI, KL, JS, KS with p-value, Wasserstein) of a window. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ColumnComparison evaluateNumericWindow() {
        return SummaryComparisons.numeric(numericBaseline, fullWindow);
    }

    /** One evaluation of every categorical test (PSI, KL, JS, chi-square) of a window. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ColumnComparison evaluateCategoricalWindow() {
        return SummaryComparisons.categorical(categoricalBaseline, fullCategoricalWindow);
    }

    /** Serialising a window summary in the fixed-size form (what baselines' ids are hashes of). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] serialiseNumericWindow() {
        return fullWindow.toBytes();
    }

    /** Serialising a window summary in the compact form, as the window-state store does at every commit. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] serialiseNumericWindowCompact() {
        return fullWindow.toCompactBytes();
    }
}
