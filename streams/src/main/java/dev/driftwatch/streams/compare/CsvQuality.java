package dev.driftwatch.streams.compare;

import dev.driftwatch.detectors.TwoProportionTest;
import dev.driftwatch.streams.quality.QualitySettings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data-quality checks of one column of the current file against the reference file, exactly, with the
 * streaming checks' default thresholds ({@link QualitySettings#defaults()}; see docs/signals.md):
 * <ul>
 *   <li>missing share: empty, NaN and infinite cells over the rows, against the reference's, with the one-sided
 *       two-proportion test;</li>
 *   <li>range (numeric columns): the share of the current finite values outside the reference's [min, max];</li>
 *   <li>unseen categories (categorical columns): the share of current values outside the reference's categories,
 *       with the most frequent;</li>
 *   <li>type mismatches: cells that are not numbers in a column whose reference is all numbers (it is then
 *       compared as categorical), and numbers written otherwise than a reference category of the same value
 *       (the "1.0" vs "1" case), which are not counted as unseen.</li>
 * </ul>
 *
 * @param missingP the one-sided p-value of "the current file misses more often"
 * @param problems the checks over their thresholds, as the streaming checks name them (e.g. MISSING_SHARE)
 */
public record CsvQuality(String column, double referenceMissingShare, double currentMissingShare, double missingP,
                         Double rangeLow, Double rangeHigh, long outOfRange, Double outOfRangeShare, long unseen,
                         Double unseenShare, Map<String, Long> unseenTop, long typeMismatch, String typeExample,
                         List<String> problems) {

    /**
     * The checks of one column.
     *
     * @param referenceNumeric whether the reference column was all numbers (before a current text value made the
     *                         column categorical in both files)
     */
    static CsvQuality of(String name, CsvColumns.Column ref, CsvColumns.Column cur, long refRows, long curRows,
                         boolean referenceNumeric, QualitySettings s) {
        double refShare = (double) ref.missing() / refRows;
        double curShare = (double) cur.missing() / curRows;
        double p = TwoProportionTest.upperTail(cur.missing(), curRows, ref.missing(), refRows).pValue();
        List<String> problems = new ArrayList<>();
        if (curShare >= refShare + s.missingIncrease() && p <= s.alpha()) {
            problems.add("MISSING_SHARE");
        }
        Double low = null;
        Double high = null;
        long out = 0;
        Double outShare = null;
        long unseen = 0;
        Double unseenShare = null;
        Map<String, Long> top = new LinkedHashMap<>();
        long mismatch = 0;
        String example = null;
        long present = curRows - cur.missing();
        if (!ref.isCategorical()) {
            double[] range = finiteRange(ref.sharedValues());
            if (range != null) {
                low = range[0];
                high = range[1];
                for (double v : cur.sharedValues()) {
                    if (!Double.isNaN(v) && (v < low || v > high)) {
                        out++;
                    }
                }
                outShare = present == 0 ? null : (double) out / present;
                if (outShare != null && outShare >= s.rangeShare()) {
                    problems.add("OUT_OF_RANGE");
                }
            }
        } else if (referenceNumeric) {
            for (Map.Entry<String, Long> e : cur.categoryCounts().entrySet()) {
                if (Double.isNaN(CsvColumns.parseNumber(e.getKey()))) {
                    mismatch += e.getValue();
                    example = example == null ? e.getKey() : example;
                }
            }
        } else {
            Map<String, Long> refCategories = ref.categoryCounts();
            Set<Double> refNumbers = new HashSet<>();
            refCategories.keySet().forEach(k -> {
                double v = CsvColumns.parseNumber(k);
                if (!Double.isNaN(v)) {
                    refNumbers.add(v);
                }
            });
            List<Map.Entry<String, Long>> unseenValues = new ArrayList<>();
            for (Map.Entry<String, Long> e : cur.categoryCounts().entrySet()) {
                if (refCategories.containsKey(e.getKey())) {
                    continue;
                }
                double v = CsvColumns.parseNumber(e.getKey());
                if (!Double.isNaN(v) && refNumbers.contains(v)) {
                    mismatch += e.getValue();
                    example = example == null ? e.getKey() : example;
                } else {
                    unseen += e.getValue();
                    unseenValues.add(e);
                }
            }
            unseenValues.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            unseenValues.stream().limit(s.unseenTop()).forEach(e -> top.put(e.getKey(), e.getValue()));
            unseenShare = present == 0 ? null : (double) unseen / present;
            if (unseenShare != null && unseenShare >= s.unseenShare()) {
                problems.add("UNSEEN_CATEGORIES");
            }
        }
        if (mismatch > 0 && (double) mismatch / curRows >= s.typeShare()) {
            problems.add(problems.isEmpty() || !problems.get(0).equals("MISSING_SHARE") ? 0 : 1, "TYPE_MISMATCH");
        }
        return new CsvQuality(name, refShare, curShare, p, low, high, out, outShare, unseen, unseenShare, top, mismatch,
                example, List.copyOf(problems));
    }

    private static double[] finiteRange(double[] values) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        return low <= high ? new double[] {low, high} : null;
    }
}
