package dev.driftwatch.detectors;

import java.util.Arrays;

/** Small operations on ascending arrays of doubles, shared by bins and grids. */
public final class SortedArrays {
    private SortedArrays() {
    }

    /** The distinct values of an ascending array, in order (equal values collapsed, 0.0 == -0.0). */
    public static double[] distinct(double[] sorted) {
        int w = 0;
        double[] out = new double[sorted.length];
        for (double v : sorted) {
            if (w == 0 || v != out[w - 1]) {
                out[w++] = v;
            }
        }
        return Arrays.copyOf(out, w);
    }

    /** How many elements of an ascending array are ≤ v (numpy's {@code searchsorted(side='right')}). */
    public static int countAtMost(double[] sorted, double v) {
        return countAtMost(sorted, v, 0, sorted.length);
    }

    /**
     * {@link #countAtMost(double[], double)} when the answer is known to lie in [from, to]: every
     * element before {@code from} is ≤ v and every element from {@code to} on is &gt; v.
     */
    public static int countAtMost(double[] sorted, double v, int from, int to) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
