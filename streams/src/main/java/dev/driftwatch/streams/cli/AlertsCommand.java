package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.tail.OutputTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code driftwatch alerts}: prints the drift alerts of the alerts topic, one line each. */
@Command(name = "alerts",
        header = "Print the drift alerts (FIRING, RESOLVED) of the alerts topic, one line each.",
        sortOptions = false,
        description = {
            "Reads the alerts topic (topic.alerts, default driftwatch-alerts) read_committed, from every partition,"
                + " without a consumer group (nothing is committed), and prints one line per alert: the end of its"
                + " window, FIRING or RESOLVED, the severity, model/version, subject, the statistic against its"
                + " threshold, the sample sizes, the CTR of the window when known, and the alert id that"
                + " `driftwatch ctl ack --alert-id` takes.",
            "",
            "Without --follow it prints the alerts the topic holds and exits; --max N waits for N alerts."
                + " Exit status: 0 done (N alerts read with --max); 1 --max N was given and fewer than N alerts"
                + " arrived within --timeout; 2 bad usage, Kafka or the registry unreachable, or no such topic.",
            "The same reader prints the other outputs: driftwatch tail --topic stats|business|service-levels|dlq|"
                + "review|roles|control-results.",
        },
        footer = {"", "Examples:",
            "  bin/driftwatch alerts --config driftwatch.properties",
            "  bin/driftwatch alerts --follow --model churn --since 1h",
            "  bin/driftwatch alerts --max 3 --timeout 2m --format json | jq -r .alertId"})
public final class AlertsCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    ReadOptions read;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return TailCommand.print("alerts", OutputTopic.ALERTS, read, spec);
    }
}
