package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.policy.DatasetVerdict;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.internals.JsonWriter;
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
 * encoding (as on the topics, times in epoch milliseconds, nullable values as {@code {"double": 0.12}}), so
 * that they decode back into the same records; then {@code "dataset_verdicts"}, one per model version, the
 * most drifted first, as the report's verdicts at its top:
 * <pre>{@code
 * {"model_id":"m","model_version":"v2","drifted":true,"severity":"WARNING","drifted_features":12,
 *  "judged_features":20,"drifted_share":0.6,"share_threshold":0.5,"worst_window_start":1793523600000,
 *  "worst_window_end":1793523900000,"windows":48,"windows_with_dataset_drift":30}
 * }</pre>
 * The worst window is the one with the largest drifted share (then the largest effects, then the latest);
 * the share is of the features the policy could judge in it (outputs are not counted). Without any judged
 * window, {@code drifted} is false and the window's figures are null.
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
        out.append("],\n\"dataset_verdicts\":[");
        List<VersionSummary> versions = VersionSummary.of(r.stats(), r.settings().policy());
        for (int i = 0; i < versions.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append(verdict(versions.get(i), r.settings().windowSize().toMillis()));
        }
        return out.append("]}\n").toString();
    }

    /** A model version's dataset verdict in its worst window. */
    static String verdict(VersionSummary v, long windowSizeMs) {
        DatasetVerdict worst = v.worstVerdict();
        JsonWriter w = new JsonWriter().beginObject()
                .name("model_id").value(v.modelId)
                .name("model_version").value(v.modelVersion)
                .name("drifted").value(worst != null && worst.isDrifted())
                .name("severity").value(worst == null ? null : worst.severity().name());
        if (worst == null) {
            w.name("drifted_features").nullValue().name("judged_features").nullValue()
                    .name("drifted_share").nullValue().name("share_threshold").nullValue()
                    .name("worst_window_start").nullValue().name("worst_window_end").nullValue();
        } else {
            long start = v.windows.get(v.worst).toEpochMilli();
            w.name("drifted_features").value(worst.driftedFeatures())
                    .name("judged_features").value(worst.totalFeatures())
                    .name("drifted_share").value(worst.share())
                    .name("share_threshold").value(worst.shareThreshold())
                    .name("worst_window_start").value(start)
                    .name("worst_window_end").value(start + windowSizeMs);
        }
        return w.name("windows").value(v.windows.size())
                .name("windows_with_dataset_drift").value(v.datasetDriftWindows())
                .endObject().toString();
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
