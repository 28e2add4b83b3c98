package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.WindowBundle;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference of one {@link OutcomeRate}: its successes and trials over a reference period. It travels as an
 * ordinary categorical {@link Baseline} of the rate's subject on the baselines topic, with the rate's two
 * categories (e.g. {@code negative} and {@code positive} for {@code business.feedback.negative}), so that it has
 * an id, a content hash and a provenance like every other baseline. It is captured from retained windows by
 * {@code ctl capture-baseline}, like the CTR baseline ({@link CtrBaseline} is the CTR's).
 *
 * @param rate      the rate
 * @param id        the baseline's id
 * @param source    where the reference came from (provenance source)
 * @param trials    trials of the reference period, &ge; 1
 * @param successes successes of the reference period, in [0, trials]
 */
public record RateBaseline(OutcomeRate rate, String id, String source, long trials, long successes) {

    public RateBaseline {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("a " + rate.label() + " baseline needs trials >= 1 and 0 <= successes"
                    + " <= trials, got " + successes + " of " + trials);
        }
    }

    /** successes / trials, in [0, 1]. */
    public double value() {
        return (double) successes / trials;
    }

    /** The rate's baseline in a baseline record, or empty when the record is not one. */
    public static Optional<RateBaseline> from(Baseline b, OutcomeRate rate) {
        if (b == null || b.getKind() != FeatureKind.CATEGORICAL) {
            return Optional.empty();
        }
        Map<String, Long> counts = b.getCategoryCounts();
        Long yes = counts.get(rate.successCategory());
        Long no = counts.get(rate.failureCategory());
        long s = yes == null ? 0 : yes;
        long n = s + (no == null ? 0 : no);
        if (n < 1 || counts.size() > 2 || s < 0) {
            return Optional.empty();
        }
        return Optional.of(new RateBaseline(rate, b.getBaselineId(), b.getProvenance().getSource(), n, s));
    }

    /**
     * A baseline record of a model version's rate.
     *
     * @param source     provenance, e.g. {@code windows:FROM..TO}
     * @param fromMillis start of the reference period, or null
     * @param toMillis   end (exclusive) of the reference period, or null
     * @param commandId  the control command that captured it, or null
     * @throws IllegalArgumentException when the counts are impossible
     */
    public static Baseline toAvro(OutcomeRate rate, String model, String version, long trials, long successes,
                                  String source, Long fromMillis, Long toMillis, String commandId) {
        new RateBaseline(rate, "-", source, trials, successes); // checks the counts
        CategoricalSummary s = new CategoricalSummary();
        s.addCount(rate.successCategory(), successes);
        s.addCount(rate.failureCategory(), trials - successes);
        return BaselineCodec.toAvro(model, version, rate.subject(),
                CategoricalBaseline.fromSummary(s, source, fromMillis, toMillis), commandId);
    }

    /**
     * The rate's baseline of a set of windows (non-overlapping, of one model version): their trials and
     * successes added up; empty when they had no trial.
     */
    public static Optional<Baseline> fromWindows(OutcomeRate rate, String model, String version,
                                                 List<WindowBundle> windows, String source, Long fromMillis,
                                                 Long toMillis, String commandId) {
        long trials = 0;
        long successes = 0;
        for (WindowBundle w : windows) {
            BusinessPart part = (BusinessPart) w.part(BusinessPart.NAME);
            if (part != null) {
                trials += rate.trials(part);
                successes += rate.successes(part);
            }
        }
        return trials == 0 ? Optional.empty() : Optional.of(toAvro(rate, model, version, trials, successes, source,
                fromMillis, toMillis, commandId));
    }
}
