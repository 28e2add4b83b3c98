package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.Redaction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code driftwatch} command line: one subcommand per job. {@code main} only parses and runs.
 */
@Command(name = "driftwatch",
        mixinStandardHelpOptions = true,
        versionProvider = DriftwatchCli.Version.class,
        description = {
            "Drift detection for ML and LLM models on Kafka.",
            "",
            "Exit status: 0 success, 1 drift found with --fail-on-drift, 2 bad input or usage, 3 internal error."
        },
        subcommands = {DemoCommand.class, RunCommand.class, BaselineCommand.class, CtlCommand.class,
                AlertsCommand.class, TailCommand.class, ReplayCommand.class, AnalyzeCommand.class,
                SampleCommand.class, CompareCommand.class, CommandLine.HelpCommand.class})
public final class DriftwatchCli implements Runnable {
    /** Exit status for bad input or usage. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for an unexpected failure. */
    public static final int EXIT_INTERNAL = 3;
    /** Columns of the help text; every example in it fits on one line. */
    public static final int HELP_WIDTH = 120;

    /** The Kafka clients' logger, quieted to errors for every command but {@code run}. */
    static final String KAFKA_LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.org.apache.kafka";
    /** Commands that run the pipeline for a long time, whose Kafka warnings an operator wants to see. */
    private static final Set<String> KAFKA_WARNINGS_SHOWN = Set.of("run");

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        quietKafkaClients(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * For short commands, the Kafka clients log errors only: an unreachable broker is then reported by the
     * command's own one-line message, not after a dozen connection warnings. Must run before any logger is
     * made; a level set with {@code -D} on the command line wins.
     */
    static void quietKafkaClients(String[] args) {
        String command = args.length == 0 ? "" : args[0];
        if (!KAFKA_WARNINGS_SHOWN.contains(command) && System.getProperty(KAFKA_LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(KAFKA_LOG_LEVEL_PROPERTY, "error");
        }
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DriftwatchCli());
        cli.setUsageHelpWidth(HELP_WIDTH);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            commandLine.getErr().println("driftwatch: internal error: " + Redaction.text(e.toString()));
            commandLine.getErr().print(Redaction.text(trace.toString()));
            commandLine.getErr().flush();
            return EXIT_INTERNAL;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine bad = e.getCommandLine();
            String name = bad.getCommandSpec().qualifiedName();
            bad.getErr().println(name + ": " + e.getMessage().replace('\n', ' ') + "; see `" + name + " --help`");
            bad.getErr().flush();
            return EXIT_BAD_INPUT;
        });
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                s.versionProvider(new Version());
                if (s.findOption("-V") == null) {
                    // --version names the model version in some commands: -V alone prints the program's.
                    s.addOption(OptionSpec.builder("-V").versionHelp(true)
                            .description("Print the version of driftwatch and exit.").build());
                }
            }
            s.usageMessage().description(wrap(paragraphs(DriftTestNames.expand(s.usageMessage().description())),
                    HELP_WIDTH - 1));
        }
        return cli;
    }

    /**
     * Lines written one under the other in a description joined into paragraphs, so that the help is
     * wrapped once, at its width. An empty line separates paragraphs; a line that starts with a space
     * (an example, a list item) stands alone.
     */
    static String[] paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith(" ") || current == null || current.charAt(0) == ' ') {
                if (current != null) {
                    out.add(current.toString());
                }
                if (line.isEmpty()) {
                    out.add("");
                    current = null;
                } else {
                    current = new StringBuilder(line);
                }
            } else {
                current.append(' ').append(line);
            }
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out.toArray(String[]::new);
    }

    /**
     * Paragraphs broken into lines of at most {@code width} characters, at spaces only: picocli's own
     * wrapping also breaks after a dot or colon, which cut keys such as dataset.drift.share in two.
     * A word longer than the width stands on a line of its own.
     */
    static String[] wrap(String[] paragraphs, int width) {
        List<String> out = new ArrayList<>();
        for (String p : paragraphs) {
            if (p.length() <= width || p.startsWith(" ")) {
                out.add(p);
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (String word : p.split(" ")) {
                if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                line.append(line.length() > 0 ? " " : "").append(word);
            }
            out.add(line.toString());
        }
        return out.toArray(String[]::new);
    }

    /** Reads the version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DriftwatchCli.class.getPackage().getImplementationVersion();
            return new String[] {"driftwatch " + (v == null ? "(development build)" : v)};
        }
    }
}
