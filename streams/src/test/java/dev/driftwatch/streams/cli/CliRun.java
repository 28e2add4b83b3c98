package dev.driftwatch.streams.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.List;

/** One run of the driftwatch command line in this JVM: its exit status and what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        CommandLine cli = DriftwatchCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /**
     * Runs the command line as {@link #of} does, and captures what the process wrote to its standard
     * output and error meanwhile: the log (slf4j-simple writes to {@code System.err}).
     */
    static Captured captured(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            CliRun run = of(args);
            return new Captured(run, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A command's output, and what the process wrote to stdout and stderr meanwhile (the log goes to stderr). */
    record Captured(CliRun run, String stdout, String stderr) {
        String all() {
            return run.out() + run.err() + stdout + stderr;
        }
    }

    List<String> lines() {
        return out.lines().toList();
    }
}
