package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.CommandStatus;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.streams.client.ControlClient;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.internals.ControlCommands;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code driftwatch ctl}: writes one control command and waits for its result. */
@Command(name = "ctl",
        header = "Steer the running pipeline: capture a baseline, set a policy, mute, unmute, acknowledge.",
        sortOptions = false,
        description = {
            "Write a ControlCommand to the control topic and wait for the running pipeline's ControlResult",
            "on the results topic (read_committed). Prints the result; exit status 0 accepted, 1 rejected,",
            "2 bad usage or no result within --timeout.",
            "",
            "Actions: capture-baseline (--from, --to: baselines from the retained windows in [from, to)),",
            "set-policy (--policy-version and --param key=value: {effect-sizes}.warning|critical,",
            "alpha, persistence=MofN, dataset.drift.share, deciding.tests, reset=true), mute (--until, or",
            "until unmute), unmute, ack (--alert-id). Times are ISO-8601 instants or epoch milliseconds.",
        },
        footer = {"", "Example:",
            "  bin/driftwatch ctl mute --model churn --version 7 --subject age --until 2026-12-01T00:00:00Z \\",
            "      --bootstrap-servers localhost:9092"})
public final class CtlCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    HelpOption help;

    /** Exit status of a rejected command. */
    public static final int EXIT_REJECTED = 1;
    /** The longest --timeout: a result that takes longer means the pipeline is not reading the control topic. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    @Parameters(index = "0", paramLabel = "ACTION",
            description = "capture-baseline, set-policy, mute, unmute or ack.")
    String action;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model id (omit with set-policy for every model).")
    String model;

    @Option(names = "--version", paramLabel = "VERSION", description = "Model version (omit for every version).")
    String version;

    @Option(names = "--subject", paramLabel = "SUBJECT", description = "Feature or output (omit for all).")
    String subject;

    @Option(names = "--from", paramLabel = "TIME", description = "capture-baseline: start of the range (inclusive).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "capture-baseline: end of the range (exclusive).")
    String to;

    @Option(names = "--until", paramLabel = "TIME", description = "mute: when the mute ends (default: until unmute).")
    String until;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "set-policy: a policy parameter (repeatable).")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--policy-version", paramLabel = "LABEL",
            description = "set-policy: version label of the new policy, named by its alerts.")
    String policyVersion;

    @Option(names = "--alert-id", paramLabel = "ID", description = "ack: the alert to acknowledge.")
    String alertId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
    String reason;

    @Option(names = "--issued-by", paramLabel = "NAME", description = "Who (default: the user name).")
    String issuedBy = System.getProperty("user.name");

    @Option(names = "--command-id", paramLabel = "ID", description = "Command id (default: a random UUID).")
    String commandId;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long to wait for the result, e.g. 30s, 2m, 500ms (default ${DEFAULT-VALUE}).")
    String timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ControlCommand command;
        Duration wait;
        DriftwatchConfig cfg;
        try {
            wait = CommandTimes.duration("--timeout", timeout, Duration.ofMillis(1), MAX_TIMEOUT);
            command = command();
            cfg = connection.load();
            CommandSupport.refuseInMemoryRegistry(cfg);
        } catch (ConfigException | IllegalArgumentException e) {
            return CommandSupport.badInput("ctl", e.getMessage(), err);
        }
        try {
            Optional<ControlResult> result = new ControlClient(cfg).send(command, wait);
            if (result.isEmpty()) {
                return CommandSupport.badInput("ctl", "no result for command " + command.getCommandId() + " on "
                        + cfg.controlResultsTopic() + " within " + wait.toMillis() + " ms; is driftwatch run"
                        + " (application.id=" + cfg.applicationId() + ") running and reading " + cfg.controlTopic()
                        + "?", err);
            }
            out.println(format(result.get()));
            out.flush();
            return result.get().getStatus() == CommandStatus.ACCEPTED ? 0 : EXIT_REJECTED;
        } catch (PreflightException | KafkaException e) {
            return CommandSupport.badInput("ctl", e.getMessage(), err);
        }
    }

    /** The command the options describe; usage errors as IllegalArgumentException. */
    ControlCommand command() {
        CommandType type = switch (action.toLowerCase(Locale.ROOT)) {
            case "capture-baseline" -> CommandType.CAPTURE_BASELINE;
            case "set-policy" -> CommandType.SET_POLICY;
            case "mute" -> CommandType.MUTE;
            case "unmute" -> CommandType.UNMUTE;
            case "ack" -> CommandType.ACKNOWLEDGE;
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "'; expected capture-baseline, set-policy, mute, unmute or ack");
        };
        Map<String, String> params = new LinkedHashMap<>(parameters);
        switch (type) {
            case CAPTURE_BASELINE -> {
                if (model == null || version == null || from == null || to == null) {
                    throw new IllegalArgumentException("capture-baseline needs --model, --version, --from and --to");
                }
            }
            case SET_POLICY -> {
                if (params.isEmpty()) {
                    throw new IllegalArgumentException("set-policy needs at least one --param key=value; keys: "
                            + String.join(", ", ControlCommands.POLICY_PARAMETERS));
                }
            }
            case MUTE, UNMUTE -> {
                if (model == null) {
                    throw new IllegalArgumentException(action + " needs --model");
                }
            }
            case ACKNOWLEDGE -> {
                if (alertId == null || alertId.isBlank() || model == null || version == null) {
                    throw new IllegalArgumentException("ack needs --alert-id, and the alert's --model and --version");
                }
                params.put(ControlCommands.ALERT_ID, alertId);
            }
            default -> throw new IllegalStateException(type.name());
        }
        return ControlCommand.newBuilder()
                .setCommandId(commandId == null ? UUID.randomUUID().toString() : commandId)
                .setType(type)
                .setIssuedAt(Instant.now())
                .setIssuedBy(issuedBy)
                .setModelId(model)
                .setModelVersion(version)
                .setSubject(subject)
                .setFrom(from == null ? null : CommandTimes.time("--from", from))
                .setTo(type == CommandType.MUTE ? (until == null ? null : CommandTimes.time("--until", until))
                        : to == null ? null : CommandTimes.time("--to", to))
                .setPolicyVersion(policyVersion)
                .setParameters(params)
                .setReason(reason)
                .build();
    }

    /** {@code ACCEPTED MUTE <id>  key=value ...} or {@code REJECTED MUTE <id>: reason}. */
    static String format(ControlResult r) {
        StringBuilder line = new StringBuilder().append(r.getStatus()).append(' ')
                .append(r.getCommandType() == null ? "?" : r.getCommandType()).append(' ').append(r.getCommandId());
        if (r.getReason() != null) {
            line.append(": ").append(r.getReason());
        }
        new java.util.TreeMap<>(r.getDetails()).forEach((k, v) -> line.append("  ").append(k).append('=').append(v));
        return line.toString();
    }
}
