package dev.driftwatch.streams.quality;

import dev.driftwatch.detectors.TwoProportionTest;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.DataQuality;
import dev.driftwatch.schemas.avro.TestStatistic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-quality checks of one subject in one window, against its reference; a pure function of the counts.
 * See docs/signals.md ("Data quality") for the checks and their defaults.
 */
final class QualityChecks {
    private QualityChecks() {
    }

    /** One check, in the order an alert names the first one over its threshold. */
    enum Check {
        ABSENT("absent", Severity.CRITICAL),
        MISSING_SHARE("missing_share", Severity.WARNING),
        TYPE_MISMATCH("type_mismatch", Severity.WARNING),
        OUT_OF_RANGE("out_of_range", Severity.WARNING),
        UNSEEN_CATEGORIES("unseen_categories", Severity.WARNING);

        final String id;
        final Severity severity;

        Check(String id, Severity severity) {
            this.id = id;
            this.severity = severity;
        }

        static Check fromId(String id) {
            for (Check c : values()) {
                if (c.id.equals(id)) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * One check's outcome.
     *
     * @param value     the share the check measures, or null when undefined
     * @param pValue    the p-value (missing share, absence), or null
     * @param threshold the share at or above which it alerts, or null (absence: decided by its p-value)
     * @param over      whether it is over its threshold in this window
     */
    record Outcome(Check check, Double value, Double pValue, Double threshold, boolean over) {
    }

    /**
     * The checks of a window.
     *
     * @param outcomes the checks that apply, by check
     * @param judged   whether the window counts for the alert's persistence (enough events, or a check over)
     * @param quality  the window's counts for its WindowStats
     */
    record Result(Map<Check, Outcome> outcomes, boolean judged, DataQuality quality) {
        /** The first check over its threshold, or null. */
        Outcome firstOver() {
            return outcomes.values().stream().filter(Outcome::over).findFirst().orElse(null);
        }

        List<TestStatistic> statistics() {
            List<TestStatistic> stats = new ArrayList<>();
            for (Outcome o : outcomes.values()) {
                stats.add(TestStatistic.newBuilder().setTest(o.check().id).setValue(o.value()).setPValue(o.pValue())
                        .setThreshold(o.threshold()).setOverThreshold(o.over()).setErrorBound(null)
                        .setUndefinedReason(o.value() == null ? undefined(o.check()) : null).build());
            }
            return stats;
        }
    }

    private static String undefined(Check c) {
        return c == Check.OUT_OF_RANGE ? "no finite values in the window" : "no values in the window";
    }

    /**
     * Judges a subject's window.
     *
     * @param c      the subject's counts (null when no event carried it)
     * @param events the window's events, ≥ 1
     * @param ref    the subject's reference, or null without a baseline (then only shares are reported)
     */
    static Result judge(QualityPart.Counts c, long events, QualityReference ref, QualitySettings s) {
        QualityPart.Counts counts = c == null ? new QualityPart.Counts() : c;
        long absent = counts.absent(events);
        long missingAll = absent + counts.missing() + counts.infinite();
        double missingShare = (double) missingAll / events;
        boolean enough = events >= s.minEvents();
        Map<Check, Outcome> outcomes = new LinkedHashMap<>();
        Double refShare = null;
        Double missingP = null;
        if (ref != null && ref.observations() > 0) {
            refShare = (double) ref.missing() / ref.observations();
            boolean whole = absent == events;
            double q = ref.presentShare();
            double pAbsent = whole ? Math.pow(1 - q, events) : 1.0;
            outcomes.put(Check.ABSENT, new Outcome(Check.ABSENT, (double) absent / events, whole ? pAbsent : null, null,
                    whole && q > 0 && pAbsent <= s.alpha()));
            missingP = TwoProportionTest.upperTail(missingAll, events, ref.missing(), ref.observations()).pValue();
            double threshold = refShare + s.missingIncrease();
            outcomes.put(Check.MISSING_SHARE, new Outcome(Check.MISSING_SHARE, missingShare, missingP, threshold,
                    enough && missingShare >= threshold && missingP <= s.alpha()));
            double typeShare = (double) counts.typeMismatch() / events;
            outcomes.put(Check.TYPE_MISMATCH, new Outcome(Check.TYPE_MISMATCH, typeShare, null, s.typeShare(),
                    counts.typeMismatch() > 0 && typeShare >= s.typeShare()));
            if (ref.numeric() && ref.low() != null) {
                Double share = counts.present() == 0 ? null : (double) counts.outOfRange() / counts.present();
                outcomes.put(Check.OUT_OF_RANGE, new Outcome(Check.OUT_OF_RANGE, share, null, s.rangeShare(),
                        enough && share != null && share >= s.rangeShare()));
            } else if (!ref.numeric()) {
                Double share = counts.present() == 0 ? null : (double) counts.unseen() / counts.present();
                outcomes.put(Check.UNSEEN_CATEGORIES, new Outcome(Check.UNSEEN_CATEGORIES, share, null, s.unseenShare(),
                        enough && share != null && share >= s.unseenShare()));
            }
        } else {
            outcomes.put(Check.MISSING_SHARE, new Outcome(Check.MISSING_SHARE, missingShare, null, null, false));
        }
        List<String> problems = new ArrayList<>();
        outcomes.values().stream().filter(Outcome::over).forEach(o -> problems.add(o.check().name()));
        Map<String, Long> top = new LinkedHashMap<>();
        counts.topUnseen(s.unseenTop()).forEach(e -> top.put(e.getKey(), e.getValue()));
        boolean numeric = ref != null && ref.numeric();
        DataQuality quality = DataQuality.newBuilder()
                .setEvents(events)
                .setAbsentCount(absent)
                .setAbsent(absent == events)
                .setMissingShare(missingShare)
                .setReferenceMissingShare(refShare)
                .setMissingPValue(missingP)
                .setInfiniteCount(counts.infinite())
                .setOutOfRangeCount(counts.outOfRange())
                .setOutOfRangeShare(numeric && ref.low() != null && counts.present() > 0
                        ? (double) counts.outOfRange() / counts.present() : null)
                .setRangeLow(numeric ? ref.low() : null)
                .setRangeHigh(numeric ? ref.high() : null)
                .setUnseenCount(counts.unseen())
                .setUnseenShare(ref != null && !ref.numeric() && counts.present() > 0
                        ? (double) counts.unseen() / counts.present() : null)
                .setUnseenTop(top)
                .setTypeMismatchCount(counts.typeMismatch())
                .setTypeMismatchExample(counts.typeExample())
                .setProblems(problems)
                .build();
        return new Result(outcomes, enough || !problems.isEmpty(), quality);
    }
}
