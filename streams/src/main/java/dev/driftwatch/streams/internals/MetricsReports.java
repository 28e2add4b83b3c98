package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineMetrics;

/** Turns the records of the evaluating stage into metrics, so that the processor needs one line each. */
public final class MetricsReports {
    private MetricsReports() {
    }

    /** The statistics of one subject's window, and the window mean of a numeric subject. */
    public static void windowStats(PipelineMetrics metrics, WindowStats ws, SubjectSummary summary) {
        for (TestStatistic t : ws.getStatistics()) {
            if (!"none".equals(t.getTest())) {
                metrics.statistic(ws.getModelId(), ws.getModelVersion(), ws.getSubject(), t.getTest(),
                        t.getValue() == null ? Double.NaN : t.getValue());
            }
        }
        if (summary.kind() == SubjectSummary.Kind.NUMERIC && summary.numericSummary().count() > 0) {
            metrics.windowMean(ws.getModelId(), ws.getModelVersion(), ws.getSubject(), summary.numericSummary().mean());
        }
    }

    /**
     * One alert: a FIRING or RESOLVED state change, with the severity it fired with (a muted subject's
     * state changes count too).
     */
    public static void alert(PipelineMetrics metrics, String model, String version, Transition transition, Severity severity) {
        metrics.alert(model, version, transition.name(), severity == Severity.CRITICAL ? "CRITICAL" : "WARNING");
    }
}
