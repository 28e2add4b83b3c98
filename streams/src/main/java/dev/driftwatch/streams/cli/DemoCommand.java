package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code driftwatch demo}: the whole pipeline on an embedded broker, with an injected drift. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the pipeline end to end on this machine and show its alerts.",
            "",
            "Starts an embedded Kafka broker (KRaft) and an in-memory schema registry, publishes",
            "baselines of two versions of a click-through-rate model, streams windows of sample",
            "traffic (event time) with a drift injected into version 1.5.0 at a known window,",
            "prints alerts as they arrive on driftwatch-alerts, and ends with a summary.",
            "Outcome events (impressions, clicks, conversions) go with the traffic; the drifted",
            "traffic clicks less, so a CTR alert follows the drift, and every alert shows the CTR",
            "of its window (driftwatch-business-metrics has the windowed CTR).",
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

    @Option(names = "--verbose", description = "Also print every window's statistics.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        quietBrokerLogs();
        PrintWriter out = spec.commandLine().getOut();
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
                    "driftwatch-business-metrics"), 1);
            out.println("driftwatch demo: broker at " + broker.bootstrapServers());
            DemoRun.Plan plan = new DemoRun.Plan(windows, eventsPerWindow, driftFrom, Duration.ofMinutes(1), 20_000,
                    3, seed);
            DemoRun.Outcome outcome = new DemoRun(broker.bootstrapServers(), out, verbose).withOutcomes(true)
                    .run(plan, partitions, Duration.ofSeconds(90));
            return summarise(out, outcome, plan);
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

    private static int summarise(PrintWriter out, DemoRun.Outcome o, DemoRun.Plan plan) {
        Map<String, List<DriftAlert>> firingBySubject = new TreeMap<>(o.alerts().stream()
                .filter(a -> a.getState() == AlertState.FIRING)
                .collect(Collectors.groupingBy(a -> a.getModelVersion() + " " + a.getSubject())));
        Set<String> detected = new TreeSet<>();
        Set<String> falseAlerts = new TreeSet<>();
        for (DriftAlert a : o.alerts()) {
            boolean feature = a.getSubjectKind() == SubjectKind.FEATURE;
            boolean expected = a.getModelVersion().equals(DemoRun.DRIFTING_VERSION)
                    && DemoTraffic.DRIFTING_FEATURES.contains(a.getSubject());
            if (expected) {
                detected.add(a.getSubject());
            } else if (feature) {
                falseAlerts.add(a.getModelVersion() + " " + a.getSubject());
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
                2 * plan.windows());
        out.printf("  CTR drop               %s%n", ctrFiring.isEmpty() ? "none detected"
                : ctrFiring.stream().map(a -> String.format(java.util.Locale.ROOT, "%s from window starting %s:"
                        + " CTR %.4f vs baseline %.4f (-%.0f %%, p = %.2g)", a.getModelVersion(), a.getWindowStart(),
                        a.getBusinessContext().getCurrentCtr(), a.getBusinessContext().getBaselineCtr(),
                        100 * a.getStatistic(), a.getPValue())).collect(Collectors.joining("; ")));
        out.printf("  took                   %.1f s%n", o.elapsed().toMillis() / 1000.0);
        out.flush();
        boolean ok = detected.equals(DemoTraffic.DRIFTING_FEATURES) && falseAlerts.isEmpty()
                && o.windowStats() == o.expectedWindowStats() && ctrDrop && o.business().size() == 2 * plan.windows();
        out.println(ok ? "driftwatch demo: OK" : "driftwatch demo: the run did not show what was expected");
        out.flush();
        return ok ? 0 : 1;
    }
}
