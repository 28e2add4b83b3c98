package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered numeric test: its streaming form on window summaries lies within its stated error
 * bound of its exact form on the raw values. A test whose streaming form states no bound (NaN) is
 * checked by its own test class.
 */
class StreamingFormsTest {

    @Test
    void shouldKeepEveryStreamingFormWithinItsErrorBound() {
        Random r = new Random(20261204L);
        double[][][] cases = {
            {normal(r, 20_000, 0, 1), normal(r, 5_000, 0, 1)},
            {normal(r, 20_000, 0, 1), normal(r, 5_000, 0.3, 1)},
            {normal(r, 5_000, 0, 1), normal(r, 3_000, 0, 2.5)},
            {normal(r, 3_000, 0, 1), normal(r, 3_000, 4, 1)},
        };
        int checked = 0;
        for (double[][] c : cases) {
            NumericBaseline baseline = NumericBaseline.fromSample(c[0], 10, NumericGrid.DEFAULT_RESOLUTION, "test",
                    null, null);
            NumericSummary ref = baseline.referenceView();
            NumericSummary cur = new NumericSummary(baseline.grid());
            cur.addAll(c[1]);
            StreamingInput input = new StreamingInput(ColumnKind.NUMERIC, ref.binCounts(), cur.binCounts(), ref, cur);
            ColumnComparison exact = Comparisons.numeric(c[0], c[1], 10);
            for (DriftTest test : DriftTests.forKind(ColumnKind.NUMERIC)) {
                TestResult streamed = test.streaming(input);
                TestResult raw = exact.test(test);
                double bound = test.errorBound(input);
                if (!raw.isDefined() || Double.isNaN(bound)) {
                    continue;
                }
                assertTrue(streamed.isDefined(), test.id());
                assertEquals(raw.statistic(), streamed.statistic(), bound + 1e-12,
                        test.id() + ": streaming " + streamed.statistic() + " vs exact " + raw.statistic());
                checked++;
            }
        }
        assertTrue(checked >= 5 * cases.length, "checked " + checked);
    }

    private static double[] normal(Random r, int n, double mean, double sd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + sd * r.nextGaussian();
        }
        return out;
    }
}
