package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.Redaction;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
                ReplayCommand.class, AnalyzeCommand.class, SampleCommand.class, CompareCommand.class,
                CommandLine.HelpCommand.class})
public final class DriftwatchCli implements Runnable {
    /** Exit status for bad input or usage. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for an unexpected failure. */
    public static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DriftwatchCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            commandLine.getErr().println("driftwatch: internal error: " + Redaction.text(e.toString()));
            commandLine.getErr().print(Redaction.text(trace.toString()));
            commandLine.getErr().flush();
            return EXIT_INTERNAL;
        });
        return cli;
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
