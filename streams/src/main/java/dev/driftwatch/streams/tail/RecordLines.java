package dev.driftwatch.streams.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One line of text per output record, for people: the record's time first, then what it is about, then
 * its figures. Alerts and dead letters have a line of their own; the other outputs print their model
 * version, subject and every other set field as {@code name=value}.
 */
public final class RecordLines {
    /** Fields that name a record's time, the first present one leads the line. */
    private static final List<String> TIME_FIELDS = List.of("windowEnd", "eventTime", "processedAt", "failedAt");
    private static final Set<String> LEADING = Set.of("modelId", "modelVersion", "subject");

    private RecordLines() {
    }

    /** The line of any output record. */
    public static String text(IndexedRecord record) {
        if (record instanceof DriftAlert a) {
            return alert(a);
        }
        if (record instanceof DeadLetter d) {
            return deadLetter(d);
        }
        return generic(record);
    }

    /**
     * {@code 2026-11-01T09:10:00Z FIRING   CRITICAL ctr-model/1.5.0 income: psi 0.4123 (threshold 0.2500),
     * n 400 vs 4000, CTR 0.0310 vs baseline 0.0420 (-0.0110), al-1a2b...}: the end of the alert's window,
     * its state and severity, model version and subject, the statistic against its threshold, the sample
     * sizes, the CTR of the window when known, and the alert id (what {@code driftwatch ctl ack} takes).
     */
    public static String alert(DriftAlert a) {
        StringBuilder line = new StringBuilder()
                .append(a.getWindowEnd()).append(' ')
                .append(pad(String.valueOf(a.getState()), 8)).append(' ')
                .append(pad(String.valueOf(a.getSeverity()), 8)).append(' ')
                .append(a.getModelId()).append('/').append(a.getModelVersion()).append(' ')
                .append(a.getSubject()).append(": ")
                .append(a.getTest().name().toLowerCase(Locale.ROOT)).append(' ').append(number(a.getStatistic()))
                .append(" (threshold ").append(number(a.getThreshold()));
        if (a.getAdjustedPValue() != null) {
            line.append(", adjusted p ").append(number(a.getAdjustedPValue()));
        } else if (a.getPValue() != null) {
            line.append(", p ").append(number(a.getPValue()));
        }
        line.append("), n ").append(a.getCurrentSampleSize()).append(" vs ").append(a.getReferenceSampleSize());
        BusinessContext b = a.getBusinessContext();
        if (b != null && b.getCurrentCtr() != null) {
            line.append(", CTR ").append(number(b.getCurrentCtr()));
            if (b.getBaselineCtr() != null) {
                line.append(" vs baseline ").append(number(b.getBaselineCtr()));
            }
            if (b.getCtrDelta() != null) {
                line.append(" (").append(b.getCtrDelta() >= 0 ? "+" : "").append(number(b.getCtrDelta())).append(')');
            }
        }
        return line.append(", ").append(a.getAlertId()).toString();
    }

    /**
     * {@code 2026-11-01T09:10:03Z DEAD-LETTER SCHEMA_NOT_FOUND from inference-events/2@1234: detail}: when
     * it was rejected, why, and the topic, partition and offset of the original record.
     */
    public static String deadLetter(DeadLetter d) {
        StringBuilder line = new StringBuilder().append(d.getFailedAt()).append(" DEAD-LETTER ").append(d.getReason())
                .append(" from ").append(d.getOriginalTopic()).append('/').append(d.getOriginalPartition())
                .append('@').append(d.getOriginalOffset());
        if (d.getSchemaId() != null) {
            line.append(" (schema id ").append(d.getSchemaId()).append(')');
        }
        return line.append(": ").append(d.getDetail().replace('\n', ' ')).toString();
    }

    private static String generic(IndexedRecord r) {
        Schema schema = r.getSchema();
        StringBuilder line = new StringBuilder();
        String timeField = TIME_FIELDS.stream().filter(n -> schema.getField(n) != null).findFirst().orElse(null);
        if (timeField != null) {
            line.append(r.get(schema.getField(timeField).pos())).append(' ');
        }
        line.append(schema.getName());
        if (schema.getField("modelId") != null) {
            line.append(' ').append(field(r, "modelId")).append('/').append(field(r, "modelVersion"));
        }
        if (schema.getField("subject") != null) {
            line.append(' ').append(field(r, "subject"));
        }
        line.append(':');
        ObjectNode json = AvroJson.of(r);
        for (Schema.Field f : schema.getFields()) {
            Object v = r.get(f.pos());
            if (v == null || LEADING.contains(f.name()) || f.name().equals(timeField)) {
                continue;
            }
            if (r instanceof WindowStats && f.name().equals("statistics")) {
                for (TestStatistic s : ((WindowStats) r).getStatistics()) {
                    line.append(' ').append(s.getTest()).append('=')
                            .append(s.getValue() == null ? "undefined" : number(s.getValue()));
                }
                continue;
            }
            JsonNode n = json.get(f.name());
            if (n.isContainerNode() && n.isEmpty()) {
                continue;
            }
            line.append(' ').append(f.name()).append('=').append(n.isTextual() ? n.asText()
                    : n.isFloatingPointNumber() ? number(n.asDouble()) : n.toString());
        }
        return line.toString();
    }

    private static Object field(IndexedRecord r, String name) {
        return r.get(r.getSchema().getField(name).pos());
    }

    /** Four significant digits, without an exponent for the usual ranges of statistics and rates. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0 || Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6) {
            return String.format(Locale.ROOT, "%.4f", v).replaceAll("(\\.\\d*?[1-9])0+$|\\.0+$", "$1");
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
