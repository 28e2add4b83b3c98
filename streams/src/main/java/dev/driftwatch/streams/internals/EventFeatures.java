package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.InferenceEvent;

import java.util.Arrays;
import java.util.Map;

/**
 * The features of the event being summarised, each of its two maps read once into arrays that the
 * checks and every window then use (walking a decoded event's hash maps again for every check and
 * every window cost more than the summaries themselves).
 *
 * <p>Feature names are checked once, not per event: a name in the same place as in the last event
 * whose names all passed is known good. Events of one producer name their features in the same order,
 * so only the first event of each shape pays for the checks. Not thread-safe: one per task.
 */
public final class EventFeatures {
    private String[] numericNames = new String[32];
    private double[] numericValues = new double[32];
    private int numeric;
    private String[] categoricalNames = new String[8];
    private String[] categoricalValues = new String[8];
    private int categorical;
    /** The names of the last event whose names were all checked, in its order. */
    private String[] checkedNumeric = new String[0];
    private String[] checkedCategorical = new String[0];
    /** Numbers the shapes: changes whenever an event's names (or their order) differ from the last event's. */
    private long shape;

    /**
     * Reads an event's features and checks them: names (1-256 characters, none reserved, none both
     * numeric and categorical) and categorical values (at most {@code maxValueLength} characters).
     *
     * @throws InvalidEventException naming the first bad feature
     */
    void read(InferenceEvent event, int maxValueLength) {
        boolean known = true;
        Map<String, Double> numericMap = event.getNumericFeatures();
        numeric = 0;
        if (numericMap.size() > numericNames.length) {
            numericNames = new String[Math.max(numericMap.size(), 2 * numericNames.length)];
            numericValues = new double[numericNames.length];
        }
        for (Map.Entry<String, Double> f : numericMap.entrySet()) {
            String name = f.getKey();
            if (known && !(numeric < checkedNumeric.length && name.equals(checkedNumeric[numeric]))) {
                known = false;
            }
            if (!known) {
                checkName(name);
            }
            Double v = f.getValue();
            numericNames[numeric] = name;
            numericValues[numeric++] = v == null ? Double.NaN : v;
        }
        known &= numeric == checkedNumeric.length;
        Map<String, String> categoricalMap = event.getCategoricalFeatures();
        categorical = 0;
        if (categoricalMap.size() > categoricalNames.length) {
            categoricalNames = new String[Math.max(categoricalMap.size(), 2 * categoricalNames.length)];
            categoricalValues = new String[categoricalNames.length];
        }
        boolean knownCategorical = true;
        for (Map.Entry<String, String> f : categoricalMap.entrySet()) {
            String name = f.getKey();
            String value = f.getValue();
            if (value != null && value.length() > maxValueLength) {
                throw new InvalidEventException("categorical feature '" + DeadLetterRecords.abbreviate(name)
                        + "' has a value of " + value.length() + " characters, over the limit of " + maxValueLength);
            }
            if (knownCategorical && !(categorical < checkedCategorical.length
                    && name.equals(checkedCategorical[categorical]))) {
                knownCategorical = false;
            }
            if (!knownCategorical) {
                checkName(name);
            }
            categoricalNames[categorical] = name;
            categoricalValues[categorical++] = value;
        }
        known &= knownCategorical && categorical == checkedCategorical.length;
        if (!known) {
            for (int i = 0; i < categorical; i++) {
                if (numericMap.containsKey(categoricalNames[i])) {
                    throw new InvalidEventException("feature '" + DeadLetterRecords.abbreviate(categoricalNames[i])
                            + "' is both numeric and categorical");
                }
            }
            checkedNumeric = Arrays.copyOf(numericNames, numeric);
            checkedCategorical = Arrays.copyOf(categoricalNames, categorical);
            shape++; // a long: never wraps back to the number of a shape some open window still remembers
        }
    }

    /**
     * The shape of the last event read: the same number for consecutive events with the same feature
     * names in the same order; a new number, never reused, when they change.
     */
    public long shape() {
        return shape;
    }

    /** How many numeric features the event has. */
    public int numericCount() {
        return numeric;
    }

    public String numericName(int i) {
        return numericNames[i];
    }

    /** The value of the i-th numeric feature (NaN for a null value). */
    public double numericValue(int i) {
        return numericValues[i];
    }

    /** How many categorical features the event has. */
    public int categoricalCount() {
        return categorical;
    }

    public String categoricalName(int i) {
        return categoricalNames[i];
    }

    /** The value of the i-th categorical feature (null when missing). */
    public String categoricalValue(int i) {
        return categoricalValues[i];
    }

    static void checkName(String name) {
        if (name.isBlank() || name.length() > 256 || name.startsWith(Subjects.OUTPUT_PREFIX) || name.startsWith("*")
                || name.startsWith("slo.") || name.startsWith("business.")) {
            throw new InvalidEventException("feature name '" + DeadLetterRecords.abbreviate(name) + "' must be 1-256"
                    + " characters and not start with 'output.', '*', 'slo.' or 'business.' (names reserved for"
                    + " outputs and signals)");
        }
    }
}
