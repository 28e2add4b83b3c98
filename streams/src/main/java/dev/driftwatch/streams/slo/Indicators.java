package dev.driftwatch.streams.slo;

import dev.driftwatch.streams.internals.WindowBundle;

/** The built-in indicators, all read from the window's {@link ServiceLevelPart}. */
final class Indicators {
    private Indicators() {
    }

    private static ServiceLevelPart part(WindowBundle window) {
        return (ServiceLevelPart) window.part(ServiceLevelPart.NAME);
    }

    /** Window-based: good when the window's p-th percentile latency is at most the bound (ms). */
    record Latency(int percentile, double boundMs) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window) {
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
    }

    /** Request-based: a call is bad when it carries an error code. */
    record ErrorRate(double bound) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window) {
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
    }

    /** Window-based: good when the share of low-confidence outputs is at most the bound. */
    record LowConfidenceShare(double bound) implements ServiceLevelIndicator {
        @Override
        public Counts measure(WindowBundle window) {
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
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
