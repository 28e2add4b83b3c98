package dev.driftwatch.detectors;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;

import java.util.EnumSet;

/**
 * Anderson-Darling k-sample test (Scholz and Stephens, 1987) of the reference against the current
 * sample, k = 2, as {@code scipy.stats.anderson_ksamp(..., variant='midrank')}: the tie-corrected
 * statistic A²akN (their equation 7), standardised as (A²akN − (k − 1)) / σ_N. Around 0 when both
 * samples come from one distribution; it grows with the difference, weighting the tails more than KS
 * does. It is negative (down to −1/σ_N) when the samples agree better than chance would have it.
 *
 * <p>The p-value is scipy's: a quadratic in the statistic fitted to log(significance) at the 7 critical
 * values of Scholz and Stephens' table 2 (significance 0.25 down to 0.001). Outside the table scipy
 * caps it at 0.25 (the true p-value is larger) and floors it at 0.001 (smaller); so do we, and the
 * result's {@link TestResult#method()} says which: "interpolated", "capped" or "floored". A test
 * reported beside KS, not a significance gate: its bounded p-value takes no part in the correction.
 * Undefined with fewer than 4 values in all or a single distinct value.
 *
 * <p>Streaming form: the same statistic with each grid cell taken as one tied value (midranks per
 * cell). It is exact when every value sits on a grid point; otherwise it is the statistic of the
 * values rounded to their cells, which no closed form bounds ({@link #errorBound} is NaN): the
 * test class measures it against the exact form. The exact form sorts nothing (its input is sorted) and
 * costs O(n + m); the streaming form O(grid cells).
 */
final class AndersonDarlingKSample extends DriftTest {

