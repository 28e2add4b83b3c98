package dev.driftwatch.detectors;

/** Whether a feature is compared as numbers (binned on quantile edges) or as categories. */
public enum ColumnKind {
    NUMERIC("numeric"),
    CATEGORICAL("categorical");

    private final String id;

    ColumnKind(String id) {
        this.id = id;
    }

    /** Lower-case name used in JSON output. */
    public String id() {
        return id;
    }
}
