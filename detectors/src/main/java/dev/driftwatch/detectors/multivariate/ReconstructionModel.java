package dev.driftwatch.detectors.multivariate;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multivariate drift by data reconstruction: a PCA of the reference rows, and each row's reconstruction error.
 *
 * <p><b>Fit</b> (on the reference, once):
 * <ol>
 *   <li>Encoding. A numeric column is its value. A categorical column is the reference frequency of the
 *       row's category (its count over the reference's non-missing values, in [0, 1]); a category the
 *       reference never saw encodes as 0.</li>
 *   <li>Imputation. A missing numeric value (absent, NaN, ±Inf) becomes the mean of the column's
 *       non-missing reference values; a missing category (absent or empty) becomes the most frequent
 *       reference category (its frequency; ties broken by the category's name).</li>
 *   <li>Standardisation. Each encoded, imputed column is centred on its reference mean and divided by its
 *       reference population standard deviation (ddof = 0); a column with no variation is divided by 1.</li>
 *   <li>PCA. The eigenvectors of the standardised reference's covariance matrix, sorted by decreasing
 *       eigenvalue; the model keeps the first k, k the smallest number whose eigenvalues sum to at least
 *       {@code varianceShare} of the total (at least 1).</li>
 * </ol>
 *
 * <p><b>Per row</b>: the row is encoded, imputed and standardised as above (z), projected on the k
 * components and back (ẑ = Wᵀ W z), and its reconstruction error is the Euclidean distance ‖z − ẑ‖₂, in
 * units of reference standard deviations: 0 for a row on the reference's principal subspace; on the
 * reference, its mean is about the square root of the variance the dropped components hold. A change in how
 * the features move together (a correlation that turns) raises it, even when no column's own distribution
 * changes. The components' signs are arbitrary; the error does not depend on them.
 */
public final class ReconstructionModel {
    /** Whether a column is a number or a category. */
    public enum ColumnKind {
        NUMERIC,
        CATEGORICAL
    }

    /**
     * One column of the model.
     *
     * @param name        the feature's name
     * @param kind        numeric or categorical
     * @param mean        the reference mean of the encoded, imputed column
     * @param scale       its reference population standard deviation, or 1 when that is 0
     * @param imputed     the encoded value a missing value takes (numeric: the reference mean of the present
     *                    values; categorical: the most frequent category's frequency)
     * @param frequencies categorical only: each reference category's frequency (empty for numeric)
     */
    public record Column(String name, ColumnKind kind, double mean, double scale, double imputed,
                         Map<String, Double> frequencies) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            frequencies = Map.copyOf(frequencies);
            if (!(scale > 0) || !Double.isFinite(mean) || !Double.isFinite(imputed)) {
                throw new IllegalArgumentException("column '" + name + "' needs a finite mean and imputed value and a"
                        + " positive scale, got mean " + mean + ", imputed " + imputed + ", scale " + scale);
            }
        }

        /** The encoded value of a number (missing when null or not finite). */
        double encode(Double value) {
            return value == null || !Double.isFinite(value) ? imputed : value;
        }

        /** The encoded value of a category (missing when null or empty). */
        double encode(String category) {
            if (category == null || category.isEmpty()) {
                return imputed;
            }
            return frequencies.getOrDefault(category, 0.0);
        }
    }

    private final List<Column> columns;
    /** components[c][j]: component c's loading on column j; k rows of unit length. */
    private final double[][] components;
    private final double[] explainedVariance;
    private final double varianceShare;

    private ReconstructionModel(List<Column> columns, double[][] components, double[] explainedVariance,
                                double varianceShare) {
        this.columns = List.copyOf(columns);
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.varianceShare = varianceShare;
    }

    /**
     * A model as stored (e.g. in a baseline record).
     *
     * @param components        k rows of {@code columns.size()} loadings each
     * @param explainedVariance the share of the reference's variance each kept component explains
     * @throws IllegalArgumentException when the sizes do not match or a value is not finite
     */
    public static ReconstructionModel restore(List<Column> columns, double[][] components, double[] explainedVariance,
                                              double varianceShare) {
        checkShare(varianceShare);
        if (columns.isEmpty() || components.length == 0 || components.length != explainedVariance.length) {
            throw new IllegalArgumentException("a reconstruction model needs columns and as many explained variances as"
                    + " components, got " + columns.size() + " columns, " + components.length + " components, "
                    + explainedVariance.length + " explained variances");
        }
        for (double[] c : components) {
            if (c.length != columns.size()) {
                throw new IllegalArgumentException("a component has " + c.length + " loadings for " + columns.size()
                        + " columns");
            }
            for (double v : c) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("a component's loading is not finite: " + v);
                }
            }
        }
        double[][] copy = new double[components.length][];
        for (int i = 0; i < components.length; i++) {
            copy[i] = components[i].clone();
        }
        return new ReconstructionModel(columns, copy, explainedVariance.clone(), varianceShare);
    }

    /**
     * Fits the model on reference rows.
     *
     * @param numeric       numeric columns by name, each value per row (NaN or ±Inf when missing)
     * @param categorical   categorical columns by name, each category per row (null or empty when missing)
     * @param varianceShare the share of the reference's variance the kept components must explain, in (0, 1];
     *                      typically 0.65 (NannyML's default) to 0.95
     * @throws IllegalArgumentException for fewer than 2 rows or 2 columns, columns of different lengths, a share
     *     outside (0, 1], or a column without any present value
     */
    public static ReconstructionModel fit(Map<String, double[]> numeric, Map<String, String[]> categorical,
                                          double varianceShare) {
        checkShare(varianceShare);
        int d = numeric.size() + categorical.size();
        if (d < 2) {
            throw new IllegalArgumentException("multivariate drift needs at least 2 feature columns, got " + d);
        }
        int n = -1;
        List<Column> columns = new ArrayList<>();
        List<double[]> encoded = new ArrayList<>();
        for (Map.Entry<String, double[]> e : numeric.entrySet()) {
            n = checkRows(n, e.getKey(), e.getValue().length);
            double sum = 0;
            int present = 0;
            for (double v : e.getValue()) {
                if (Double.isFinite(v)) {
                    sum += v;
                    present++;
                }
            }
            if (present == 0) {
                throw new IllegalArgumentException("column '" + e.getKey() + "' has no present value to fit on");
            }
            double imputed = sum / present;
            double[] x = new double[e.getValue().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = Double.isFinite(e.getValue()[i]) ? e.getValue()[i] : imputed;
            }
            encoded.add(x);
            columns.add(standardised(e.getKey(), ColumnKind.NUMERIC, x, imputed, Map.of()));
        }
        for (Map.Entry<String, String[]> e : categorical.entrySet()) {
            n = checkRows(n, e.getKey(), e.getValue().length);
            Map<String, Long> counts = new HashMap<>();
            long present = 0;
            for (String v : e.getValue()) {
                if (v != null && !v.isEmpty()) {
                    counts.merge(v, 1L, Long::sum);
                    present++;
                }
            }
            if (present == 0) {
                throw new IllegalArgumentException("column '" + e.getKey() + "' has no present value to fit on");
            }
            Map<String, Double> frequencies = new LinkedHashMap<>();
            long total = present;
            counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(c -> frequencies.put(c.getKey(), c.getValue() / (double) total));
            String mode = counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .findFirst().orElseThrow().getKey();
            double imputed = frequencies.get(mode);
            double[] x = new double[e.getValue().length];
            for (int i = 0; i < x.length; i++) {
                String v = e.getValue()[i];
                x[i] = v == null || v.isEmpty() ? imputed : frequencies.get(v);
            }
            encoded.add(x);
            columns.add(standardised(e.getKey(), ColumnKind.CATEGORICAL, x, imputed, frequencies));
        }
        if (n < 2) {
            throw new IllegalArgumentException("multivariate drift needs at least 2 reference rows, got " + n);
        }
        double[][] z = new double[n][d];
        for (int j = 0; j < d; j++) {
            Column c = columns.get(j);
            double[] x = encoded.get(j);
            for (int i = 0; i < n; i++) {
                z[i][j] = (x[i] - c.mean()) / c.scale();
            }
        }
        double[][] cov = new double[d][d];
        for (double[] row : z) {
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] += row[a] * row[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[d];
        double total = 0;
        for (int i = 0; i < d; i++) {
            order[i] = i;
            values[i] = Math.max(values[i], 0.0);
            total += values[i];
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]));
        List<double[]> kept = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        double cumulative = 0;
        for (int r = 0; r < d; r++) {
            int i = order[r];
            kept.add(eigen.getEigenvector(i).toArray());
            double share = total > 0 ? values[i] / total : 1.0 / d;
            shares.add(share);
            cumulative += share;
            if (cumulative >= varianceShare - 1e-12) {
                break;
            }
        }
        return new ReconstructionModel(columns, kept.toArray(new double[0][]),
                shares.stream().mapToDouble(Double::doubleValue).toArray(), varianceShare);
    }

    private static Column standardised(String name, ColumnKind kind, double[] x, double imputed,
                                       Map<String, Double> frequencies) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / x.length);
        return new Column(name, kind, mean, sd > 1e-12 * Math.max(1.0, Math.abs(mean)) ? sd : 1.0, imputed, frequencies);
    }

    private static int checkRows(int n, String name, int length) {
        if (n >= 0 && n != length) {
            throw new IllegalArgumentException("column '" + name + "' has " + length + " rows, the others " + n);
        }
        return length;
    }

    private static void checkShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("the variance share to keep must be in (0, 1], got " + share);
        }
    }

    /**
     * The reconstruction error of one row: ‖z − WᵀWz‖₂ (see the class comment), ≥ 0.
     *
     * @param numeric     the row's numeric features by name (absent or not finite: missing)
     * @param categorical the row's categories by name (absent or empty: missing)
     */
    public double error(Map<String, Double> numeric, Map<String, String> categorical) {
        double[] z = new double[columns.size()];
        for (int j = 0; j < z.length; j++) {
            Column c = columns.get(j);
            double x = c.kind() == ColumnKind.NUMERIC ? c.encode(numeric.get(c.name())) : c.encode(categorical.get(c.name()));
            z[j] = (x - c.mean()) / c.scale();
        }
        return errorOfStandardised(z);
    }

    /** The reconstruction error of an already standardised row (one value per column, in column order). */
    public double errorOfStandardised(double[] z) {
        double[] residual = z.clone();
        for (double[] w : components) {
            double p = 0;
            for (int j = 0; j < z.length; j++) {
                p += w[j] * z[j];
            }
            for (int j = 0; j < z.length; j++) {
                residual[j] -= p * w[j];
            }
        }
        double ss = 0;
        for (double r : residual) {
            ss += r * r;
        }
        return Math.sqrt(ss);
    }

    /** The columns, numeric ones first, in the order of the loadings. */
    public List<Column> columns() {
        return columns;
    }

    /** The kept components: k rows of one loading per column (copies). */
    public double[][] components() {
        double[][] copy = new double[components.length][];
        for (int i = 0; i < components.length; i++) {
            copy[i] = components[i].clone();
        }
        return copy;
    }

    /** The share of the reference's variance each kept component explains, in decreasing order. */
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    /** The share of variance the components were chosen to explain, in (0, 1]. */
    public double varianceShare() {
        return varianceShare;
    }
}
