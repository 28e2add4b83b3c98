package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.SubjectSummary;
import dev.driftwatch.streams.internals.WindowBundle;

/**
 * The distributions of the numeric outcomes of a window's requests — the judge score
 * (subject {@value #SUBJECT}) and the value per request (subject {@value MeanCheck#VALUE_SUBJECT}) — kept as
 * subjects of the window like a numeric feature: once the model version has a numeric baseline of the subject,
 * each final request adds its score or value to a summary on the baseline's frozen grid, and the drift signal
 * tests the window against the baseline with every numeric test of the drift-test registry (PSI, KS,
 * Wasserstein, ...), under the policy, with window stats and FIRING/RESOLVED alerts of subject kind BUSINESS.
 * Without such a baseline the window keeps only the business part's count and mean of them (nothing to test
 * a distribution against), so traffic without those baselines has no subject more than before.
 */
public final class JudgeScores {
    /** The subject of judge scores (baseline, window stats, alerts). */
    public static final String SUBJECT = "business.judge.score";

    private JudgeScores() {
    }

    /** Adds a final request's judge score and value to the window's subjects that have a baseline. */
    static void add(WindowBundle window, JoinedRequest r, BaselineLookup baselines) {
        if (r.score() != null) {
            add(window, SUBJECT, r.score(), baselines);
        }
        if (r.valuedOutcomes() > 0) {
            add(window, MeanCheck.VALUE_SUBJECT, r.valueMicros() / 1_000_000.0, baselines);
        }
    }

    private static void add(WindowBundle window, String subject, double v, BaselineLookup baselines) {
        SubjectSummary s = window.subject(subject);
        if (s == null) {
            NumericBaseline b = baselines.find(window.modelId(), window.modelVersion(), subject)
                    .map(BaselineLookup.Entry::numeric).orElse(null);
            if (b == null) {
                return;
            }
            s = SubjectSummary.numeric(b.id(), b.newWindow());
            window.put(subject, s);
        }
        s.add(v);
    }
}
