package dev.driftwatch.streams.internals;

import java.util.Map;

/**
 * An event's features as the pipeline's decoder holds them: names and values in arrays, read-only maps that iterate
 * in the arrays' order, which {@link EventFeatures} reads without a map entry or a boxed number per feature. For
 * readers of other forms of events (CSV) to hand the summarizer what it gets from the topic. The arrays are held, not
 * copied: an array of names must not change once handed over (the summarizer checks the names of an array it has
 * seen pass only once).
 */
public final class FeatureArrays {
    private FeatureArrays() {
    }

    /** Numeric features: {@code names[i]} has {@code values[i]} (NaN: a missing value); names distinct. */
    public static Map<String, Double> numeric(String[] names, double[] values) {
        return new EventDecoder.NumericMap(names, values);
    }

    /** Categorical features: {@code names[i]} has {@code values[i]}; names distinct. */
    public static Map<String, String> categorical(String[] names, String[] values) {
        return new EventDecoder.CategoricalMap(names, values);
    }
}
