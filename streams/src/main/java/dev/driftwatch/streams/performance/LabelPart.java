package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ConfusionCounts;
import dev.driftwatch.detectors.performance.RegressionErrors;
import dev.driftwatch.streams.business.JoinedRequest;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowPart;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A window's labelled predictions, requests whose outcomes are final with a {@code LABEL} outcome: the confusion
 * counts of the predicted class (outputs.label) against the true class (the outcome's label), and the errors of the
 * numeric prediction (outputs.score) against the true value (the outcome's value). Ground truth without the
 * matching prediction is counted apart ({@link #unpredictedClasses()}, {@link #unpredictedValues()}). Bounded:
 * (K + 1)² counts for K named classes, four sums.
 */
public final class LabelPart implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "labels";
    private static final byte FORMAT_VERSION = 1;

    private final ConfusionCounts classes;
    private final RegressionErrors errors;
    private long unpredictedClasses;
    private long unpredictedValues;

    LabelPart(ConfusionCounts classes, RegressionErrors errors, long unpredictedClasses, long unpredictedValues) {
        this.classes = classes;
        this.errors = errors;
        this.unpredictedClasses = unpredictedClasses;
        this.unpredictedValues = unpredictedValues;
    }

    /** The window's part, created with up to {@code maxClasses} named classes on first use. */
    static LabelPart of(WindowBundle bundle, int maxClasses) {
        LabelPart part = (LabelPart) bundle.part(NAME);
        if (part == null) {
            part = new LabelPart(new ConfusionCounts(maxClasses), new RegressionErrors(), 0, 0);
            bundle.putPart(part);
        }
        return part;
    }

    /** Adds a final request's ground truth, if it has one, with the model's prediction. */
    void add(JoinedRequest r) {
        if (!r.labelled()) {
            return;
        }
        if (r.trueLabel() != null) {
            if (r.predictedLabel() != null) {
                classes.addPrediction(r.trueLabel(), r.predictedLabel());
            } else {
                unpredictedClasses++;
            }
        }
        if (r.trueValue() != null) {
            if (Double.isNaN(r.modelScore()) || !errors.add(r.modelScore(), r.trueValue())) {
                unpredictedValues++;
            }
        }
    }

    public ConfusionCounts classes() {
        return classes;
    }

    public RegressionErrors errors() {
        return errors;
    }

    /** True classes whose inference had no outputs.label. */
    public long unpredictedClasses() {
        return unpredictedClasses;
    }

    /** True values whose inference had no finite outputs.score. */
    public long unpredictedValues() {
        return unpredictedValues;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        LabelPart o = (LabelPart) other;
        classes.merge(o.classes);
        errors.merge(o.errors);
        unpredictedClasses += o.unpredictedClasses;
        unpredictedValues += o.unpredictedValues;
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeInt(classes.maxClasses());
        List<String> names = classes.classes();
        out.writeInt(names.size());
        for (String n : names) {
            out.writeUTF(n);
        }
        for (long[] row : classes.rows()) {
            for (long v : row) {
                out.writeLong(v);
            }
        }
        out.writeLong(classes.correct());
        out.writeLong(errors.count());
        out.writeDouble(errors.sum());
        out.writeDouble(errors.sumSquares());
        out.writeDouble(errors.sumAbsolute());
        out.writeLong(unpredictedClasses);
        out.writeLong(unpredictedValues);
    }

    /** Reads what {@link #write} wrote. */
    public static LabelPart read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown label part format " + version);
        }
        int max = in.readInt();
        int k = in.readInt();
        if (max < 1 || max > ConfusionCounts.MAX_CLASSES || k < 0 || k > max) {
            throw new IOException("a label part with " + k + " of at most " + max + " classes");
        }
        List<String> names = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            names.add(in.readUTF());
        }
        long[][] rows = new long[k + 1][k + 1];
        for (long[] row : rows) {
            for (int j = 0; j <= k; j++) {
                row[j] = in.readLong();
            }
        }
        long correct = in.readLong();
        long count = in.readLong();
        double sum = in.readDouble();
        double squares = in.readDouble();
        double absolute = in.readDouble();
        long unpredictedClasses = in.readLong();
        long unpredictedValues = in.readLong();
        try {
            return new LabelPart(ConfusionCounts.restore(max, names, rows, correct),
                    RegressionErrors.restore(count, sum, squares, absolute), unpredictedClasses, unpredictedValues);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }
}
