package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.EmptySampleException;

/**
 * The reference of one categorical feature: its category counts and provenance.
 */
public final class CategoricalBaseline {
    private final CategoricalSummary reference;
    private final Provenance provenance;

    private CategoricalBaseline(CategoricalSummary reference, Provenance provenance) {
        this.reference = reference;
        this.provenance = provenance;
    }

    /** A baseline from raw values (null or blank values are missing). */
    public static CategoricalBaseline fromSample(String[] values, String source, Long fromMillis, Long toMillis) {
        CategoricalSummary s = new CategoricalSummary();
        s.addAll(values);
        return fromSummary(s, source, fromMillis, toMillis);
    }

    /** A baseline from a summary, e.g. window summaries merged over a time range. */
    public static CategoricalBaseline fromSummary(CategoricalSummary summary, String source, Long fromMillis,
                                                  Long toMillis) {
        if (summary.count() == 0) {
            throw new EmptySampleException("cannot build a categorical baseline from a summary with no values");
        }
        CategoricalSummary copy = summary.copy();
        return new CategoricalBaseline(copy,
                new Provenance(source, fromMillis, toMillis, Hashing.sha256Hex(copy.toBytes())));
    }

    /** A baseline read back from storage, keeping its recorded provenance (and so its id). */
    public static CategoricalBaseline restore(CategoricalSummary reference, Provenance provenance) {
        return new CategoricalBaseline(reference.copy(), provenance);
    }

    /** A stable id derived from the content. */
    public String id() {
        return "bl-" + provenance.contentHash().substring(0, 16);
    }

    /** The reference summary (a copy). */
    public CategoricalSummary reference() {
        return reference.copy();
    }

    CategoricalSummary referenceView() {
        return reference;
    }

    /** Where the baseline came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** An empty window summary with the baseline's category cap. */
    public CategoricalSummary newWindow() {
        return new CategoricalSummary(reference.maxCategories());
    }
}
