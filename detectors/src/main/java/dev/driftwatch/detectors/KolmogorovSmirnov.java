package dev.driftwatch.detectors;

import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.commons.math3.util.ArithmeticUtils;

import java.util.Locale;

/**
 * The two-sample Kolmogorov–Smirnov test, two-sided.
 *
 * <p>D = sup |F_ref − F_cur| over the raw values. The p-value P(D ≥ d) under the null hypothesis is
 * exact when both samples have at most {@link #EXACT_LIMIT} values (lattice-path counting), and
 * otherwise asymptotic: the one-sample distribution of D_N with N = round(n·m/(n+m)), computed as in
 * Simard and L'Ecuyer (2011). Should the exact computation leave [0, 1] through rounding, the
 * asymptotic value is used instead.
 */
public final class KolmogorovSmirnov {
    /** Largest sample size for which the p-value is exact. */
    public static final int EXACT_LIMIT = 10_000;

    /** How the p-value was computed. */
    public enum Method {
        /** Exact null distribution of the two-sample statistic. */
        EXACT,
        /** Asymptotic: one-sample Kolmogorov distribution with the effective sample size. */
        ASYMPTOTIC
    }

    /**
     * The result of a two-sample test.
     *
     * @param statistic D in [0, 1]
     * @param pValue    two-sided p-value in [0, 1]
     * @param method    how the p-value was computed
     */
    public record Result(double statistic, double pValue, Method method) {
        public TestResult toTestResult() {
            return TestResult.of(DriftTests.KS, statistic, pValue, method.name().toLowerCase(Locale.ROOT));
        }
    }

    private KolmogorovSmirnov() {
    }

