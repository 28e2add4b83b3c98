package dev.driftwatch.bench;

import dev.driftwatch.detectors.slo.LatencySummary;
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

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The service-level latency summary: latencies added per second, the p95 of a full window, and writing
 * a full window's summary. Run: {@code java -jar bench/target/benchmarks.jar LatencySummaryBenchmark}.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LatencySummaryBenchmark {
    private static final int BATCH = 4096;

    private double[] latencies;
    private LatencySummary window;
    private LatencySummary full;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        latencies = new double[BATCH];
        for (int i = 0; i < BATCH; i++) {
            latencies[i] = Math.exp(random.nextGaussian() * 0.8 + 5);
        }
        window = new LatencySummary();
        full = new LatencySummary();
        for (int i = 0; i < 100_000; i++) {
            full.add(Math.exp(random.nextGaussian() * 0.8 + 5));
        }
    }

    /** Latencies added to a window's summary, per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public LatencySummary add() {
        for (double v : latencies) {
            window.add(v);
        }
        return window;
    }

    /** The p95 of a window of 100,000 latencies. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double p95() {
        return full.quantile(0.95);
    }

    /** Writing a window of 100,000 latencies (as the window state does on every commit). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] write() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        full.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
