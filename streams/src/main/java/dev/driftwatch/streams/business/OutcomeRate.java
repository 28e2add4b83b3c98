package dev.driftwatch.streams.business;

import java.util.List;

/**
 * An outcome rate watched per window: successes over trials among a window's joined requests, the subject
 * of its baseline and alerts, the two categories its baseline is stored with, and which way is bad. Each is
 * tested by {@link RateCheck} against its {@link RateBaseline} in the same way as the CTR.
 */
public enum OutcomeRate {
    /** Clicks per impression (requests with an impression and a click over requests with an impression). */
    CTR(CtrBaseline.SUBJECT, "CTR", CtrBaseline.CLICK, CtrBaseline.NO_CLICK, Direction.DROP, "impressions"),
    /** Conversions per click (requests with impression, click and conversion over those with impression and click). */
    CONVERSION("business.conversion", "conversion rate", "conversion", "no_conversion", Direction.DROP, "clicks"),
    /** Negative feedback over all feedback (requests with FEEDBACK_NEGATIVE over those with either kind). */
    NEGATIVE_FEEDBACK("business.feedback.negative", "negative-feedback rate", "negative", "positive", Direction.RISE,
            "requests with feedback"),
    /** Task success (requests with SUCCESS over those with SUCCESS or FAILURE). */
    SUCCESS("business.success", "success rate", "success", "failure", Direction.DROP,
            "requests with SUCCESS or FAILURE");

    /** Which change of the rate is bad. */
    public enum Direction {
        /** A drop below the baseline (CTR, conversions, success). */
        DROP,
        /** A rise above the baseline (negative feedback). */
        RISE
    }

    private final String subject;
    private final String label;
    private final String success;
    private final String failure;
    private final Direction bad;
    private final String trialsLabel;

    OutcomeRate(String subject, String label, String success, String failure, Direction bad, String trialsLabel) {
        this.trialsLabel = trialsLabel;
        this.subject = subject;
        this.label = label;
        this.success = success;
        this.failure = failure;
        this.bad = bad;
    }

    /** The subject of the rate's baseline and alerts, e.g. {@code business.conversion}. */
    public String subject() {
        return subject;
    }

    /** How messages name it, e.g. "conversion rate". */
    public String label() {
        return label;
    }

    /** The baseline category of the trials counted as successes. */
    public String successCategory() {
        return success;
    }

    /** The baseline category of the other trials. */
    public String failureCategory() {
        return failure;
    }

    public Direction bad() {
        return bad;
    }

    /** How messages name its trials, e.g. "impressions". */
    public String trialsLabel() {
        return trialsLabel;
    }

    /** The rates besides the CTR, which has its own thresholds ({@code business.ctr.*}). */
    public static List<OutcomeRate> outcomes() {
        return List.of(CONVERSION, NEGATIVE_FEEDBACK, SUCCESS);
    }

    /** Successes of the window. */
    public long successes(BusinessPart p) {
        return switch (this) {
            case CTR -> p.clicks();
            case CONVERSION -> p.conversions();
            case NEGATIVE_FEEDBACK -> p.feedbackNegative();
            case SUCCESS -> p.successes();
        };
    }

    /** Trials of the window. */
    public long trials(BusinessPart p) {
        return switch (this) {
            case CTR -> p.impressions();
            case CONVERSION -> p.clicks();
            case NEGATIVE_FEEDBACK -> p.feedbackNegative() + p.feedbackPositive();
            case SUCCESS -> p.successes() + p.failures();
        };
    }

    /** The rate of the subject, or empty when it is no rate's. */
    public static java.util.Optional<OutcomeRate> ofSubject(String subject) {
        for (OutcomeRate r : values()) {
            if (r.subject.equals(subject)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
