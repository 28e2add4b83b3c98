package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.DatasetVerdict;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One model version's windows as the report reads them: each window's dataset verdict (drifted features
 * over the judged ones, decided by the policy as the pipeline decides it) and the worst window, whose
 * statistics the per-feature table shows.
 */
final class VersionSummary {
    final String modelId;
    final String modelVersion;
    /** Window starts, ascending. */
    final List<Instant> windows;
    /** Subject → its windows' statistics by window start. */
    final Map<String, Map<Instant, WindowStats>> subjects = new TreeMap<>();
    /** The dataset verdict of each window, by window index (null when no feature was judged). */
    final List<DatasetVerdict> verdicts = new ArrayList<>();
    /** Index of the worst window: the largest drifted share, then the largest effects, then the latest. */
    final int worst;

    VersionSummary(String modelId, String modelVersion, List<WindowStats> stats, AlertPolicy policy) {
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        Set<Instant> starts = new TreeSet<>();
        for (WindowStats s : stats) {
            starts.add(s.getWindowStart());
            subjects.computeIfAbsent(s.getSubject(), k -> new TreeMap<>()).put(s.getWindowStart(), s);
        }
        windows = List.copyOf(starts);
        int best = windows.size() - 1;
        double bestShare = -1;
        double bestEffects = -1;
        for (int i = 0; i < windows.size(); i++) {
            List<Severity> judged = new ArrayList<>();
            double effects = 0;
            for (Map<Instant, WindowStats> byWindow : subjects.values()) {
                WindowStats s = byWindow.get(windows.get(i));
                if (s == null) {
                    continue;
                }
                double ratio = effectRatio(s, policy);
                effects += Double.isNaN(ratio) ? 0 : ratio;
                if (isFeature(s) && s.getEvidence() != null && !s.getInsufficientData()) {
                    judged.add(s.getDrifting() ? Severity.WARNING : Severity.NONE);
                }
            }
            DatasetVerdict v = judged.isEmpty() ? null : policy.decideDatasetFromSeverities(judged);
            verdicts.add(v);
            double share = v == null ? -0.5 : v.share();
            if (share > bestShare || (share == bestShare && effects >= bestEffects)) {
                best = i;
                bestShare = share;
                bestEffects = effects;
            }
        }
        worst = Math.max(0, best);
    }

    /** The model versions with statistics, the most drifted first (by the worst window's drifted share), then by name. */
    static List<VersionSummary> of(List<WindowStats> stats, AlertPolicy policy) {
        Map<String, List<WindowStats>> byVersion = new TreeMap<>();
        for (WindowStats s : stats) {
            if (QualityTable.isQuality(s) || PerformanceTable.isPerformance(s)) {
                continue; // the data-quality and model-performance sections'
            }
            byVersion.computeIfAbsent(s.getModelId() + "\u0000" + s.getModelVersion(), k -> new ArrayList<>()).add(s);
        }
        List<VersionSummary> out = new ArrayList<>();
        byVersion.forEach((k, list) -> out.add(new VersionSummary(list.get(0).getModelId(),
                list.get(0).getModelVersion(), list, policy)));
        out.sort(Comparator.comparingDouble((VersionSummary v) -> v.worstVerdict() == null ? -1 : -v.worstVerdict().share())
                .thenComparing(VersionSummary::name));
        return out;
    }

    String name() {
        return modelId + " " + modelVersion;
    }

    DatasetVerdict worstVerdict() {
        return verdicts.isEmpty() ? null : verdicts.get(worst);
    }

    long datasetDriftWindows() {
        return verdicts.stream().filter(v -> v != null && v.isDrifted()).count();
    }

    /** A subject's statistics in window {@code i}, or null. */
    WindowStats at(String subject, int i) {
        return subjects.get(subject).get(windows.get(i));
    }

    static boolean isFeature(WindowStats s) {
        return s.getSubjectKind().toLowerCase(Locale.ROOT).equals("feature");
    }

    /** The deciding effect statistic furthest over its threshold (by value ÷ threshold), or null. */
    static TestStatistic decidingEffect(WindowStats s, AlertPolicy policy) {
        TestStatistic best = null;
        double bestRatio = Double.NEGATIVE_INFINITY;
        Set<String> deciding = new TreeSet<>();
        policy.decidingTests().forEach(t -> deciding.add(t.id()));
        for (TestStatistic t : s.getStatistics()) {
            if (!deciding.contains(t.getTest().toLowerCase(Locale.ROOT)) || t.getThreshold() == null) {
                continue;
            }
            double ratio = t.getValue() == null ? Double.NEGATIVE_INFINITY : t.getValue() / t.getThreshold();
            if (best == null || ratio > bestRatio) {
                best = t;
                bestRatio = ratio;
            }
        }
        return best;
    }

    static double effectRatio(WindowStats s, AlertPolicy policy) {
        TestStatistic t = decidingEffect(s, policy);
        return t == null || t.getValue() == null || t.getThreshold() <= 0 ? Double.NaN : t.getValue() / t.getThreshold();
    }

    /** The first statistic with a p-value (KS or chi-square), or null. */
    static TestStatistic significance(WindowStats s) {
        for (TestStatistic t : s.getStatistics()) {
            if (t.getPValue() != null) {
                return t;
            }
        }
        return null;
    }
}
