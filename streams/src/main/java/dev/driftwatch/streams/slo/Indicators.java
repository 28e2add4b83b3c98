package dev.driftwatch.streams.slo;

import dev.driftwatch.detectors.slo.BurnRates;
import dev.driftwatch.streams.business.BusinessPart;
import dev.driftwatch.streams.internals.WindowBundle;

/** The built-in indicators, read from the window's {@link ServiceLevelPart} (CTR: its {@link BusinessPart}). */
final class Indicators {
    private Indicators() {
    }

    private static ServiceLevelPart part(WindowBundle window) {
        return (ServiceLevelPart) window.part(ServiceLevelPart.NAME);
    }

    /** Window-based: good when the window's p-th percentile latency is at most the bound (ms). */
    record Latency(int percentile, double boundMs) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            ServiceLevelPart p = part(window);
            if (p == null || p.latency().count() == 0) {
                return null;
            }
            return Counts.window(p.latency().quantile(percentile / 100.0) <= boundMs);
        }

        @Override
        public String text() {
            return "latency.p" + percentile + "<=" + number(boundMs);
        }

        @Override
        public BurnRates.Counting counting() {
            return BurnRates.Counting.WINDOWS;
        }
    }

    /** Request-based: a call is bad when it carries an error code. */
    record ErrorRate(double bound) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            ServiceLevelPart p = part(window);
            if (p == null || p.requests() == 0) {
                return null;
            }
            return new Counts(p.requests() - p.errors(), p.requests());
        }

        @Override
        public String text() {
            return "error.rate<=" + number(bound);
        }

        @Override
        public BurnRates.Counting counting() {
            return BurnRates.Counting.REQUESTS;
        }
    }

    /** Window-based: good when the share of low-confidence outputs is at most the bound. */
    record LowConfidenceShare(double bound) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            ServiceLevelPart p = part(window);
            if (p == null || p.confidenceCount() == 0) {
                return null;
            }
            return Counts.window((double) p.lowConfidenceCount() / p.confidenceCount() <= bound);
        }

        @Override
        public String text() {
            return "low.confidence.share<=" + number(bound);
        }

        @Override
        public BurnRates.Counting counting() {
            return BurnRates.Counting.WINDOWS;
        }
    }

    /**
     * A window-based indicator of the business outcomes (CTR, conversions, feedback, success): it needs the
     * business signal's window part, and counts good and bad windows.
     */
    interface OutcomeIndicator extends ServiceLevelIndicator {
        @Override
        default BurnRates.Counting counting() {
            return BurnRates.Counting.WINDOWS;
        }

        @Override
        default boolean needsBusiness() {
            return true;
        }
    }

    /**
     * Window-based: good when the window's CTR (clicks / impressions of its joined requests) is at least
     * {@code ratio} × the CTR of the version's baseline. A window with fewer impressions than
     * {@code business.ctr.min.impressions}, or of a version without a CTR baseline, is not judged.
     */
    record CtrRatio(double ratio) implements OutcomeIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            BusinessPart p = (BusinessPart) window.part(BusinessPart.NAME);
            if (p == null || context.ctrBaseline() == null || p.impressions() == 0
                    || p.impressions() < context.minImpressions()) {
                return null;
            }
            double ctr = p.ctr();
            return Counts.window(ctr >= ratio * context.ctrBaseline().ctr());
        }

        @Override
        public String text() {
            return "ctr.ratio>=" + number(ratio);
        }
    }

    /**
     * Window-based: good when the window's conversion rate (conversions per click of its joined requests) is at
     * least {@code ratio} × the conversion rate of the version's baseline (subject {@code business.conversion}).
     * A window with fewer clicks than {@code business.outcomes.min.count}, or of a version without that baseline,
     * is not judged.
     */
    record ConversionRatio(double ratio) implements OutcomeIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            BusinessPart p = (BusinessPart) window.part(BusinessPart.NAME);
            if (p == null || context.conversionBaseline() == null || p.clicks() == 0
                    || p.clicks() < context.minOutcomes()) {
                return null;
            }
            return Counts.window((double) p.conversions() / p.clicks() >= ratio * context.conversionBaseline().value());
        }

        @Override
        public String text() {
            return "conversion.ratio>=" + number(ratio);
        }
    }

    /**
     * Window-based: good when the window's negative-feedback rate (requests with FEEDBACK_NEGATIVE over those
     * with either feedback) is at most the bound; a window with fewer requests with feedback than
     * {@code business.outcomes.min.count} is not judged.
     */
    record NegativeFeedback(double bound) implements OutcomeIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            BusinessPart p = (BusinessPart) window.part(BusinessPart.NAME);
            long n = p == null ? 0 : p.feedbackNegative() + p.feedbackPositive();
            if (n == 0 || n < context.minOutcomes()) {
                return null;
            }
            return Counts.window((double) p.feedbackNegative() / n <= bound);
        }

        @Override
        public String text() {
            return "feedback.negative<=" + number(bound);
        }
    }

    /**
     * Window-based: good when the window's success rate (requests with SUCCESS over those with SUCCESS or
     * FAILURE) is at least the bound; a window with fewer such requests than {@code business.outcomes.min.count}
     * is not judged.
     */
    record SuccessRate(double bound) implements OutcomeIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            BusinessPart p = (BusinessPart) window.part(BusinessPart.NAME);
            long n = p == null ? 0 : p.successes() + p.failures();
            if (n == 0 || n < context.minOutcomes()) {
                return null;
            }
            return Counts.window((double) p.successes() / n >= bound);
        }

        @Override
        public String text() {
            return "success.rate>=" + number(bound);
        }
    }

    /** Window-based: good when the window's mean cost per call (of the calls that report a cost) is at most the bound. */
    record CostPerCall(double bound) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            ServiceLevelPart p = part(window);
            if (p == null || p.costCount() == 0) {
                return null;
            }
            return Counts.window(p.cost() / p.costCount() <= bound);
        }

        @Override
        public String text() {
            return "cost.per.call<=" + number(bound);
        }

        @Override
        public BurnRates.Counting counting() {
            return BurnRates.Counting.WINDOWS;
        }
    }

    /**
     * Window-based: good when the window's 95th percentile of output tokens per call is at most the bound (from a
     * log-bucket summary, within 1 % of the exact order statistic, as latency).
     */
    record TokensOutP95(double bound) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window, Context context) {
            ServiceLevelPart p = part(window);
            if (p == null || p.tokensOutSummary().count() == 0) {
                return null;
            }
            return Counts.window(p.tokensOutSummary().quantile(0.95) <= bound);
        }

        @Override
        public String text() {
            return "tokens.out.p95<=" + number(bound);
        }

        @Override
        public BurnRates.Counting counting() {
            return BurnRates.Counting.WINDOWS;
        }
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
