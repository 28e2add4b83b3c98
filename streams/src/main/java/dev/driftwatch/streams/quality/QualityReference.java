package dev.driftwatch.streams.quality;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;

import java.util.Set;

/**
 * What a subject's data quality is checked against, from its baseline: its kind, the reference's missing share,
 * its categories (categorical) or its range (numeric: the configured bounds, else the reference's [minimum,
 * maximum]; none for a baseline written before those existed and no configured bounds).
 *
 * @param numeric       whether the baseline is numeric
 * @param low           the range's low end (inclusive), or null when there is no range
 * @param high          the range's high end (inclusive), or null when there is no range
 * @param categories    the reference's categories (empty for a numeric baseline)
 * @param missing       reference observations that were missing
 * @param observations  reference observations, missing ones included ({@code totalCount + missingCount}: the
 *                      baseline's totalCount counts the non-missing ones)
 * @param baselineId    the baseline's id
 * @param source        the baseline's provenance source
 */
record QualityReference(boolean numeric, Double low, Double high, Set<String> categories, long missing,
                        long observations, String baselineId, String source) {

    /** The reference of a baseline, with the configured range of its subject when there is one. */
    static QualityReference of(Baseline b, QualitySettings.Range configured) {
        boolean numeric = b.getKind() == FeatureKind.NUMERIC;
        Double low = null;
        Double high = null;
        if (numeric && configured != null) {
            low = configured.low();
            high = configured.high();
        } else if (numeric && b.getMinimum() != null && b.getMaximum() != null) {
            low = b.getMinimum();
            high = b.getMaximum();
        }
        Set<String> categories = numeric ? Set.of() : Set.copyOf(b.getCategoryCounts().keySet());
        return new QualityReference(numeric, low, high, categories, b.getMissingCount(),
                b.getTotalCount() + b.getMissingCount(), b.getBaselineId(), b.getProvenance().getSource());
    }

    /** The reference's share of present values, in [0, 1]; 0 for an empty reference. */
    double presentShare() {
        return observations == 0 ? 0 : (double) (observations - missing) / observations;
    }
}
