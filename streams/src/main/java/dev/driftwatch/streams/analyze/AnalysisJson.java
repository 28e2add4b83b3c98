package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The analysis as JSON: {@code {"events": n, "dead_letters": n, "settings": {...},
 * "window_stats": [WindowStats...], "alerts": [DriftAlert...], "business_metrics": [BusinessMetrics...]}}
 * (and {@code "service_levels": [ServiceLevels...]} when service levels are on), the records in Avro's JSON
 * encoding (as
 * on the topics, times in epoch milliseconds, nullable values as {@code {"double": 0.12}}), so that they
 * decode back into the same records.
 */
public final class AnalysisJson {
    private AnalysisJson() {
    }

    public static String render(OfflineAnalysis.Result r) {
        StringBuilder out = new StringBuilder();
        out.append("{\"events\":").append(r.events())
                .append(",\"dead_letters\":").append(r.deadLetters().size())
                .append(",\"settings\":{\"window_size_ms\":").append(r.settings().windowSize().toMillis())
                .append(",\"window_advance_ms\":").append(r.settings().windowAdvance().toMillis())
                .append(",\"grace_ms\":").append(r.settings().grace().toMillis())
                .append(",\"policy_version\":\"").append(r.settings().policy().version().replace("\"", "\\\""))
                .append("\"},\n\"window_stats\":[");
        append(out, r.stats(), WindowStats.getClassSchema());
        out.append("],\n\"alerts\":[");
        append(out, r.alerts(), DriftAlert.getClassSchema());
        out.append("],\n\"business_metrics\":[");
        append(out, r.business(), BusinessMetrics.getClassSchema());
        if (!r.serviceLevels().isEmpty()) {
            out.append("],\n\"service_levels\":[");
            append(out, r.serviceLevels(), ServiceLevels.getClassSchema());
        }
        return out.append("]}\n").toString();
    }

    private static <T extends SpecificRecord> void append(StringBuilder out, List<T> records, Schema schema) {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema);
        for (int i = 0; i < records.size(); i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                Encoder encoder = EncoderFactory.get().jsonEncoder(schema, bytes);
                writer.write(records.get(i), encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.append(i == 0 ? "\n" : ",\n").append(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
