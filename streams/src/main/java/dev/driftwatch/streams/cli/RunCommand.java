package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.Redaction;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.app.RunSettingsCheck;
import dev.driftwatch.streams.config.Preflight;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code driftwatch run}: the drift pipeline on Kafka, until stopped. */
@Command(name = "run",
        header = "Run the drift pipeline on a Kafka cluster.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the drift pipeline: read inference events, summarise them in event-time windows,",
            "test every window against the baselines and write window statistics and alerts.",
            "",
            "Settings come from --config and from DRIFTWATCH_<KEY> environment variables (which win;",
            "e.g. DRIFTWATCH_BOOTSTRAP_SERVERS for bootstrap.servers). Before starting, the command",
            "checks that Kafka answers and that the input and output topics exist. It stops cleanly on",
            "SIGTERM or SIGINT (Ctrl-C).",
        },
        footer = {"", "Example:", "  bin/driftwatch run --config driftwatch.properties --create-topics --partitions 6"})
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigFileOption config;

    @Option(names = "--create-topics",
            description = "Create missing topics (the baselines topic compacted) instead of failing.")
    boolean createTopics;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of topics created by --create-topics (default: input.partitions if set,"
                    + " else the broker's default).")
    Integer partitions;

    @Option(names = "--check",
            description = "Check everything run checks before it starts (every setting as Kafka Streams and its"
                    + " clients read it, the registry settings, state.dir, the HTTP port), the connection and the"
                    + " topics, print the plan, and exit.")
    boolean checkOnly;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DriftwatchConfig cfg;
        PipelineSettings settings;
        try {
            if (partitions != null && partitions < 1) {
                throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            }
            cfg = DriftwatchConfig.load(config.file);
            if (!checkOnly) {
                LOG.info("driftwatch settings (secrets hidden):{}{}", System.lineSeparator(), cfg.describe());
            }
            cfg.requireBootstrapServers();
            CommandSupport.refuseInMemoryRegistry(cfg); // before the check, whose serde would take the scope
            RunSettingsCheck.check(cfg);
            settings = cfg.pipelineSettings(checkTopics(cfg, out));
        } catch (ConfigException | PreflightException | IllegalArgumentException e) {
            return CommandSupport.badInput("run", e.getMessage(), err);
        }
        out.println("driftwatch run: " + cfg.applicationId() + " reads " + cfg.eventsTopic() + " ("
                + settings.inputPartitions() + " partitions) and " + cfg.baselinesTopic() + ", writes "
                + cfg.windowStatsTopic() + ", " + cfg.alertsTopic() + " and " + cfg.deadLettersTopic()
                + "; windows of " + settings.windowSize() + " every " + settings.windowAdvance() + ", grace "
                + settings.grace() + ", policy " + settings.policy().version());
        out.flush();
        if (checkOnly) {
            return 0;
        }
        return runUntilStopped(cfg, settings, err);
    }

    /** Checks the topics (creating the missing ones if asked) and returns the input partition count. */
    private int checkTopics(DriftwatchConfig cfg, PrintWriter out) {
        Map<String, String> topics = Preflight.pipelineTopics(cfg);
        try (Preflight preflight = Preflight.connect(cfg, Preflight.DEFAULT_TIMEOUT)) {
            List<String> missing = preflight.missing(topics.keySet());
            if (!missing.isEmpty()) {
                if (!createTopics) {
                    throw new PreflightException(describeMissing(cfg, topics, missing));
                }
                Optional<Integer> count = Optional.ofNullable(partitions)
                        .or(() -> cfg.inputPartitions() > 0 ? Optional.of(cfg.inputPartitions()) : Optional.empty());
                preflight.create(Preflight.newTopics(cfg, missing, count));
                for (String name : missing) {
                    out.println("driftwatch run: created topic " + name
                            + (name.equals(cfg.baselinesTopic()) ? " (compacted)" : ""));
                }
            }
            int actual = preflight.partitions(cfg.eventsTopic());
            if (BusinessSettings.of(cfg.signals()).enabled()) {
                String outcomes = cfg.getString(DriftwatchConfig.TOPIC_OUTCOME_EVENTS_CONFIG);
                Preflight.checkOutcomePartitions(cfg.eventsTopic(), actual, outcomes, preflight.partitions(outcomes));
            }
            int configured = cfg.inputPartitions();
            if (configured > 0 && configured != actual) {
                throw new PreflightException(DriftwatchConfig.INPUT_PARTITIONS_CONFIG + "=" + configured
                        + " but topic '" + cfg.eventsTopic() + "' has " + actual + " partitions; windows close only"
                        + " when every partition has passed them: set " + DriftwatchConfig.INPUT_PARTITIONS_CONFIG
                        + "=0 to read the count from the topic");
            }
            return actual;
        }
    }

    private static String describeMissing(DriftwatchConfig cfg, Map<String, String> topics, List<String> missing) {
        StringBuilder names = new StringBuilder();
        for (String name : missing) {
            names.append(names.length() == 0 ? "" : ", ").append("'").append(name).append("' (")
                    .append(topics.get(name)).append(")");
        }
        String first = missing.get(0);
        return (missing.size() == 1 ? "topic " : "topics ") + names + (missing.size() == 1 ? " does" : " do")
                + " not exist on " + cfg.requireBootstrapServers() + "; create "
                + (missing.size() == 1 ? "it" : "them") + ", e.g. kafka-topics.sh --bootstrap-server "
                + cfg.requireBootstrapServers() + " --create --topic " + first + " --partitions 3"
                + (first.equals(cfg.baselinesTopic()) ? " --config cleanup.policy=compact" : "")
                + ", or rerun with --create-topics [--partitions N]";
    }

    private static int runUntilStopped(DriftwatchConfig cfg, PipelineSettings settings, PrintWriter err)
            throws InterruptedException {
        DriftwatchApp app;
        try {
            app = DriftwatchApp.startChecked(cfg, settings); // call() has run RunSettingsCheck
        } catch (ConfigException e) {
            return CommandSupport.badInput("run", "a setting is not valid: " + e.getMessage(), err);
        } catch (ProcessorStateException e) { // e.g. another instance holds the state folder's lock
            return CommandSupport.badInput("run", "cannot use the state folder (" + DriftwatchConfig.STATE_DIR_CONFIG
                    + "=" + cfg.stateDir().orElse("Kafka Streams' default") + "): " + e.getMessage()
                    + "; give every instance on this host its own " + DriftwatchConfig.STATE_DIR_CONFIG, err);
        }
        Thread hook = new Thread(app::close, "driftwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            KafkaStreams.State end = app.awaitTermination();
            LOG.info("driftwatch stopped ({})", end);
            if (end == KafkaStreams.State.ERROR) {
                err.println("driftwatch run: stopped after an error: "
                        + app.failure().map(t -> Redaction.text(t.toString())).orElse("see the log"));
                err.flush();
                return DriftwatchCli.EXIT_INTERNAL;
            }
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is closing the app
            }
            app.close();
        }
    }
}
