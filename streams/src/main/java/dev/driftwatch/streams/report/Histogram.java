package dev.driftwatch.streams.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reference and current proportions on the same bins, with a readable label per bin: what a
 * histogram chart draws.
 *
 * @param labels    one label per bin ("&lt; 22", "22–27", "mobile")
 * @param reference share of the reference in each bin, summing to 1 (or all 0 when it is empty)
 * @param current   share of the current sample in each bin
 */
public record Histogram(List<String> labels, double[] reference, double[] current) {

    /** Numeric bins cut by {@code edges} (ascending): counts have {@code edges.length + 1} entries. */
    public static Histogram numeric(double[] edges, long[] referenceCounts, long[] currentCounts) {
        return new Histogram(ShortNumbers.binLabels(edges), shares(referenceCounts), shares(currentCounts));
    }

    /** Categories of either side, sorted; a category absent from one side has share 0 there. */
    public static Histogram categorical(Map<String, Long> referenceCounts, Map<String, Long> currentCounts) {
        TreeSet<String> union = new TreeSet<>(referenceCounts.keySet());
        union.addAll(currentCounts.keySet());
        long[] ref = new long[union.size()];
        long[] cur = new long[union.size()];
        int i = 0;
        for (String category : union) {
            ref[i] = referenceCounts.getOrDefault(category, 0L);
            cur[i] = currentCounts.getOrDefault(category, 0L);
            i++;
        }
        return new Histogram(new ArrayList<>(union), shares(ref), shares(cur));
    }

    private static double[] shares(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length && total > 0; i++) {
            out[i] = counts[i] / (double) total;
        }
        return out;
    }
}