    /** Significance levels of the table, and its critical values for k − 1 = 1 (b0 + b1 + b2). */
    private static final double[] SIGNIFICANCE = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};
    private static final double[] CRITICAL = {
        0.675 - 0.245 - 0.105, 1.281 + 0.25 - 0.305, 1.645 + 0.678 - 0.362, 1.96 + 1.149 - 0.391,
        2.326 + 1.822 - 0.396, 2.573 + 2.364 - 0.345, 3.085 + 3.615 - 0.154};
    /** log(significance) ≈ c0 + c1·A + c2·A², least squares over the table. */
    private static final double[] LOG_P_FIT = fitLogSignificance();
    private static final double EULER = 0.5772156649015329;

    AndersonDarlingKSample() {
        super("ad", "ANDERSON_DARLING", Kind.SIGNIFICANCE, EnumSet.of(ColumnKind.NUMERIC));
    }

    @Override
    public TestResult exact(ExactInput input) {
        double[] a = input.reference();
        double[] b = input.current();
        // The counts of each distinct value, taken in one merge of the sorted samples and summed as they come
        // (arrays of them would take 32 MB for two samples of a million values).
        long n = a.length;
        long m = b.length;
        if (n + m < 4) {
            return TestResult.undefined(this, "needs at least 4 values in all, got " + (n + m));
        }
        MidrankSums sums = new MidrankSums(n, m);
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            double v = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            int fromA = i;
            int fromB = j;
            while (i < a.length && a[i] == v) {
                i++;
            }
            while (j < b.length && b[j] == v) {
                j++;
            }
            sums.add(i - fromA, j - fromB);
        }
        return result(sums);
    }

    @Override
    public TestResult streaming(StreamingInput input) {
        return input.hasHeldCells()
                ? onTiedCounts(input.referenceHeld(), input.currentHeld())
                : onTiedCounts(input.reference(), input.current());
    }

    @Override
    public double errorBound(StreamingInput input) {
        return Double.NaN;
    }

    @Override
    public double lowestStatistic() {
        return Double.NEGATIVE_INFINITY; // −1/σ_N, which depends on the sample sizes
    }

    /**
     * The test on the cells' counts, each cell one distinct value (ascending; cells empty on both sides are
     * skipped), read in place.
     */
    private TestResult onTiedCounts(GridCells reference, GridCells current) {
        int cells = reference.cells();
        long n = 0;
        long m = 0;
        int distinct = 0;
        for (int z = 0; z < cells; z++) {
            long r = reference.cellCount(z);
            long c = current.cellCount(z);
            n += r;
            m += c;
            distinct += r + c > 0 ? 1 : 0;
        }
        double total = n + m;
        if (total < 4) {
            return TestResult.undefined(this, "needs at least 4 values in all, got " + (n + m));
        }
        if (distinct < 2) {
            return TestResult.undefined(this, "all values are equal; Anderson-Darling needs two distinct values");
        }
        MidrankSums sums = new MidrankSums(n, m);
        for (int z = 0; z < cells; z++) {
            sums.add(reference.cellCount(z), current.cellCount(z));
        }
        return result(sums);
    }

    /**
     * {@link #onTiedCounts(GridCells, GridCells)} from the two summaries' non-empty cells, bit for bit: the cells
     * where either side has values, in ascending order, are the ones it adds.
     */
    private TestResult onTiedCounts(HeldCells referenceHeld, HeldCells currentHeld) {
        long n = referenceHeld.total();
        long m = currentHeld.total();
        if (n + m < 4) {
            return TestResult.undefined(this, "needs at least 4 values in all, got " + (n + m));
        }
        MidrankSums sums = new MidrankSums(n, m);
        int nr = referenceHeld.size();
        int nc = currentHeld.size();
        int i = 0;
        int j = 0;
        while (i < nr || j < nc) {
            int cr = i < nr ? referenceHeld.cell(i) : Integer.MAX_VALUE;
            int cc = j < nc ? currentHeld.cell(j) : Integer.MAX_VALUE;
            int c = Math.min(cr, cc);
            long r = 0;
            long k = 0;
            if (cr == c) {
                r = referenceHeld.count(i++);
            }
            if (cc == c) {
                k = currentHeld.count(j++);
            }
            sums.add(r, k);
        }
        return result(sums);
    }

    /**
     * Scholz and Stephens (1987), equation 7, summed over the distinct values in ascending order: midranks B of
     * the pooled sample, M of each sample. Values counted in neither sample are skipped.
     */
    private static final class MidrankSums {
        private final long n;
        private final long m;
        private final double total;
        private double sumRef;
        private double sumCur;
        private long pooledBelow;
        private long refBelow;
        private long curBelow;
        private int distinct;

        MidrankSums(long n, long m) {
            this.n = n;
            this.m = m;
            this.total = n + m;
        }

        /** The next distinct value, counted {@code reference} times in the reference and {@code current} in the current. */
        void add(long reference, long current) {
            long l = reference + current;
            if (l == 0) {
                return;
            }
            distinct++;
            double b = pooledBelow + l / 2.0;
            double denominator = b * (total - b) - total * l / 4.0;
            double mRef = refBelow + reference / 2.0;
            double mCur = curBelow + current / 2.0;
            double dRef = total * mRef - b * n;
            double dCur = total * mCur - b * m;
            sumRef += l / total * dRef * dRef / denominator;
            sumCur += l / total * dCur * dCur / denominator;
            pooledBelow += l;
            refBelow += reference;
            curBelow += current;
        }
    }

    /** The statistic and p-value of the sums of at least 4 values. */
    private TestResult result(MidrankSums sums) {
        if (sums.distinct < 2) {
            return TestResult.undefined(this, "all values are equal; Anderson-Darling needs two distinct values");
        }
        long n = sums.n;
        long m = sums.m;
        double total = sums.total;
        double a2akn = (sums.sumRef / n + sums.sumCur / m) * (total - 1) / total;
        double statistic = (a2akn - 1) / Math.sqrt(variance(n, m));
        if (statistic < CRITICAL[0]) {
            return TestResult.of(this, statistic, SIGNIFICANCE[0], "capped");
        }
        if (statistic > CRITICAL[CRITICAL.length - 1]) {
            return TestResult.of(this, statistic, SIGNIFICANCE[SIGNIFICANCE.length - 1], "floored");
        }
        double logP = LOG_P_FIT[0] + statistic * (LOG_P_FIT[1] + statistic * LOG_P_FIT[2]);
        return TestResult.of(this, statistic, Math.min(1.0, Math.exp(logP)), "interpolated");
    }

    /** σ_N² of A²akN under the null, k = 2 (Scholz and Stephens, equation 4). */
    private static double variance(long n, long m) {
        double total = n + m;
        double bigH = 1.0 / n + 1.0 / m;
        // h = Σ_{i=1}^{N−1} 1/i and g = Σ_{i=1}^{N−2} Σ_{j=i+1}^{N−1} 1/((N − i)·j) = H2(N) − (2h + 1/N)/N,
        // since Σ_{b=1}^{N−1} H(b)/(N − b) = H(N)² − H2(N).
        double h = harmonic(n + m - 1);
        double g = harmonicOfSquares(n + m) - (2 * h + 1 / total) / total;
        int k = 2;
        double a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * bigH;
        double b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * bigH - 8 * h + 4 * g - 6;
        double c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * bigH + 4 * h;
        double d = (2 * h + 6) * k * k - 4 * h * k;
        return (a * total * total * total + b * total * total + c * total + d)
                / ((total - 1) * (total - 2) * (total - 3));
    }

    /** H(x) = Σ_{i=1}^{x} 1/i; beyond 1000 its asymptotic series, exact to double precision there. */
    static double harmonic(long x) {
        if (x < 1000) {
            double sum = 0;
            for (long i = x; i >= 1; i--) {
                sum += 1.0 / i;
            }
            return sum;
        }
        double inv2 = 1.0 / ((double) x * x);
        return Math.log(x) + EULER + 0.5 / x - inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 / 252));
    }

    /** H2(x) = Σ_{i=1}^{x} 1/i²; beyond 1000 its asymptotic series, exact to double precision there. */
    static double harmonicOfSquares(long x) {
        if (x < 1000) {
            double sum = 0;
            for (long i = x; i >= 1; i--) {
                sum += 1.0 / ((double) i * i);
            }
            return sum;
        }
        double inv = 1.0 / x;
        double inv2 = inv * inv;
        return Math.PI * Math.PI / 6 - inv + 0.5 * inv2 - inv2 * inv * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 / 42));
    }

    private static double[] fitLogSignificance() {
        double[][] vandermonde = new double[CRITICAL.length][];
        double[] logSignificance = new double[CRITICAL.length];
        for (int i = 0; i < CRITICAL.length; i++) {
            vandermonde[i] = new double[] {1, CRITICAL[i], CRITICAL[i] * CRITICAL[i]};
            logSignificance[i] = Math.log(SIGNIFICANCE[i]);
        }
        RealVector fit = new QRDecomposition(new Array2DRowRealMatrix(vandermonde, false)).getSolver()
                .solve(new ArrayRealVector(logSignificance, false));
        return fit.toArray();
    }

    @Override
    public String explanation() {
        return "Anderson-Darling k-sample test: like KS it compares the two cumulative distributions, but"
                + " over their whole range and with more weight in the tails, so it sees a change of spread or of the"
                + " tails that KS misses. Its p-value is read from a table and held within 0.001..0.25. Reported for"
                + " information; it decides nothing.";
    }
}
