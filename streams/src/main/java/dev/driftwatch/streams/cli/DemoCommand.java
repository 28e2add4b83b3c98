package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.demo.LlmDemoRun;
import dev.driftwatch.streams.demo.LlmFeedback;
import dev.driftwatch.streams.demo.LlmTraffic;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.performance.PerformanceSignal;
import dev.driftwatch.streams.review.ReviewSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code driftwatch demo}: the whole pipeline on an embedded broker, with an injected drift. */
@Command(name = "demo",
        header = "Run the pipeline end to end on this machine (embedded Kafka) and show its alerts.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Starts an embedded Kafka broker (KRaft) and an in-memory schema registry, publishes",
            "baselines of two versions of a click-through-rate model, streams windows of sample",
            "traffic (event time) with a drift injected into version 1.5.0 at a known window,",
            "prints alerts as they arrive on driftwatch-alerts, and ends with a summary.",
            "Outcome events (impressions, clicks, conversions) go with the traffic; the drifted",
            "traffic clicks less, so a CTR alert follows the drift, and every alert shows the CTR",
            "of its window (driftwatch-business-metrics has the windowed CTR). Clicks follow the",
            "model's score (a calibrated model, whose performance baseline is published with the",
            "others) until the drift; then the drifted traffic's clicks follow a propensity its score",
            "no longer follows, so PERFORMANCE alerts (calibration, ROC AUC) come with the CTR drop.",
            "The other signals show briefly: a shadow of the stable version scores a copy of its",
            "requests and is compared with it on every window (driftwatch-role-comparisons), events",
            "of low confidence are copied for review (driftwatch-review), and the summary gives each",
            "version's service levels of the last window (driftwatch-service-levels).",
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--windows", defaultValue = "10", description = "Windows of traffic (default ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--events-per-window", defaultValue = "1500",
            description = "Events per window and model version (default ${DEFAULT-VALUE}).")
    int eventsPerWindow;

    @Option(names = "--drift-from", defaultValue = "5",
            description = "First window (0-based) of the injected drift (default ${DEFAULT-VALUE}).")
    int driftFrom;

    @Option(names = "--partitions", defaultValue = "3",
            description = "Partitions of the inference-events topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenario", defaultValue = "ctr", paramLabel = "SCENARIO",
            description = "ctr (a click-through-rate model, the default) or llm (a chat model: texts, tokens, cost,"
                    + " error codes, prompt embeddings and users' thumbs up/down, whose prompt mix shifts from"
                    + " --drift-from on, and negative feedback rises with it).")
    String scenario;

    @Option(names = "--verbose", description = "Also print every window's statistics.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        quietBrokerLogs();
        PrintWriter out = spec.commandLine().getOut();
        if (!scenario.equals("ctr") && !scenario.equals("llm")) {
            spec.commandLine().getErr().println("driftwatch demo: --scenario '" + scenario + "' is not known; use ctr"
                    + " or llm");
            return DriftwatchCli.EXIT_BAD_INPUT;
        }
        if (windows < 2 || eventsPerWindow < 50 || driftFrom < 1 || driftFrom >= windows || partitions < 1) {
            spec.commandLine().getErr().println("driftwatch demo: need --windows >= 2, --events-per-window >= 50, "
                    + "1 <= --drift-from < --windows and --partitions >= 1");
            return DriftwatchCli.EXIT_BAD_INPUT;
        }
        out.println("driftwatch demo: starting an embedded Kafka broker (KRaft) ...");
        out.flush();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(List.of("inference-events", "outcome-events"), partitions);
            broker.createTopics(List.of("driftwatch-baselines", "driftwatch-window-stats", "driftwatch-alerts",
                    "driftwatch-dlq", "driftwatch-control", "driftwatch-control-results",
                    "driftwatch-business-metrics", Topics.SERVICE_LEVELS, Topics.ROLE_COMPARISONS, Topics.REVIEW), 1);
            out.println("driftwatch demo: broker at " + broker.bootstrapServers());
            if (scenario.equals("llm")) {
                DemoRun.Plan llm = new DemoRun.Plan(windows, eventsPerWindow, driftFrom, Duration.ofMinutes(1), 5_000,
                        0, seed);
                LlmDemoRun.Outcome o = new LlmDemoRun(broker.bootstrapServers(), out).run(llm, partitions,
                        Duration.ofSeconds(120));
                return summariseLlm(out, o, llm);
            }
            DemoRun.Plan plan = new DemoRun.Plan(windows, eventsPerWindow, driftFrom, Duration.ofMinutes(1), 20_000,
                    3, seed);
            DemoRun run = new DemoRun(broker.bootstrapServers(), out, verbose).withOutcomes(true).withSignals(true);
            DemoRun.Outcome outcome = run.run(plan, partitions, Duration.ofSeconds(180));
            return summarise(out, outcome, plan, run.versions());
        }
    }

    /** The embedded broker's own log lines are noise in a demo; errors of driftwatch still show. */
    private static void quietBrokerLogs() {
        System.setProperty("org.slf4j.simpleLogger.log.kafka", "off");
        System.setProperty("org.slf4j.simpleLogger.log.state.change.logger", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.controller", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.StateDirectory",
                "off");
    }

    /**
     * Prints the review copies, the shadow's comparisons and the last window's service levels, and says
     * whether they are as expected: one review copy per low-confidence event, a comparison per window in
     * which the shadow agrees with the stable version (and no ROLE alert), service levels per window and
     * version.
     */
    private static boolean signals(PrintWriter out, DemoRun.Outcome o, DemoRun.Plan plan, List<String> versions) {
        out.printf("  review copies          %,d of %,d events below confidence %s%n", o.reviewCopies(),
                o.lowConfidenceSent(), ReviewSettings.DEFAULT_CONFIDENCE_THRESHOLD);
        ReviewRequest example = o.reviewExample();
        if (example != null) {
            out.printf("    e.g. %s %s %s request %s: %s%n", example.getModelVersion(), example.getRole(),
                    example.getLabel(), example.getRequestId(), example.getReason());
        }
        List<RoleComparison> comparisons = o.roleComparisons();
        long agreeing = comparisons.stream().filter(c -> !c.getDiffers() && c.getPairedRequests() > 0).count();
        long roleAlerts = o.alerts().stream().filter(a -> a.getSubjectKind() == SubjectKind.ROLE).count();
        out.printf("  %-22s %d of %d windows agree with %s, %d ROLE alerts%n", "shadow " + DemoRun.SHADOW_VERSION,
                agreeing, plan.windows(), DemoRun.STABLE_VERSION, roleAlerts);
        if (!comparisons.isEmpty()) {
            out.printf("    last window: %s%n", DemoRun.describe(comparisons.get(comparisons.size() - 1)));
        }
        out.printf("  service levels         %d of %d windows; last window per version:%n", o.serviceLevels().size(),
                versions.size() * plan.windows());
        Map<String, ServiceLevels> last = new TreeMap<>();
        for (ServiceLevels s : o.serviceLevels()) {
            last.merge(s.getModelVersion(), s, (a, b) -> b.getWindowStart().isAfter(a.getWindowStart()) ? b : a);
        }
        last.forEach((version, s) -> out.printf(Locale.ROOT, "    %-8s [window %s] p95 latency %s ms, error rate %s,"
                        + " cost per request %s, low-confidence share %s%n", version, s.getWindowStart(),
                number(s.getLatencyP95Ms(), "%.1f"), number(s.getErrorRate(), "%.4f"),
                number(s.getCostPerRequest(), "%.6f"), number(s.getLowConfidenceShare(), "%.4f")));
        return o.reviewCopies() > 0 && o.reviewCopies() == o.lowConfidenceSent() && example != null
                && comparisons.size() == plan.windows() && agreeing == plan.windows() && roleAlerts == 0
                && o.serviceLevels().size() == versions.size() * plan.windows() && last.keySet().equals(
                        new TreeSet<>(versions));
    }

    /**
     * Prints the performance alerts and the drifting version's realized and estimated performance before and after
     * the drift, and says whether they are as expected: {@link #EXPECTED_PERFORMANCE} fire for the drifting version
     * from the drift on (its clicks stop following its scores), none fires for another version or before the drift,
     * and every window of the two versions has its performance record.
     */
    private static boolean performance(PrintWriter out, DemoRun.Outcome o, DemoRun.Plan plan) {
        long drift = DEMO_START.toEpochMilli() + plan.driftFromWindow() * plan.windowSize().toMillis();
        Map<String, DriftAlert> first = new TreeMap<>();
        Set<String> unexpected = new TreeSet<>();
        Set<String> early = new TreeSet<>();
        for (DriftAlert a : o.alerts()) {
            if (a.getSubjectKind() != SubjectKind.PERFORMANCE || a.getState() != AlertState.FIRING) {
                continue;
            }
            String name = a.getModelVersion() + " " + a.getSubject();
            first.putIfAbsent(name, a);
            if (!a.getModelVersion().equals(DemoRun.DRIFTING_VERSION) || !EXPECTED_PERFORMANCE.contains(a.getSubject())) {
                unexpected.add(name);
            } else if (a.getWindowStart().toEpochMilli() < drift) {
                early.add(name);
            }
        }
        Set<String> missed = new TreeSet<>();
        for (String subject : EXPECTED_PERFORMANCE) {
            if (!first.containsKey(DemoRun.DRIFTING_VERSION + " " + subject)) {
                missed.add(DemoRun.DRIFTING_VERSION + " " + subject);
            }
        }
        out.printf("  performance alerts     %d firing (%s expected for %s from the drift on)%n", first.size(),
                EXPECTED_PERFORMANCE, DemoRun.DRIFTING_VERSION);
        first.forEach((name, a) -> out.printf(Locale.ROOT, "    firing  %-32s %-8s first in window starting %s:"
                        + " statistic %.3f, threshold %.3f%s%s%n", name, a.getSeverity(), a.getWindowStart(),
                a.getStatistic(), a.getThreshold(), a.getPValue() == null ? "" : String.format(Locale.ROOT,
                        ", p = %.2g", a.getPValue()), ctr(a)));
        for (String version : List.of(DemoRun.STABLE_VERSION, DemoRun.DRIFTING_VERSION)) {
            out.printf("    %-8s before the drift %s; after %s%n", version, mean(o, version, drift, false),
                    mean(o, version, drift, true));
        }
        out.printf("  performance missed     %s%n", missed.isEmpty() ? "none" : missed);
        out.printf("  performance unexpected %s%n", unexpected.isEmpty() ? "none" : unexpected);
        out.printf("  performance early      %s%n", early.isEmpty() ? "none" : early);
        return missed.isEmpty() && unexpected.isEmpty() && early.isEmpty()
                && o.performance().size() == 2 * plan.windows();
    }

    /** The performance alerts the demo's drift must give (for the drifting version). */
    static final Set<String> EXPECTED_PERFORMANCE = Set.of(PerformanceSignal.CALIBRATION, PerformanceSignal.AUC);
    private static final Instant DEMO_START = Instant.parse("2026-11-01T09:00:00Z");

    private static String ctr(DriftAlert a) {
        var c = a.getBusinessContext();
        return c == null || c.getCurrentCtr() == null || c.getBaselineCtr() == null ? ""
                : String.format(Locale.ROOT, "; CTR %.4f vs %.4f", c.getCurrentCtr(), c.getBaselineCtr());
    }

    /** A version's mean realized ROC AUC, estimated ROC AUC and calibration over its windows before or after the drift. */
    private static String mean(DemoRun.Outcome o, String version, long drift, boolean after) {
        double[] sums = new double[3];
        int n = 0;
        for (WindowStats s : o.performance()) {
            if (s.getModelVersion().equals(version) && (s.getWindowStart().toEpochMilli() >= drift) == after) {
                sums[0] += statistic(s, "roc_auc");
                sums[1] += statistic(s, "expected_roc_auc");
                sums[2] += statistic(s, "calibration");
                n++;
            }
        }
        return n == 0 ? "no windows" : String.format(Locale.ROOT, "ROC AUC %.3f (estimated %.3f), calibration %.3f",
                sums[0] / n, sums[1] / n, sums[2] / n);
    }

    private static double statistic(WindowStats s, String test) {
        return s.getStatistics().stream().filter(t -> t.getTest().equals(test) && t.getValue() != null)
                .mapToDouble(t -> t.getValue()).findFirst().orElse(Double.NaN);
    }

    /**
     * The LLM scenario's summary: OK when the alerts that fired are exactly those of the subjects the shifted prompt
     * mix moves ({@link LlmTraffic#DRIFTING}) and the negative-feedback rate ({@link LlmFeedback#SUBJECT}), none
     * before the shift, and every window was reported.
     */
    private static int summariseLlm(PrintWriter out, LlmDemoRun.Outcome o, DemoRun.Plan plan) {
        long shift = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli()
                + plan.driftFromWindow() * plan.windowSize().toMillis();
        Set<String> fired = new TreeSet<>();
        Set<String> early = new TreeSet<>();
        Map<String, DriftAlert> first = new TreeMap<>();
        for (DriftAlert a : o.alerts()) {
            if (a.getState() != AlertState.FIRING) {
                continue;
            }
            fired.add(a.getSubject());
            first.putIfAbsent(a.getSubject(), a);
            if (a.getWindowStart().toEpochMilli() < shift) {
                early.add(a.getSubject());
            }
        }
        Set<String> expectedAlerts = new TreeSet<>(LlmTraffic.DRIFTING);
        expectedAlerts.add(LlmFeedback.SUBJECT);
        Set<String> missed = new TreeSet<>(expectedAlerts);
        missed.removeAll(fired);
        Set<String> unexpected = new TreeSet<>(fired);
        unexpected.removeAll(expectedAlerts);
        long[] before = new long[2]; // negative, all feedback
        long[] after = new long[2];
        for (var m : o.business()) {
            long[] to = m.getWindowStart().toEpochMilli() < shift ? before : after;
            to[0] += m.getFeedbackNegativeCount();
            to[1] += m.getFeedbackNegativeCount() + m.getFeedbackPositiveCount();
        }
        out.println();
        out.println("driftwatch demo: summary (scenario llm)");
        out.printf("  calls sent             %,d%n", o.eventsSent());
        out.printf("  window statistics      %d of %d expected%n", o.windowStats(), o.expectedWindowStats());
        first.forEach((subject, a) -> out.printf("    firing  %-22s %-12s first in window starting %s%n", subject,
                a.getSubjectKind(), a.getWindowStart()));
        out.printf("  prompt mix shifted     from window %d: %s%n", plan.driftFromWindow(),
                new TreeSet<>(LlmTraffic.DRIFTING));
        out.printf(Locale.ROOT, "  user feedback          %,d sent; negative rate %s before the shift, %s after (%d of %d"
                        + " windows' business metrics)%n", o.feedbackSent(), share(before), share(after),
                o.business().size(), plan.windows());
        out.printf("  missed                 %s%n", missed.isEmpty() ? "none" : missed);
        out.printf("  unexpected alerts      %s%n", unexpected.isEmpty() ? "none" : unexpected);
        out.printf("  alerts before shift    %s%n", early.isEmpty() ? "none" : early);
        out.printf("  took                   %.1f s%n", o.elapsed().toMillis() / 1000.0);
        boolean ok = missed.isEmpty() && unexpected.isEmpty() && early.isEmpty()
                && o.windowStats() == o.expectedWindowStats() && o.business().size() == plan.windows();
        out.println(ok ? "driftwatch demo: OK" : "driftwatch demo: the run did not show what was expected");
        out.flush();
        return ok ? 0 : 1;
    }

    private static String share(long[] negativeOfAll) {
        return negativeOfAll[1] == 0 ? "n/a" : String.format(Locale.ROOT, "%.4f (%d of %d)",
                (double) negativeOfAll[0] / negativeOfAll[1], negativeOfAll[0], negativeOfAll[1]);
    }

    private static String number(Double v, String format) {
        return v == null ? "n/a" : String.format(Locale.ROOT, format, v);
    }

    private static int summarise(PrintWriter out, DemoRun.Outcome o, DemoRun.Plan plan, List<String> versions) {
        Map<String, List<DriftAlert>> firingBySubject = new TreeMap<>(o.alerts().stream()
                .filter(a -> a.getState() == AlertState.FIRING)
                .collect(Collectors.groupingBy(a -> a.getModelVersion() + " " + a.getSubject())));
        Set<String> detected = new TreeSet<>();
        Set<String> falseAlerts = new TreeSet<>();
        for (DriftAlert a : o.alerts()) {
            // A data-quality alert is false on the demo's clean traffic, whatever its subject.
            boolean feature = a.getSubjectKind() == SubjectKind.FEATURE;
            boolean expected = feature && a.getModelVersion().equals(DemoRun.DRIFTING_VERSION)
                    && DemoTraffic.DRIFTING_FEATURES.contains(a.getSubject());
            if (expected) {
                detected.add(a.getSubject());
            } else if (feature || a.getSubjectKind() == SubjectKind.DATA_QUALITY) {
                falseAlerts.add(a.getModelVersion() + " " + a.getSubject()
                        + (feature ? "" : " (data quality)"));
            }
        }
        out.println();
        out.println("driftwatch demo: summary");
        out.printf("  events sent            %,d (+%d unreadable records)%n", o.eventsSent(), plan.badRecords());
        out.printf("  window statistics      %d of %d expected%n", o.windowStats(), o.expectedWindowStats());
        out.printf("  dead letters           %d%n", o.deadLetters().size());
        out.printf("  alerts                 %d (%d firing)%n", o.alerts().size(),
                o.alerts().stream().filter(a -> a.getState() == AlertState.FIRING).count());
        firingBySubject.forEach((k, v) -> out.printf("    firing  %-32s first in window starting %s%n", k,
                v.get(0).getWindowStart()));
        out.printf("  injected drift         %s from window %d in %s%n",
                new TreeSet<>(DemoTraffic.DRIFTING_FEATURES), plan.driftFromWindow(), DemoRun.DRIFTING_VERSION);
        out.printf("  detected               %s%n", detected);
        out.printf("  false alerts           %s%n", falseAlerts.isEmpty() ? "none" : falseAlerts);
        List<DriftAlert> ctrFiring = o.alerts().stream().filter(a -> a.getState() == AlertState.FIRING
                && a.getSubjectKind() == SubjectKind.BUSINESS && a.getSubject().equals(CtrBaseline.SUBJECT)).toList();
        long driftStart = o.alerts().stream().filter(a -> a.getModelVersion().equals(DemoRun.DRIFTING_VERSION)
                && a.getSubjectKind() == SubjectKind.FEATURE && a.getState() == AlertState.FIRING)
                .mapToLong(a -> a.getWindowStart().toEpochMilli()).min().orElse(Long.MAX_VALUE);
        boolean ctrDrop = ctrFiring.size() == 1 && ctrFiring.get(0).getModelVersion().equals(DemoRun.DRIFTING_VERSION)
                && ctrFiring.get(0).getWindowStart().toEpochMilli() >= driftStart;
        out.printf("  business metrics       %d windows of CTR (%d expected)%n", o.business().size(),
                versions.size() * plan.windows());
        out.printf("  CTR drop               %s%n", ctrFiring.isEmpty() ? "none detected"
                : ctrFiring.stream().map(a -> String.format(java.util.Locale.ROOT, "%s from window starting %s:"
                        + " CTR %.4f vs baseline %.4f (-%.0f %%, p = %.2g)", a.getModelVersion(), a.getWindowStart(),
                        a.getBusinessContext().getCurrentCtr(), a.getBusinessContext().getBaselineCtr(),
                        100 * a.getStatistic(), a.getPValue())).collect(Collectors.joining("; ")));
        boolean performance = performance(out, o, plan);
        boolean signals = signals(out, o, plan, versions);
        out.printf("  took                   %.1f s%n", o.elapsed().toMillis() / 1000.0);
        out.flush();
        boolean ok = detected.equals(DemoTraffic.DRIFTING_FEATURES) && falseAlerts.isEmpty()
                && o.windowStats() == o.expectedWindowStats() && ctrDrop
                && o.business().size() == versions.size() * plan.windows() && performance && signals;
        out.println(ok ? "driftwatch demo: OK" : "driftwatch demo: the run did not show what was expected");
        out.flush();
        return ok ? 0 : 1;
    }
}
