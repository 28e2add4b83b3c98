package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.PipelineMetrics;

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
    /** How many of those names were the event's own features (see {@link #ownNumericCount}). */
    private int checkedOwnNumeric = -1;
    private int checkedOwnCategorical = -1;
    /**
     * The names array of the last event whose names all passed, when it came in a decoder's map: the same array
     * again holds the same names (see {@link FeatureArrays}).
     */
    private String[] checkedNumericSource;
    /** Numbers the shapes: changes whenever an event's names (or their order) differ from the last event's. */
    private long shape;
    /** How many of the features read are the event's own (the derived ones follow them), and whether a value was cut. */
    private int ownNumeric;
    private int ownCategorical;
    private boolean truncated;

    /** Prefix of the subjects derived from an event's named texts: {@code text.NAME.chars} and so on. */
    static final String TEXT_PREFIX = "text.";
    /** Operational values as subjects (outputs of the call, so not in the dataset's share of drifted features). */
    static final String LATENCY = Subjects.OUTPUT_PREFIX + "latency_ms";
    static final String TOKENS_IN = Subjects.OUTPUT_PREFIX + "tokens_in";
    static final String TOKENS_OUT = Subjects.OUTPUT_PREFIX + "tokens_out";
    static final String COST = Subjects.OUTPUT_PREFIX + "cost";
    /** The error code as a categorical subject: the code, or {@value #NO_ERROR} for a call without one. */
    static final String ERROR = Subjects.OUTPUT_PREFIX + "error";
    static final String NO_ERROR = "ok";
    private static final PipelineMetrics NO_METRICS = new PipelineMetrics() {
    };

    /** See {@link #read(InferenceEvent, int, PipelineMetrics, boolean)}; truncations are not counted. */
    void read(InferenceEvent event, int maxValueLength) {
        read(event, maxValueLength, NO_METRICS, true);
    }

    /**
     * Reads an event's features and checks them: names (1-256 characters, none reserved, none both
     * numeric and categorical). A categorical value over {@code maxValueLength} characters is truncated
     * (see {@link #truncate}) and counted in {@code metrics}, never a reason to refuse the event.
     *
     * <p>Besides the event's own features it derives, at the edge (nothing of a text is kept):
     * <ul>
     *   <li>per named text: {@code text.NAME.chars} (length in Unicode code points), {@code .words}
     *       (runs of non-whitespace), {@code .non_ascii} (share of code points above 127; missing for an
     *       empty text), {@code .empty} (1 for an empty or blank text, else 0), and {@code .tokens} when
     *       the event gives the text's token count;</li>
     *   <li>the operational values {@code output.latency_ms}, {@code output.tokens_in},
     *       {@code output.tokens_out}, {@code output.cost} (each when the event has it) and the
     *       categorical {@code output.error} (the error code, or {@value #NO_ERROR}), when
     *       {@code operational} ({@link OperationalSubjects}).</li>
     * </ul>
     *
     * @throws InvalidEventException naming the first bad feature
     */
    void read(InferenceEvent event, int maxValueLength, PipelineMetrics metrics, boolean operational) {
        boolean known = true;
        truncated = false;
        Map<String, Double> numericMap = event.getNumericFeatures();
        numeric = 0;
        if (numericMap.size() > numericNames.length) {
            numericNames = new String[Math.max(numericMap.size(), 2 * numericNames.length)];
            numericValues = new double[numericNames.length];
        }
        if (numericMap instanceof EventDecoder.NumericMap read) {
            // decoded by EventDecoder: the same names and values in the same order, held in arrays
            int n = read.names.length;
            if (read.names == checkedNumericSource && n == checkedOwnNumeric) {
                // the very names of the last event whose names all passed (a decoder's shape): nothing to check
                System.arraycopy(read.names, 0, numericNames, 0, n);
                System.arraycopy(read.values, 0, numericValues, 0, n);
                numeric = n;
            } else {
                for (int i = 0; i < n; i++) {
                    known = numeric(read.names[i], read.values[i], known);
                }
            }
        } else {
            for (Map.Entry<String, Double> f : numericMap.entrySet()) {
                Double v = f.getValue();
                known = numeric(f.getKey(), v == null ? Double.NaN : v, known);
            }
        }
        Map<String, String> categoricalMap = event.getCategoricalFeatures();
        categorical = 0;
        if (categoricalMap.size() > categoricalNames.length) {
            categoricalNames = new String[Math.max(categoricalMap.size(), 2 * categoricalNames.length)];
            categoricalValues = new String[categoricalNames.length];
        }
        boolean knownCategorical = true;
        if (categoricalMap instanceof EventDecoder.CategoricalMap read) {
            for (int i = 0; i < read.names.length; i++) {
                knownCategorical = categorical(event, read.names[i], read.values[i], maxValueLength, metrics,
                        knownCategorical);
            }
        } else {
            for (Map.Entry<String, String> f : categoricalMap.entrySet()) {
                knownCategorical = categorical(event, f.getKey(), f.getValue(), maxValueLength, metrics,
                        knownCategorical);
            }
        }
        ownNumeric = numeric;
        ownCategorical = categorical;
        deriveTexts(event);
        if (operational) {
            deriveOperational(event, maxValueLength, metrics);
        }
        known &= numeric == checkedNumeric.length;
        known &= knownCategorical && categorical == checkedCategorical.length;
        // The same names may split differently into own and derived ones (a feature named text.t.chars, or a
        // text t): the shape covers where the own features end, as the quality check numbers only those.
        known &= ownNumeric == checkedOwnNumeric && ownCategorical == checkedOwnCategorical;
        if (known) {
            for (int i = ownNumeric; i < numeric && known; i++) {
                known = i < checkedNumeric.length && numericNames[i].equals(checkedNumeric[i]);
            }
            for (int i = ownCategorical; i < categorical && known; i++) {
                known = categoricalNames[i].equals(checkedCategorical[i]);
            }
        }
        if (!known) {
            for (int i = ownNumeric; i < numeric; i++) {
                if (numericMap.containsKey(numericNames[i]) || categoricalMap.containsKey(numericNames[i])) {
                    throw new InvalidEventException("feature '" + DeadLetterRecords.abbreviate(numericNames[i])
                            + "' has the name of a subject derived from the event's texts; rename the feature");
                }
            }
            for (int i = 0; i < categorical; i++) {
                if (numericMap.containsKey(categoricalNames[i])) {
                    throw new InvalidEventException("feature '" + DeadLetterRecords.abbreviate(categoricalNames[i])
                            + "' is both numeric and categorical");
                }
            }
            checkedNumeric = Arrays.copyOf(numericNames, numeric);
            checkedCategorical = Arrays.copyOf(categoricalNames, categorical);
            checkedOwnNumeric = ownNumeric;
            checkedOwnCategorical = ownCategorical;
            shape++; // a long: never wraps back to the number of a shape some open window still remembers
        }
        checkedNumericSource = numericMap instanceof EventDecoder.NumericMap read ? read.names : null;
    }

    /** Adds an event's own numeric feature; returns whether its names are still those last checked. */
    private boolean numeric(String name, double value, boolean known) {
        // Only the last checked event's own names count as checked: its derived ones (output.error, text.*) were
        // never checked as an event's own, and an event may not name its own feature so.
        if (known && !(numeric < checkedOwnNumeric && name.equals(checkedNumeric[numeric]))) {
            known = false;
        }
        if (!known) {
            checkName(name);
        }
        numericNames[numeric] = name;
        numericValues[numeric++] = value;
        return known;
    }

    /** Adds an event's own categorical feature; returns whether its names are still those last checked. */
    private boolean categorical(InferenceEvent event, String name, String value, int maxValueLength,
                                PipelineMetrics metrics, boolean known) {
        if (value != null && value.length() > maxValueLength) {
            value = truncate(value, maxValueLength);
            truncated = true;
            metrics.valueTruncated(event.getModelId(), event.getModelVersion(), name);
        }
        if (known && !(categorical < checkedOwnCategorical && name.equals(checkedCategorical[categorical]))) {
            known = false;
        }
        if (!known) {
            checkName(name);
        }
        categoricalNames[categorical] = name;
        categoricalValues[categorical++] = value;
        return known;
    }

    /**
     * A value cut to {@code maxLength} characters: its first {@code maxLength − 9}, then {@code #} and the
     * eight hex digits of the whole value's {@link String#hashCode} (fixed by the language), so that long
     * values that differ only after the cut stay apart. Under 16 characters the value is only cut.
     */
    static String truncate(String value, int maxLength) {
        if (maxLength < 16) {
            return value.substring(0, maxLength);
        }
        String hash = String.format("#%08x", value.hashCode());
        int keep = Math.max(0, maxLength - hash.length());
        return value.substring(0, Math.min(keep, value.length())) + hash;
    }

    private void deriveTexts(InferenceEvent event) {
        Map<String, String> texts = event.getTexts();
        if (texts == null || texts.isEmpty()) {
            return;
        }
        Map<String, Long> tokens = event.getTextTokens();
        for (Map.Entry<String, String> t : texts.entrySet()) {
            String name = t.getKey();
            if (name.isBlank() || name.length() > 200) {
                throw new InvalidEventException("text name '" + DeadLetterRecords.abbreviate(name)
                        + "' must be 1-200 characters");
            }
            TextMeasures m = TextMeasures.of(t.getValue());
            String prefix = TEXT_PREFIX + name + ".";
            addNumeric(prefix + "chars", m.chars());
            addNumeric(prefix + "words", m.words());
            addNumeric(prefix + "non_ascii", m.nonAscii());
            addNumeric(prefix + "empty", m.empty());
            Long count = tokens == null ? null : tokens.get(name);
            if (count != null) {
                if (count < 0) {
                    throw new InvalidEventException("token count of text '" + DeadLetterRecords.abbreviate(name)
                            + "' is " + count + "; it must be >= 0");
                }
                addNumeric(prefix + "tokens", count);
            }
        }
    }

    private void deriveOperational(InferenceEvent event, int maxValueLength, PipelineMetrics metrics) {
        if (event.getLatencyMs() != null) {
            addNumeric(LATENCY, event.getLatencyMs());
        }
        if (event.getTokensIn() != null) {
            addNumeric(TOKENS_IN, event.getTokensIn());
        }
        if (event.getTokensOut() != null) {
            addNumeric(TOKENS_OUT, event.getTokensOut());
        }
        if (event.getCost() != null) {
            addNumeric(COST, event.getCost());
        }
        String code = event.getErrorCode();
        if (code != null && code.length() > maxValueLength) {
            code = truncate(code, maxValueLength);
            metrics.valueTruncated(event.getModelId(), event.getModelVersion(), ERROR);
        }
        if (categorical == categoricalNames.length) {
            categoricalNames = Arrays.copyOf(categoricalNames, 2 * categorical);
            categoricalValues = Arrays.copyOf(categoricalValues, 2 * categorical);
        }
        categoricalNames[categorical] = ERROR;
        categoricalValues[categorical++] = code == null || code.isBlank() ? NO_ERROR : code;
    }

    private void addNumeric(String name, double value) {
        if (numeric == numericNames.length) {
            numericNames = Arrays.copyOf(numericNames, 2 * numeric);
            numericValues = Arrays.copyOf(numericValues, 2 * numeric);
        }
        numericNames[numeric] = name;
        numericValues[numeric++] = value;
    }

    /**
     * The shape of the last event read: the same number for consecutive events with the same feature
     * names in the same order; a new number, never reused, when they change.
     */
    public long shape() {
        return shape;
    }

    /**
     * The shape of the last event read with which of the three outputs it has ({@code event}: that event): the same
     * number for consecutive events whose subjects are the same, in the same order.
     */
    public long shapeWithOutputs(InferenceEvent event) {
        var outputs = event.getOutputs();
        int present = outputs == null ? 0 : (outputs.getScore() != null ? 1 : 0)
                | (outputs.getConfidence() != null ? 2 : 0) | (outputs.getLabel() != null ? 4 : 0);
        return shape * 8 + present;
    }

    /**
     * How many of the first {@link #numericCount} features are the event's own numeric features, in its map's order
     * (a null value read as NaN); the features derived from its texts and operational values follow them.
     */
    public int ownNumericCount() {
        return ownNumeric;
    }

    /**
     * How many of the first {@link #categoricalCount} features are the event's own categorical features, in its
     * map's order; their values are the event's own unless {@link #categoricalTruncated}.
     */
    public int ownCategoricalCount() {
        return ownCategorical;
    }

    /** Whether a categorical value of the last event read was longer than the limit and is held cut. */
    public boolean categoricalTruncated() {
        return truncated;
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
