package dev.driftwatch.streams.review;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.ReviewRequest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides which valid inference events a person should review, and builds their {@link ReviewRequest}.
 *
 * <p>An event is copied when review is enabled and its outputs carry a finite confidence strictly below
 * {@code review.confidence.threshold}: a confidence equal to the threshold is not low. An event without a
 * confidence, or with NaN or an infinite one, is not copied (the confidence subject counts it as missing).
 * The copy keeps the model version, the role, the outputs, the features and the segment, and says why.
 */
public final class ReviewCopies {
    private final ReviewSettings settings;

    public ReviewCopies(ReviewSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The review request for a valid event, or null when it needs none (or review is disabled). */
    public ReviewRequest requestFor(InferenceEvent event) {
        if (!settings.enabled()) {
            return null;
        }
        ModelOutputs outputs = event.getOutputs();
        Double confidence = outputs == null ? null : outputs.getConfidence();
        if (confidence == null || !Double.isFinite(confidence) || confidence >= settings.confidenceThreshold()) {
            return null;
        }
        return ReviewRequest.newBuilder()
                .setEventId(event.getEventId())
                .setRequestId(event.getRequestId())
                .setModelId(event.getModelId())
                .setModelVersion(event.getModelVersion())
                .setRole(event.getRole() == null ? "PRIMARY" : event.getRole().name())
                .setEventTime(event.getEventTime())
                .setReason(reason(confidence, settings.confidenceThreshold()))
                .setConfidence(confidence)
                .setThreshold(settings.confidenceThreshold())
                .setScore(outputs.getScore())
                .setLabel(outputs.getLabel())
                .setNumericFeatures(new LinkedHashMap<>(event.getNumericFeatures()))
                .setCategoricalFeatures(new LinkedHashMap<>(event.getCategoricalFeatures()))
                .setSegment(new LinkedHashMap<>(event.getSegment()))
                .build();
    }

    /** The reason sentence, e.g. "confidence 0.31 below the review threshold 0.5 (review.confidence.threshold)". */
    static String reason(double confidence, double threshold) {
        return String.format(Locale.ROOT, "confidence %s below the review threshold %s (%s)",
                plain(confidence), plain(threshold), ReviewSettings.CONFIDENCE_THRESHOLD_CONFIG);
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
