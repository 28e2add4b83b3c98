package dev.driftwatch.bench;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.detectors.summary.SummaryComparisons;
import dev.driftwatch.detectors.summary.SummaryEvidence;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The CPU the window evaluation spends per subject-window, through the calls the drift evaluator makes: a window
 * summary of the bench's traffic against its feature's baseline (5,000 reference values on the default grid, as
 * the platform bench publishes), its streaming input, every numeric test, the window's evidence and the tests'
 * error bounds (KS's is the baseline's, as the evaluator takes it), also against the same baselines held as a model
 * version's own are (the reference in compact bytes, read back when nothing holds it); and a categorical window's
 * comparison and evidence. Prints the median over rounds of the
 * thread's CPU nanoseconds per subject-window, for the whole numeric evaluation and for each part.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.driftwatch.bench.EvaluationBench [--values 100,1000]
 * [--windows 256] [--rounds 7] [--millis 400]}
 */
public final class EvaluationBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Folds every result in, so that nothing measured is dead code. */
    private static long sink;

    private EvaluationBench() {
    }

    public static void main(String[] args) {
        int[] sizes = {100, 1000};
        int windows = 256;
        int rounds = 7;
        long millis = 400;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--values" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--windows" -> windows = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--millis" -> millis = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --values N,N --windows N --rounds N --millis N");
            }
        }
        for (int size : sizes) {
            Numeric numeric = new Numeric(size, windows);
            Categorical categorical = new Categorical(size, windows);
            List<String[]> rows = new ArrayList<>();
            rows.add(row("numeric: input + comparison + evidence + bounds", numeric::whole, windows, rounds, millis));
            rows.add(row("  the same, baselines read back from compact bytes", numeric::wholeStored, windows, rounds,
                    millis));
            rows.add(row("  numericInput (dense cells)", numeric::input, windows, rounds, millis));
            rows.add(row("  SummaryComparisons.numeric", numeric::comparison, windows, rounds, millis));
            for (DriftTest t : DriftTests.forKind(ColumnKind.NUMERIC)) {
                rows.add(row("    " + t.id() + ".streaming", k -> numeric.test(t, k), windows, rounds, millis));
            }
            rows.add(row("  SummaryEvidence.numeric", numeric::evidence, windows, rounds, millis));
            rows.add(row("  error bounds (emitStats)", numeric::bounds, windows, rounds, millis));
            rows.add(row("categorical: comparison + evidence", categorical::whole, windows, rounds, millis));
            System.out.printf(Locale.ROOT, "%d values per subject-window (%d windows), ns of thread CPU per"
                    + " subject-window, median of %d rounds:%n", size, windows, rounds);
            for (String[] r : rows) {
                System.out.printf(Locale.ROOT, "  %-52s %10s%n", r[0], r[1]);
            }
        }
        System.out.println("(sink " + (sink & 1) + ")");
    }

    private static String[] row(String name, IntConsumer op, int windows, int rounds, long millis) {
        long[] perWindow = new long[rounds];
        for (int warm = 0; warm < 2; warm++) {
            measure(op, windows, millis);
        }
        for (int r = 0; r < rounds; r++) {
            perWindow[r] = measure(op, windows, millis);
        }
        Arrays.sort(perWindow);
        return new String[] {name, Long.toString(perWindow[rounds / 2])};
    }

    /** Runs {@code op} over the windows until {@code millis} of thread CPU passed; the CPU ns per window. */
    private static long measure(IntConsumer op, int windows, long millis) {
        long start = THREADS.getCurrentThreadCpuTime();
        long stop = start + millis * 1_000_000;
        long done = 0;
        long now;
        do {
            for (int k = 0; k < windows; k++) {
                op.accept(k);
            }
            done += windows;
            now = THREADS.getCurrentThreadCpuTime();
        } while (now < stop);
        return (now - start) / done;
    }

    private static void fold(TestResult r) {
        sink = sink * 31 + Double.doubleToRawLongBits(r.isDefined() ? r.statistic() : -1)
                + (r.pValue() == null ? 0 : Double.doubleToRawLongBits(r.pValue()));
    }

    private static void fold(ColumnComparison c) {
        for (TestResult r : c.tests().values()) {
            fold(r);
        }
    }

    private static void fold(WindowEvidence e) {
        sink = sink * 31 + Double.doubleToRawLongBits(e.windowPValue());
    }

    /** Numeric windows of the four shapes of the bench's traffic, each against its feature's baseline. */
    private static final class Numeric {
        private final NumericBaseline[] baselines;
        /** The same baselines as a model version's own are held: the reference in compact bytes, read back. */
        private final NumericBaseline[] stored;
        private final NumericSummary[] windows;
        private final StreamingInput[] inputs;
        private final ColumnComparison[] comparisons;

        Numeric(int values, int count) {
            int shapes = 4;
            baselines = new NumericBaseline[shapes];
            stored = new NumericBaseline[shapes];
            for (int f = 0; f < shapes; f++) {
                BenchTraffic t = new BenchTraffic(1000 + f);
                double[] sample = new double[5_000];
                for (int i = 0; i < sample.length; i++) {
                    sample[i] = t.numeric(f, false);
                }
                baselines[f] = NumericBaseline.fromSample(sample, 10, NumericGrid.DEFAULT_RESOLUTION, "bench", null,
                        null);
                stored[f] = NumericBaseline.fromCompactReference(baselines[f].grid(),
                        baselines[f].compactReference(), baselines[f].provenance());
            }
            windows = new NumericSummary[count];
            inputs = new StreamingInput[count];
            comparisons = new ColumnComparison[count];
            BenchTraffic t = new BenchTraffic(7);
            for (int k = 0; k < count; k++) {
                int f = k % shapes;
                NumericSummary w = baselines[f].newWindow();
                // One window in 16 shifted, as drifting versions are.
                boolean drifted = k % 16 == 5;
                for (int i = 0; i < values; i++) {
                    w.add(t.numeric(f, drifted));
                }
                windows[k] = w;
                inputs[k] = SummaryComparisons.numericInput(baselines[f], w);
                comparisons[k] = SummaryComparisons.numeric(baselines[f], w, inputs[k]);
            }
        }

        private NumericBaseline baseline(int k) {
            return baselines[k % baselines.length];
        }

        void whole(int k) {
            whole(baseline(k), k);
        }

        void wholeStored(int k) {
            whole(stored[k % stored.length], k);
        }

        private void whole(NumericBaseline b, int k) {
            StreamingInput input = SummaryComparisons.numericInput(b, windows[k]);
            ColumnComparison c = SummaryComparisons.numeric(b, windows[k], input);
            fold(c);
            fold(SummaryEvidence.numeric(b, windows[k], c, input));
            for (TestResult r : c.tests().values()) {
                if (r.isDefined() && r.test() != DriftTests.KS) {
                    sink += Double.doubleToRawLongBits(r.test().errorBound(input));
                }
            }
        }

        void input(int k) {
            StreamingInput input = SummaryComparisons.numericInput(baseline(k), windows[k]);
            sink += input.currentCounts()[0];
        }

        void comparison(int k) {
            fold(SummaryComparisons.numeric(baseline(k), windows[k], inputs[k]));
        }

        void test(DriftTest t, int k) {
            fold(t.streaming(inputs[k]));
        }

        void evidence(int k) {
            fold(SummaryEvidence.numeric(baseline(k), windows[k], comparisons[k], inputs[k]));
        }

        void bounds(int k) {
            for (TestResult r : comparisons[k].tests().values()) {
                if (r.isDefined() && r.test() != DriftTests.KS) {
                    sink += Double.doubleToRawLongBits(r.test().errorBound(inputs[k]));
                }
            }
        }
    }

    /** Categorical windows of the bench's five category sets, each against its feature's baseline. */
    private static final class Categorical {
        private final CategoricalBaseline[] baselines;
        private final CategoricalSummary[] windows;

        Categorical(int values, int count) {
            int shapes = 5;
            baselines = new CategoricalBaseline[shapes];
            for (int f = 0; f < shapes; f++) {
                BenchTraffic t = new BenchTraffic(2000 + f);
                String[] sample = new String[5_000];
                for (int i = 0; i < sample.length; i++) {
                    sample[i] = t.categorical(f);
                }
                baselines[f] = CategoricalBaseline.fromSample(sample, "bench", null, null);
            }
            windows = new CategoricalSummary[count];
            BenchTraffic t = new BenchTraffic(9);
            for (int k = 0; k < count; k++) {
                CategoricalSummary w = baselines[k % shapes].newWindow();
                for (int i = 0; i < values; i++) {
                    w.add(t.categorical(k % shapes));
                }
                windows[k] = w;
            }
        }

        void whole(int k) {
            CategoricalBaseline b = baselines[k % baselines.length];
            fold(SummaryComparisons.categorical(b, windows[k]));
            fold(SummaryEvidence.categorical(b, windows[k]));
        }
    }
}
