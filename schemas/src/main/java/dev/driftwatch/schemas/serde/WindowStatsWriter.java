package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.avro.DataQuality;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link WindowStats} field by field, in its schema's order, with the same encoder calls (and so the same
 * bytes) as a {@code SpecificDatumWriter} makes, without looking up each union's branch by name and converting each
 * timestamp through its logical type, record after record: there is one such record per subject and window.
 *
 * <p>Only for the schema the class was generated from ({@link #writes}); a record with null in a field its schema
 * does not let be null is left to the generic writer, so that it fails as it did.
 */
final class WindowStatsWriter {
    private WindowStatsWriter() {
    }

    /** Whether {@link #write} writes this record with this writer schema. */
    static boolean writes(Object record, Schema writerSchema) {
        return record instanceof WindowStats s && writerSchema == WindowStats.getClassSchema() && complete(s);
    }

    /** Writes a record {@link #writes} accepts. */
    static void write(WindowStats s, Encoder out) throws IOException {
        out.writeString(s.getModelId());
        out.writeString(s.getModelVersion());
        out.writeString(s.getSubject());
        out.writeString(s.getSubjectKind());
        out.writeLong(s.getWindowStart().toEpochMilli());
        out.writeLong(s.getWindowEnd().toEpochMilli());
        optionalString(out, s.getBaselineId());
        out.writeLong(s.getSampleSize());
        out.writeLong(s.getMissingCount());
        out.writeLong(s.getReferenceSampleSize());
        List<TestStatistic> statistics = s.getStatistics();
        out.writeArrayStart();
        out.setItemCount(statistics.size());
        for (TestStatistic t : statistics) {
            out.startItem();
            out.writeString(t.getTest());
            optionalDouble(out, t.getValue());
            optionalDouble(out, t.getPValue());
            optionalDouble(out, t.getThreshold());
            out.writeBoolean(t.getOverThreshold());
            optionalDouble(out, t.getErrorBound());
            optionalString(out, t.getUndefinedReason());
        }
        out.writeArrayEnd();
        out.writeBoolean(s.getDrifting());
        optionalString(out, s.getPolicyVersion());
        out.writeLong(s.getLateEventsDropped());
        optionalDouble(out, s.getEvidence());
        optionalDouble(out, s.getSequentialEvidence());
        out.writeBoolean(s.getInsufficientData());
        DataQuality q = s.getDataQuality();
        if (q == null) {
            out.writeIndex(0);
            return;
        }
        out.writeIndex(1);
        out.writeLong(q.getEvents());
        out.writeLong(q.getAbsentCount());
        out.writeBoolean(q.getAbsent());
        optionalDouble(out, q.getMissingShare());
        optionalDouble(out, q.getReferenceMissingShare());
        optionalDouble(out, q.getMissingPValue());
        out.writeLong(q.getInfiniteCount());
        out.writeLong(q.getOutOfRangeCount());
        optionalDouble(out, q.getOutOfRangeShare());
        optionalDouble(out, q.getRangeLow());
        optionalDouble(out, q.getRangeHigh());
        out.writeLong(q.getUnseenCount());
        optionalDouble(out, q.getUnseenShare());
        Map<String, Long> top = q.getUnseenTop();
        out.writeMapStart();
        out.setItemCount(top.size());
        for (Map.Entry<String, Long> e : top.entrySet()) {
            out.startItem();
            out.writeString(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeMapEnd();
        out.writeLong(q.getTypeMismatchCount());
        optionalString(out, q.getTypeMismatchExample());
        List<String> problems = q.getProblems();
        out.writeArrayStart();
        out.setItemCount(problems.size());
        for (String p : problems) {
            out.startItem();
            out.writeString(p);
        }
        out.writeArrayEnd();
    }

    /** A union of null (branch 0) and a string (branch 1). */
    private static void optionalString(Encoder out, String v) throws IOException {
        if (v == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeString(v);
        }
    }

    /** A union of null (branch 0) and a double (branch 1). */
    private static void optionalDouble(Encoder out, Double v) throws IOException {
        if (v == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeDouble(v);
        }
    }

    /** Whether every field the schema does not let be null is set (else the generic writer reports it). */
    private static boolean complete(WindowStats s) {
        if (s.getModelId() == null || s.getModelVersion() == null || s.getSubject() == null
                || s.getSubjectKind() == null || s.getWindowStart() == null || s.getWindowEnd() == null
                || s.getStatistics() == null) {
            return false;
        }
        for (TestStatistic t : s.getStatistics()) {
            if (t == null || t.getTest() == null) {
                return false;
            }
        }
        DataQuality q = s.getDataQuality();
        if (q == null) {
            return true;
        }
        if (q.getUnseenTop() == null || q.getProblems() == null) {
            return false;
        }
        for (Map.Entry<String, Long> e : q.getUnseenTop().entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                return false;
            }
        }
        for (String p : q.getProblems()) {
            if (p == null) {
                return false;
            }
        }
        return true;
    }
}
