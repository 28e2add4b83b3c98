package dev.driftwatch.streams.report;

/**
 * One feature (or model output) in the report's per-feature table.
 *
 * @param name          column or subject name
 * @param type          "numeric" or "categorical", with the role when it is not a plain feature ("numeric output")
 * @param effectTest    the effect size shown (the deciding test furthest over its threshold), e.g. "psi"
 * @param pValueTest    the significance test whose p-value is shown, e.g. "ks"; null when none
 * @param statistic     the effect size's value; null when undefined
 * @param threshold     its warning threshold; null when the policy has none
 * @param pValue        the significance test's p-value; null when none
 * @param evidence      the policy's evidence in standard-normal units; null when not judged or not applicable
 * @param drifted       whether the feature drifted (in the window the table describes)
 * @param driftNote     a few words beside yes/no, e.g. "3 of 12 windows"; may be empty
 * @param missingShare  share of missing values in the current sample, in [0, 1]
 * @param referenceSize non-missing values in the reference
 * @param currentSize   non-missing values in the current sample
 * @param details       HTML shown when the row is opened: its charts and every test
 */
public record FeatureRow(String name, String type, String effectTest, String pValueTest, Double statistic,
                         Double threshold, Double pValue, Double evidence, boolean drifted, String driftNote,
                         double missingShare, long referenceSize, long currentSize, String details) {

    /** The statistic over its threshold, for sorting by how far over it is (NaN when either is missing). */
    public double ratio() {
        return statistic == null || threshold == null || threshold <= 0 ? Double.NaN : statistic / threshold;
    }
}
