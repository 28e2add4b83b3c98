package dev.driftwatch.streams.compare;

/**
 * Sorts doubles into the order of {@link java.util.Arrays#sort(double[])} (−0.0 before 0.0, NaN last) by a
 * least-significant-digit radix sort on their bits, 11 bits a pass, six passes at most (a pass whose digit is
 * the same in every value is skipped): about four times faster than the comparison sort on a million values.
 * 2,048 buckets a pass keep the pass's write positions in the processor's caches.
 */
final class DoubleRadixSort {
    private static final int SMALL = 4096;
    private static final int BITS = 11;
    private static final int PASSES = (64 + BITS - 1) / BITS;
    private static final long MASK = (1L << BITS) - 1;

    private DoubleRadixSort() {
    }

    /**
     * The two key arrays a sort of a million values needs (16 MB), kept for the next sort on the same thread:
     * a comparison of 20 columns sorts 40 such arrays, and fresh arrays each time made the JVM grow its heap
     * and the kernel zero pages, which cost as much CPU as the comparison itself in some runs.
     */
    static final class Scratch {
        private long[] first = new long[0];
        private long[] second = new long[0];

        long[] first(int n) {
            if (first.length < n) {
                first = new long[n];
            }
            return first;
        }

        long[] second(int n) {
            if (second.length < n) {
                second = new long[n];
            }
            return second;
        }
    }

    /**
     * Sorts the values in place and returns what {@code Comparisons.sortedFinite} returns for them (the finite
     * values ascending, −0.0 as 0.0): the array itself when every value is finite, else a copy of its finite part.
     */
    static double[] sortFinite(double[] values, Scratch scratch) {
        sort(values, scratch);
        int from = 0;
        while (from < values.length && values[from] == Double.NEGATIVE_INFINITY) {
            from++;
        }
        int to = values.length;
        while (to > from && (Double.isNaN(values[to - 1]) || values[to - 1] == Double.POSITIVE_INFINITY)) {
            to--;
        }
        for (int i = from; i < to; i++) {
            values[i] += 0.0; // -0.0 becomes 0.0, which keeps the order (−0.0 sorts just before 0.0)
        }
        return from == 0 && to == values.length ? values : java.util.Arrays.copyOfRange(values, from, to);
    }

    /** Sorts the values in place, with the scratch's arrays as keys. */
    static void sort(double[] values, Scratch scratch) {
        int n = values.length;
        if (n < SMALL) {
            java.util.Arrays.sort(values);
            return;
        }
        long[] keys = scratch.first(n);
        int[][] counts = new int[PASSES][1 << BITS];
        for (int i = 0; i < n; i++) {
            double v = values[i];
            long bits = Double.isNaN(v) ? Double.doubleToLongBits(Double.NaN) : Double.doubleToRawLongBits(v);
            long key = bits ^ ((bits >> 63) | Long.MIN_VALUE); // unsigned order of the keys = order of the doubles
            keys[i] = key;
            for (int pass = 0; pass < PASSES; pass++) {
                counts[pass][(int) ((key >>> (pass * BITS)) & MASK)]++;
            }
        }
        long[] from = keys;
        long[] to = scratch.second(n);
        for (int pass = 0; pass < PASSES; pass++) {
            int[] c = counts[pass];
            int shift = BITS * pass;
            if (c[(int) ((from[0] >>> shift) & MASK)] == n) {
                continue; // every value has this digit
            }
            int sum = 0;
            for (int d = 0; d < c.length; d++) {
                int k = c[d];
                c[d] = sum;
                sum += k;
            }
            for (int i = 0; i < n; i++) {
                long key = from[i];
                to[c[(int) ((key >>> shift) & MASK)]++] = key;
            }
            long[] swap = from;
            from = to;
            to = swap;
        }
        for (int i = 0; i < n; i++) {
            long key = from[i];
            long bits = key ^ ((~key >> 63) | Long.MIN_VALUE);
            values[i] = Double.longBitsToDouble(bits);
        }
    }
}
