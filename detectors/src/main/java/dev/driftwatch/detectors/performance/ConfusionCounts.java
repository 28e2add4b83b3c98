package dev.driftwatch.detectors.performance;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * A bounded, mergeable confusion matrix of a classifier: true class × predicted class, for at most K named classes
 * plus one overflow class "other", so (K + 1)² counts whatever the traffic.
 *
 * <p><b>Which classes are named.</b> The K lexicographically smallest class names seen (as true or predicted
 * class); any other class is counted in "other". When a new name displaces a named class, that class's counts
 * move to "other". The named set is therefore the K smallest names of everything added, whatever the order of
 * adding and merging: merging is associative and commutative.
 *
 * <p><b>Metrics.</b>
 * <ul>
 *   <li>accuracy = correct / n, exact whatever the overflow (a prediction is correct when it equals the true
 *       class, counted before any folding), in [0, 1];</li>
 *   <li>macro-F1 = the mean over the classes that occur (as true or predicted class) of
 *       F1_c = 2·TP_c / (2·TP_c + FP_c + FN_c), in [0, 1] (scikit-learn's {@code f1_score(average="macro")}).
 *       It is exact when at most K classes occur; beyond, "other" counts as one class whose true positives are
 *       its correct predictions only.</li>
 * </ul>
 */
public final class ConfusionCounts {
    /** Most named classes allowed. */
    public static final int MAX_CLASSES = 1_000;
    /** The name shown for the overflow class. */
    public static final String OTHER = "(other)";
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private final int maxClasses;
    /** The named classes, sorted. */
    private final List<String> names = new ArrayList<>();
    /** counts[t][p]: t, p index the named classes (0..K−1, sorted as names); index maxClasses is "other". */
    private final long[][] counts;
    private long correct;

    /** An empty matrix for up to {@code maxClasses} named classes (1..{@value #MAX_CLASSES}). */
    public ConfusionCounts(int maxClasses) {
        if (maxClasses < 1 || maxClasses > MAX_CLASSES) {
            throw new IllegalArgumentException("maxClasses must be in 1.." + MAX_CLASSES + ", got " + maxClasses);
        }
        this.maxClasses = maxClasses;
        this.counts = new long[maxClasses + 1][maxClasses + 1];
    }

    private void add(String truth, String predicted, long n) {
        // naming the second may fold the first into "other": look both up once both are placed
        index(truth);
        index(predicted);
        counts[slot(truth)][slot(predicted)] += n;
    }

    /** Adds one prediction with its true class (neither null), and counts it correct when they are equal. */
    public void addPrediction(String truth, String predicted) {
        if (truth == null || predicted == null) {
            throw new IllegalArgumentException("a true and a predicted class are needed");
        }
        if (truth.equals(predicted)) {
            correct++;
        }
        add(truth, predicted, 1);
    }

    /** The index of a class, naming it (and folding the largest named class into "other") when it is small enough. */
    private int index(String name) {
        int at = Collections.binarySearch(names, name);
        if (at >= 0) {
            return at;
        }
        int insert = -at - 1;
        if (insert >= maxClasses) {
            return maxClasses;
        }
        if (names.size() == maxClasses) {
            fold(maxClasses - 1);
        }
        names.add(insert, name);
        // shift rows and columns insert.. up by one (the last named slot is free after folding)
        int last = names.size() - 1;
        for (int i = last; i > insert; i--) {
            counts[i] = counts[i - 1];
        }
        counts[insert] = new long[maxClasses + 1];
        for (long[] row : counts) {
            System.arraycopy(row, insert, row, insert + 1, last - insert);
            row[insert] = 0;
        }
        return insert;
    }

    /** Moves the named class at {@code i} (the last one) into "other". */
    private void fold(int i) {
        for (int j = 0; j <= maxClasses; j++) {
            counts[maxClasses][j] += counts[i][j];
            counts[i][j] = 0;
        }
        for (int j = 0; j <= maxClasses; j++) {
            counts[j][maxClasses] += counts[j][i];
            counts[j][i] = 0;
        }
        names.remove(i);
    }

    /** Adds another matrix's counts (of any maximum; this one's maximum is kept). */
    public void merge(ConfusionCounts other) {
        int k = other.names.size();
        for (int t = 0; t <= k; t++) {
            for (int p = 0; p <= k; p++) {
                long n = other.counts[t == k ? other.maxClasses : t][p == k ? other.maxClasses : p];
                if (n == 0) {
                    continue;
                }
                if (t < k) {
                    index(other.names.get(t));
                }
                if (p < k) {
                    index(other.names.get(p));
                }
                int ti = t == k ? maxClasses : slot(other.names.get(t));
                int pi = p == k ? maxClasses : slot(other.names.get(p));
                counts[ti][pi] += n;
            }
        }
        correct += other.correct;
    }

    /** Predictions counted, ≥ 0. */
    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    /** Predictions equal to their true class, in [0, total]. */
    public long correct() {
        return correct;
    }

    /** correct / total, in [0, 1]; NaN when empty. */
    public double accuracy() {
        long n = total();
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /** The mean F1 over the classes that occur, in [0, 1]; NaN when empty. */
    public double macroF1() {
        int k = names.size();
        long named = 0;
        for (int i = 0; i < k; i++) {
            named += counts[i][i];
        }
        double sum = 0;
        int classes = 0;
        for (int c = 0; c <= k; c++) {
            int i = c == k ? maxClasses : c;
            long row = 0;
            long col = 0;
            for (int j = 0; j <= maxClasses; j++) {
                row += counts[i][j];
                col += counts[j][i];
            }
            if (row == 0 && col == 0) {
                continue;
            }
            long tp = c == k ? correct - named : counts[i][i];
            sum += 2.0 * tp / (row + col);
            classes++;
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /**
     * The one-sided p-value of "the accuracy is below {@code reference}", taken as exact (a configured baseline):
     * z = (a − a₀)/√(a₀(1 − a₀)/n), p = Φ(z); 1 when empty or when a₀ is 0 or 1 (no variance).
     */
    public double accuracyBelowPValue(double reference) {
        long n = total();
        double variance = reference * (1 - reference) / n;
        if (n == 0 || !(variance > 0)) {
            return 1;
        }
        return NORMAL.cumulativeProbability((accuracy() - reference) / Math.sqrt(variance));
    }

    /** The named classes, sorted; the overflow class is not among them. */
    public List<String> classes() {
        return List.copyOf(names);
    }

    public int maxClasses() {
        return maxClasses;
    }

    /** The count of (true, predicted) between named classes or {@link #OTHER}. */
    public long count(String truth, String predicted) {
        return counts[slot(truth)][slot(predicted)];
    }

    private int slot(String name) {
        int at = Collections.binarySearch(names, name);
        return at >= 0 ? at : maxClasses;
    }

    /** The counts as rows of the named classes then "other", each row with the same columns (for storage). */
    public long[][] rows() {
        int k = names.size();
        long[][] out = new long[k + 1][k + 1];
        for (int t = 0; t <= k; t++) {
            for (int p = 0; p <= k; p++) {
                out[t][p] = counts[t == k ? maxClasses : t][p == k ? maxClasses : p];
            }
        }
        return out;
    }

    /**
     * A matrix from what {@link #classes()}, {@link #rows()} and {@link #correct()} gave.
     *
     * @throws IllegalArgumentException when the parts do not fit together
     */
    public static ConfusionCounts restore(int maxClasses, List<String> classes, long[][] rows, long correct) {
        ConfusionCounts c = new ConfusionCounts(maxClasses);
        int k = classes.size();
        if (k > maxClasses || rows.length != k + 1 || new TreeSet<>(classes).size() != k
                || !classes.equals(new ArrayList<>(new TreeSet<>(classes)))) {
            throw new IllegalArgumentException("a confusion matrix needs at most " + maxClasses
                    + " distinct sorted classes and one row per class plus other, got " + k + " classes, "
                    + rows.length + " rows");
        }
        c.names.addAll(classes);
        long total = 0;
        for (int t = 0; t <= k; t++) {
            if (rows[t].length != k + 1) {
                throw new IllegalArgumentException("row " + t + " has " + rows[t].length + " columns, not " + (k + 1));
            }
            for (int p = 0; p <= k; p++) {
                if (rows[t][p] < 0) {
                    throw new IllegalArgumentException("negative count " + rows[t][p]);
                }
                c.counts[t == k ? maxClasses : t][p == k ? maxClasses : p] = rows[t][p];
                total += rows[t][p];
            }
        }
        if (correct < 0 || correct > total) {
            throw new IllegalArgumentException("correct " + correct + " not in 0.." + total);
        }
        c.correct = correct;
        return c;
    }

    @Override
    public String toString() {
        return "ConfusionCounts" + names + Arrays.deepToString(rows());
    }
}
