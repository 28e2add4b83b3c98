package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.OutcomeType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the join knows of one request: its inference (model version, segment, event time), once it
 * has arrived, and the outcomes seen so far, deduplicated per type. Outcomes that arrive before the
 * inference wait in arrival order, one per type, each with its own event time and value, so that the
 * inference can judge each of them against its join window when it comes. Kept in
 * {@link OutcomeJoin#STORE} until the request is final.
 */
public final class JoinedRequest {
    static final int IMPRESSION = 1;
    static final int CLICK = 2;
    static final int CONVERSION = 4;
    static final int OTHER = 8;
    static final int FEEDBACK_POSITIVE = 16;
    static final int FEEDBACK_NEGATIVE = 32;
    static final int SUCCESS = 64;
    static final int FAILURE = 128;
    static final int JUDGE_SCORE = 256;
    static final int LABEL = 512;
    /**
     * Version 3 stores the seen types and the waiting types as ints (version 2: bytes), the judge score and the model
     * score; version 4 adds, after them, the predicted label, the true label and value, and the waiting true labels.
     */
    private static final byte FORMAT_VERSION = 4;
    /** At most one waiting outcome per type bit. */
    private static final int MAX_WAITING = 10;

    private boolean inference;
    private String modelId = "";
    private String modelVersion = "";
    private String segment = "";
    private long eventTime;
    private long firstWindowEnd;
    private long deadline;
    private int seen;
    private boolean clickBeforeImpression;
    private int duplicates;
    private int outsideWindow;
    private int valuedOutcomes;
    private long valueMicros;
    /** The score of the request's JUDGE_SCORE outcome when it was finite, else null. */
    private Double score;
    /** OTHER outcomes after the first (kinds this version does not know apart: not duplicates). */
    private int otherRepeats;
    private int waiting;
    /** OTHER outcomes after the first that wait with it, and their values (joined or not with it). */
    private int waitingOtherRepeats;
    private int waitingOtherValued;
    private long waitingOtherMicros;
    private final int[] waitingType = new int[MAX_WAITING];
    private final long[] waitingTime = new long[MAX_WAITING];
    private final Double[] waitingValue = new Double[MAX_WAITING];
    private final Double[] waitingScore = new Double[MAX_WAITING];
    /** The inference's output.score (NaN when it had none), for the performance signal; stored after the v3 fields. */
    private double modelScore = Double.NaN;
    /** The inference's outputs.label (null when it had none), the prediction of a classifier. */
    private String predictedLabel;
    /** The LABEL outcome's true class, or null. */
    private String trueLabel;
    /** The LABEL outcome's true value (of a regression target) when it was finite, or null. */
    private Double trueValue;
    private final String[] waitingLabel = new String[MAX_WAITING];

    JoinedRequest() {
    }

    /** The inference's output.score, or NaN when it had none (or has not arrived). */
    public double modelScore() {
        return modelScore;
    }

    void modelScore(double s) {
        modelScore = s;
    }

    /** The inference's outputs.label (a classifier's predicted class), or null when it had none. */
    public String predictedLabel() {
        return predictedLabel;
    }

    void predictedLabel(String label) {
        predictedLabel = label;
    }

    /** Whether the request's ground truth (a LABEL outcome) joined it. */
    public boolean labelled() {
        return has(LABEL);
    }

    /** The true class of the request (its LABEL outcome's label field), or null. */
    public String trueLabel() {
        return trueLabel;
    }

    /** The true value of the request (its LABEL outcome's finite value field), or null. */
    public Double trueValue() {
        return trueValue;
    }

    /** Whether the request had an impression (joined). */
    public boolean impressed() {
        return has(IMPRESSION);
    }

    /** Whether it had a click (joined; counted by CTR only with an impression). */
    public boolean clicked() {
        return has(CLICK);
    }

    /** Whether the inference of the request has arrived (otherwise its outcomes are waiting for it). */
    public boolean hasInference() {
        return inference;
    }

    public String modelId() {
        return modelId;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public String segment() {
        return segment;
    }

    /** The inference's event time, in epoch milliseconds. */
    public long eventTime() {
        return eventTime;
    }

    /** The end of the earliest window that took the inference (earlier windows were closed for it). */
    public long firstWindowEnd() {
        return firstWindowEnd;
    }

    /** Stream time at which the request is final. */
    long deadline() {
        return deadline;
    }

    void deadline(long d) {
        deadline = d;
    }

    boolean has(int type) {
        return (seen & type) != 0;
    }

    boolean clickBeforeImpression() {
        return clickBeforeImpression;
    }

    int duplicates() {
        return duplicates;
    }

    int outsideWindow() {
        return outsideWindow;
    }

    int valuedOutcomes() {
        return valuedOutcomes;
    }

    long valueMicros() {
        return valueMicros;
    }

    /** The judge score of the request (its JUDGE_SCORE outcome's finite score), or null. */
    Double score() {
        return score;
    }

    /** Outcomes used: one per type, and every OTHER outcome (unknown kinds are not deduplicated). */
    int outcomes() {
        return Integer.bitCount(seen) + otherRepeats;
    }

    /** OTHER outcomes after the first one of the request. */
    int otherRepeats() {
        return otherRepeats;
    }

    void inference(String model, String version, String seg, long time, long firstEnd) {
        inference = true;
        modelId = model;
        modelVersion = version;
        segment = seg;
        eventTime = time;
        firstWindowEnd = firstEnd;
    }

    /** Records an outcome; false when it repeats a type already seen (a duplicate, counted). */
    boolean outcome(OutcomeType type, Double value) {
        return outcome(type, value, null);
    }

    /**
     * Records an outcome with its score (read on JUDGE_SCORE outcomes only); false when it repeats a type already
     * seen (a duplicate, counted).
     */
    boolean outcome(OutcomeType type, Double value, Double judgeScore) {
        return outcome(type, value, judgeScore, null);
    }

    /**
     * Records an outcome with its score and label (a LABEL outcome's true class); false when it repeats a type
     * already seen (a duplicate, counted). A LABEL outcome's value is the true value of the request's target: it
     * is kept as such, not counted among the values of the business outcomes.
     */
    boolean outcome(OutcomeType type, Double value, Double judgeScore, String label) {
        int bit = bit(type);
        if (bit == OTHER && (seen & bit) != 0) {
            // OTHER stands for several kinds this version cannot tell apart: a repeat is not a duplicate.
            otherRepeats++;
            addValue(value);
            return true;
        }
        if ((seen & bit) != 0) {
            duplicates++;
            return false;
        }
        if (bit == CLICK && (seen & IMPRESSION) == 0) {
            clickBeforeImpression = true;
        }
        seen |= bit;
        if (bit == LABEL) {
            trueLabel = label;
            trueValue = value != null && Double.isFinite(value) ? value : null;
            return true;
        }
        addValue(value);
        if (bit == JUDGE_SCORE && judgeScore != null && Double.isFinite(judgeScore)) {
            score = judgeScore;
        }
        return true;
    }

    private void addValue(Double value) {
        if (value != null && Double.isFinite(value)) {
            valuedOutcomes++;
            valueMicros += BusinessPart.micros(value);
        }
    }

    /**
     * Keeps an outcome that arrived before the inference; false when its type is already waiting (a
     * duplicate, counted).
     */
    boolean await(OutcomeType type, long time, Double value) {
        return await(type, time, value, null);
    }

    /** Like {@link #await(OutcomeType, long, Double)}, with the outcome's score. */
    boolean await(OutcomeType type, long time, Double value, Double judgeScore) {
        return await(type, time, value, judgeScore, null);
    }

    /** Like {@link #await(OutcomeType, long, Double)}, with the outcome's score and label. */
    boolean await(OutcomeType type, long time, Double value, Double judgeScore, String label) {
        int bit = bit(type);
        for (int i = 0; i < waiting; i++) {
            if (waitingType[i] == bit && bit == OTHER) {
                waitingOtherRepeats++;
                if (value != null && Double.isFinite(value)) {
                    waitingOtherValued++;
                    waitingOtherMicros += BusinessPart.micros(value);
                }
                return true;
            }
            if (waitingType[i] == bit) {
                duplicates++;
                return false;
            }
        }
        waitingType[waiting] = bit;
        waitingTime[waiting] = time;
        waitingValue[waiting] = value;
        waitingScore[waiting] = judgeScore;
        waitingLabel[waiting] = label;
        waiting++;
        return true;
    }

    /** Outcomes waiting for the inference. */
    int waitingOutcomes() {
        return waiting + waitingOtherRepeats;
    }

    /** The latest event time of the waiting outcomes ({@link Long#MIN_VALUE} when none wait). */
    long latestWaiting() {
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < waiting; i++) {
            latest = Math.max(latest, waitingTime[i]);
        }
        return latest;
    }

    /**
     * Judges the waiting outcomes, in their arrival order, against the inference that has just come:
     * each joins when its event time is within {@code joinWindow} of the inference's, otherwise it is
     * counted as outside the join window.
     *
     * @return how many were outside the join window
     */
    int joinWaiting(long joinWindow) {
        int outside = 0;
        for (int i = 0; i < waiting; i++) {
            boolean other = waitingType[i] == OTHER;
            if (Math.abs(waitingTime[i] - eventTime) > joinWindow) {
                outside += 1 + (other ? waitingOtherRepeats : 0);
            } else {
                outcome(type(waitingType[i]), waitingValue[i], waitingScore[i], waitingLabel[i]);
                if (other) {
                    otherRepeats += waitingOtherRepeats;
                    valuedOutcomes += waitingOtherValued;
                    valueMicros += waitingOtherMicros;
                }
            }
            waitingValue[i] = null;
            waitingScore[i] = null;
            waitingLabel[i] = null;
        }
        waiting = 0;
        waitingOtherRepeats = 0;
        waitingOtherValued = 0;
        waitingOtherMicros = 0;
        outsideWindow += outside;
        return outside;
    }

    void outsideWindow(int n) {
        outsideWindow += n;
    }

    private static int bit(OutcomeType type) {
        return switch (type) {
            case IMPRESSION -> IMPRESSION;
            case CLICK -> CLICK;
            case CONVERSION -> CONVERSION;
            case FEEDBACK_POSITIVE -> FEEDBACK_POSITIVE;
            case FEEDBACK_NEGATIVE -> FEEDBACK_NEGATIVE;
            case SUCCESS -> SUCCESS;
            case FAILURE -> FAILURE;
            case JUDGE_SCORE -> JUDGE_SCORE;
            case LABEL -> LABEL;
            default -> OTHER;
        };
    }

    private static OutcomeType type(int bit) {
        return switch (bit) {
            case IMPRESSION -> OutcomeType.IMPRESSION;
            case CLICK -> OutcomeType.CLICK;
            case CONVERSION -> OutcomeType.CONVERSION;
            case FEEDBACK_POSITIVE -> OutcomeType.FEEDBACK_POSITIVE;
            case FEEDBACK_NEGATIVE -> OutcomeType.FEEDBACK_NEGATIVE;
            case SUCCESS -> OutcomeType.SUCCESS;
            case FAILURE -> OutcomeType.FAILURE;
            case JUDGE_SCORE -> OutcomeType.JUDGE_SCORE;
            case LABEL -> OutcomeType.LABEL;
            default -> OutcomeType.OTHER;
        };
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeBoolean(inference);
            out.writeUTF(modelId);
            out.writeUTF(modelVersion);
            out.writeUTF(segment);
            out.writeLong(eventTime);
            out.writeLong(firstWindowEnd);
            out.writeLong(deadline);
            out.writeInt(seen);
            out.writeBoolean(clickBeforeImpression);
            out.writeInt(duplicates);
            out.writeInt(outsideWindow);
            out.writeInt(valuedOutcomes);
            out.writeLong(valueMicros);
            out.writeInt(otherRepeats);
            out.writeInt(waitingOtherRepeats);
            out.writeInt(waitingOtherValued);
            out.writeLong(waitingOtherMicros);
            out.writeByte(waiting);
            for (int i = 0; i < waiting; i++) {
                out.writeInt(waitingType[i]);
                out.writeLong(waitingTime[i]);
                writeOptional(out, waitingValue[i]);
                writeOptional(out, waitingScore[i]);
            }
            writeOptional(out, score);
            out.writeDouble(modelScore);
            writeOptional(out, predictedLabel);
            writeOptional(out, trueLabel);
            writeOptional(out, trueValue);
            for (int i = 0; i < waiting; i++) {
                writeOptional(out, waitingLabel[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeOptional(DataOutput out, Double v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeDouble(v);
        }
    }

    private static Double readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static void writeOptional(DataOutput out, String v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeUTF(v);
        }
    }

    private static String readOptionalString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static JoinedRequest fromBytes(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            byte version = in.readByte();
            if (version < 2 || version > FORMAT_VERSION) {
                throw new IOException("unknown joined-request format version " + version);
            }
            JoinedRequest r = new JoinedRequest();
            r.inference = in.readBoolean();
            r.modelId = in.readUTF();
            r.modelVersion = in.readUTF();
            r.segment = in.readUTF();
            r.eventTime = in.readLong();
            r.firstWindowEnd = in.readLong();
            r.deadline = in.readLong();
            boolean ints = version >= 3;
            r.seen = ints ? in.readInt() : in.readByte();
            r.clickBeforeImpression = in.readBoolean();
            r.duplicates = in.readInt();
            r.outsideWindow = in.readInt();
            r.valuedOutcomes = in.readInt();
            r.valueMicros = in.readLong();
            r.otherRepeats = in.readInt();
            r.waitingOtherRepeats = in.readInt();
            r.waitingOtherValued = in.readInt();
            r.waitingOtherMicros = in.readLong();
            r.waiting = in.readByte();
            if (r.waiting < 0 || r.waiting > MAX_WAITING) {
                throw new IOException("a joined request cannot have " + r.waiting + " waiting outcomes");
            }
            for (int i = 0; i < r.waiting; i++) {
                r.waitingType[i] = ints ? in.readInt() : in.readByte();
                r.waitingTime[i] = in.readLong();
                r.waitingValue[i] = readOptional(in);
                r.waitingScore[i] = ints ? readOptional(in) : null;
            }
            r.score = ints ? readOptional(in) : null;
            // the model score came last: a request stored without it (version 2, or before it was added) has none
            r.modelScore = version >= 4 || ints && in.available() >= Double.BYTES ? in.readDouble() : Double.NaN;
            if (version >= 4) {
                r.predictedLabel = readOptionalString(in);
                r.trueLabel = readOptionalString(in);
                r.trueValue = readOptional(in);
                for (int i = 0; i < r.waiting; i++) {
                    r.waitingLabel[i] = readOptionalString(in);
                }
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