    /**
     * D = sup_x |F_a(x) − F_b(x)| of two sorted finite samples, each non-empty.
     */
    public static double statistic(double[] sortedA, double[] sortedB) {
        checkNonEmpty(sortedA.length, sortedB.length);
        int n = sortedA.length;
        int m = sortedB.length;
        double max = 0;
        double min = 0;
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            double x = i == n ? sortedB[j] : j == m ? sortedA[i] : Math.min(sortedA[i], sortedB[j]);
            while (i < n && sortedA[i] <= x) {
                i++;
            }
            while (j < m && sortedB[j] <= x) {
                j++;
            }
            double diff = i / (double) n - j / (double) m;
            max = Math.max(max, diff);
            min = Math.min(min, diff);
        }
        return Math.max(max, -min);
    }

    /** Statistic and two-sided p-value of two sorted finite samples. */
    public static Result test(double[] sortedA, double[] sortedB) {
        return fromStatistic(statistic(sortedA, sortedB), sortedA.length, sortedB.length);
    }

    /**
     * The test result for a statistic d observed between samples of sizes n and m (for example a D
     * estimated from window summaries). In the exact regime d is first rounded to the lattice of
     * attainable values, k/lcm(n, m).
     */
    public static Result fromStatistic(double d, long n, long m) {
        checkNonEmpty(n, m);
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("KS statistic must be in [0, 1], got " + d);
        }
        if (Math.max(n, m) <= EXACT_LIMIT) {
            int a = (int) n;
            int b = (int) m;
            long g = ArithmeticUtils.gcd(a, b);
            long lcm = (a / g) * b;
            long h = (long) Math.rint(d * lcm);
            double onLattice = h / (double) lcm;
            if (h == 0) {
                return new Result(onLattice, 1.0, Method.EXACT);
            }
            double p = EXACT.get().pValue(a, b, (int) g, h);
            if (p >= 0 && p <= 1) {
                return new Result(onLattice, p, Method.EXACT);
            }
            d = onLattice;
        }
        return new Result(d, asymptoticPValue(d, n, m), Method.ASYMPTOTIC);
    }

    /**
     * The exact p-values computed lately on this thread. Each costs up to max(n, m) times the band's width (about
     * 0.3 ms at n = 100, m = 5,000), and a window of a thousand model versions asks for the same few thousand
     * (n, m, h) tens of thousands of times: the windows of many versions have about as many events, and their
     * features share reference sizes. A value found here is the one computed, bit for bit.
     */
    private static final ThreadLocal<ExactPValues> EXACT = ThreadLocal.withInitial(() -> new ExactPValues(12));

    /** A direct-mapped table of exact p-values by (n, m, h); a slot holds the latest value that hashed to it. */
    static final class ExactPValues {
        private final int shift;
        /** n and m of each slot, {@code n << 32 | m} (0: empty, since n ≥ 1), and its h. */
        private final long[] sizes;
        private final long[] lattice;
        private final double[] values;
        private long computed;

        /** A table of 2^bits slots. */
        ExactPValues(int bits) {
            shift = 64 - bits;
            sizes = new long[1 << bits];
            lattice = new long[1 << bits];
            values = new double[1 << bits];
        }

        double pValue(int n, int m, int g, long h) {
            long key = (long) n << 32 | m;
            int slot = (int) ((key * 0x9E3779B97F4A7C15L + h) * 0xC2B2AE3D27D4EB4FL >>> shift);
            if (sizes[slot] == key && lattice[slot] == h) {
                return values[slot];
            }
            double p = n == m ? outsideSquare(n, (int) h) : outsideBand(n, m, g, h);
            computed++;
            sizes[slot] = key;
            lattice[slot] = h;
            values[slot] = p;
            return p;
        }

        /** How many p-values this table has computed (for tests). */
        long computed() {
            return computed;
        }
    }

    /** The asymptotic two-sided p-value: P(D_N ≥ d), N = round(n·m/(n + m)). */
    public static double asymptoticPValue(double d, long n, long m) {
        double big = Math.max(n, m);
        double small = Math.min(n, m);
        double effective = big * small / (big + small);
        long size = (long) Math.rint(effective);
        return clip(kolmogorovSurvival(Math.max(1, size), d));
    }

    private static void checkNonEmpty(long n, long m) {
        if (n == 0 || m == 0) {
            throw new EmptySampleException("KS test needs non-missing values in both samples (reference "
                    + n + ", current " + m + ")");
        }
    }

    private static double clip(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    /**
     * P(D_{n,n} ≥ h/n) for two samples of equal size n: 2·Σ_k (−1)^(k+1)·C(2n, n−kh)/C(2n, n), summed
     * from the innermost term outwards so that no large binomial is formed.
     */
    static double outsideSquare(int n, int h) {
        double p = 0;
        for (int k = n / h; k >= 0; k--) {
            double ratio = 1.0;
            for (int j = 0; j < h; j++) {
                ratio = (n - k * h - j) * ratio / (n + k * h + j + 1);
            }
            p = ratio * (1.0 - p);
        }
        return 2 * p;
    }

    /**
     * P(D_{n,m} ≥ h/lcm(n, m)) for unequal sizes: the share of monotone lattice paths from (0, 0) to
     * (n, m) that touch or cross a line |i/n − j/m| = h/lcm. Walks the grid column by column and keeps,
     * for each cell inside the band, the probability that a uniformly random path to that cell has
     * already left the band (Viehmann 2021's numerically stable form of the inside method).
     */
    static double outsideBand(int n, int m, int g, long h) {
        int big = Math.max(n, m);
        int small = Math.min(n, m);
        long bigStep = big / g;
        long smallStep = small / g;
        double[] left = new double[small + 1];
        for (int j = 0; j <= small; j++) {
            left[j] = bigStep * j >= h ? 1.0 : 0.0;
        }
        int hi = small + 1;
        int lo = 0;
        for (int i = 1; i <= big; i++) {
            long diagonal = smallStep * i;
            lo = (int) Math.min(Math.max(Math.floorDiv(diagonal - h, bigStep) + 1, 0), small);
            hi = (int) Math.min(ceilDiv(diagonal + h, bigStep), small + 1);
            if (hi <= lo) {
                return 1.0;
            }
            double below = lo == 0 ? 0.0 : 1.0;
            for (int j = lo; j < hi; j++) {
                below = (left[j] * i + below * j) / (i + j);
                left[j] = below;
            }
        }
        return left[hi - 1];
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * Survival function P(D_n ≥ x) of the one-sample two-sided Kolmogorov statistic, following the
     * method selection of Simard and L'Ecuyer (2011): closed forms at the extremes, Durbin's matrix
     * for small n·x², Smirnov's one-sided sum doubled for the upper tail, and the Pelz–Good series
     * for large n.
     */
    public static double kolmogorovSurvival(long n, double x) {
        if (n < 1) {
            throw new IllegalArgumentException("sample size must be ≥ 1, got " + n);
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double logCdf = logFactorialOverPower(n) + n * Math.log(2 * t - 1);
            return clip(1.0 - Math.exp(logCdf));
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnovSurvival(n, x));
        }
        double nxx = t * x;
        if (n <= 140) {
            if (nxx <= 4) {
                return clip(1.0 - durbinCdf((int) n, x));
            }
            return clip(2 * smirnovSurvival(n, x));
        }
        if (nxx >= 370.0) {
            return 0.0;
        }
        if (nxx >= 2.2) {
            return clip(2 * smirnovSurvival(n, x));
        }
        double cdf;
        if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = durbinCdf((int) n, x);
        } else {
            cdf = PELZ_GOOD.pelzGood(x, (int) Math.min(n, Integer.MAX_VALUE));
        }
        return clip(1.0 - cdf);
    }

    private static final KolmogorovSmirnovTest PELZ_GOOD = new KolmogorovSmirnovTest();

    /** ln(n!/nⁿ). */
    private static double logFactorialOverPower(long n) {
        return Gamma.logGamma(n + 1.0) - n * Math.log(n);
    }

    /**
     * Smirnov's one-sided survival P(D⁺_n ≥ x) = x·Σ_{j=0}^{⌊n(1−x)⌋} C(n, j)(1 − x − j/n)^(n−j)(x + j/n)^(j−1),
     * every term taken in logarithms (all terms are positive, so the sum has no cancellation). The
     * terms rise to one peak and fall, so only the terms within e^-40 of the peak are added.
     */
    static double smirnovSurvival(long n, double x) {
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        long last = (long) Math.floor(n * (1.0 - x));
        double logNFactorial = Gamma.logGamma(n + 1.0);
        // The terms rise to a single peak and fall. Find the peak by ternary search, then add terms
        // outwards from it until they drop below e^-40 of the peak, which cannot change a double sum.
        long lo = 0;
        long hi = last;
        while (hi - lo > 2) {
            long m1 = lo + (hi - lo) / 3;
            long m2 = hi - (hi - lo) / 3;
            if (logTerm(n, m1, x, logNFactorial) < logTerm(n, m2, x, logNFactorial)) {
                lo = m1 + 1;
            } else {
                hi = m2 - 1;
            }
        }
        long peak = lo;
        double maxLog = logTerm(n, lo, x, logNFactorial);
        for (long j = lo + 1; j <= hi; j++) {
            double t = logTerm(n, j, x, logNFactorial);
            if (t > maxLog) {
                maxLog = t;
                peak = j;
            }
        }
        if (maxLog == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        double sum = 1.0;
        for (long j = peak - 1; j >= 0; j--) {
            double t = logTerm(n, j, x, logNFactorial) - maxLog;
            if (t < -40) {
                break;
            }
            sum += Math.exp(t);
        }
        for (long j = peak + 1; j <= last; j++) {
            double t = logTerm(n, j, x, logNFactorial) - maxLog;
            if (t < -40) {
                break;
            }
            sum += Math.exp(t);
        }
        return clip(x * sum * Math.exp(maxLog));
    }

    private static double logTerm(long n, long j, double x, double logNFactorial) {
        double lower = (n - j) / (double) n - x;
        if (lower <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double upper = x + j / (double) n;
        double logChoose = logNFactorial - Gamma.logGamma(j + 1.0) - Gamma.logGamma(n - j + 1.0);
        return logChoose + (n - j) * Math.log(lower) + (j - 1) * Math.log(upper);
    }

    /**
     * P(D_n &lt; d) by Durbin's matrix method as made practical by Marsaglia, Tsang and Wang (2003):
     * an entry of the n-th power of a (2k−1)-square matrix, k = ⌊n·d⌋ + 1, with decimal exponents
     * tracked apart to avoid overflow. Exact up to rounding; cost grows as k³·log n.
     */
    static double durbinCdf(int n, double d) {
        int k = (int) (n * d) + 1;
        int size = 2 * k - 1;
        double h = k - n * d;
        double[][] matrix = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                matrix[i][j] = i - j + 1 < 0 ? 0 : 1;
            }
        }
        for (int i = 0; i < size; i++) {
            matrix[i][0] -= Math.pow(h, i + 1);
            matrix[size - 1][i] -= Math.pow(h, size - i);
        }
        matrix[size - 1][0] += 2 * h - 1 > 0 ? Math.pow(2 * h - 1, size) : 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                if (i - j + 1 > 0) {
                    for (int f = 1; f <= i - j + 1; f++) {
                        matrix[i][j] /= f;
                    }
                }
            }
        }
        ScaledMatrix power = ScaledMatrix.power(matrix, n);
        double s = power.values[k - 1][k - 1];
        long exponent = power.exponent;
        for (int i = 1; i <= n; i++) {
            s = s * i / n;
            if (s < 1e-140) {
                s *= 1e140;
                exponent -= 140;
            }
        }
        return s * Math.pow(10.0, exponent);
    }

    /** A matrix times 10^exponent, for powers whose entries would overflow a double. */
    private record ScaledMatrix(double[][] values, long exponent) {
        static ScaledMatrix power(double[][] base, int n) {
            if (n == 1) {
                return new ScaledMatrix(base, 0);
            }
            ScaledMatrix half = power(base, n / 2);
            ScaledMatrix result = new ScaledMatrix(multiply(half.values, half.values), 2 * half.exponent);
            if (n % 2 == 1) {
                result = new ScaledMatrix(multiply(base, result.values), result.exponent);
            }
            return result.rescaled();
        }

        ScaledMatrix rescaled() {
            int mid = values.length / 2;
            if (values[mid][mid] > 1e140) {
                for (double[] row : values) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= 1e-140;
                    }
                }
                return new ScaledMatrix(values, exponent + 140);
            }
            return this;
        }

        static double[][] multiply(double[][] a, double[][] b) {
            int size = a.length;
            double[][] c = new double[size][size];
            for (int i = 0; i < size; i++) {
                for (int l = 0; l < size; l++) {
                    double ail = a[i][l];
                    if (ail == 0) {
                        continue;
                    }
                    for (int j = 0; j < size; j++) {
                        c[i][j] += ail * b[l][j];
                    }
                }
            }
            return c;
        }
    }
}
