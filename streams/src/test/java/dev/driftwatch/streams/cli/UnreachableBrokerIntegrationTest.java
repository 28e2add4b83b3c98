package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as a user starts it (its own JVM, the packaged logging configuration) against an address
 * where no broker listens: one line from the command, none of the Kafka client's connection warnings.
 */
@Timeout(120)
class UnreachableBrokerIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportAnUnreachableBrokerInOneLine() throws Exception {
        String broker = "127.0.0.1:" + closedPort();
        String registry = "http://127.0.0.1:" + closedPort();
        for (List<String> args : List.of(
                List.of("alerts", "--timeout", "5s"),
                List.of("ctl", "mute", "--model", "m", "--timeout", "5s"))) {
            List<String> command = new ArrayList<>(args);
            command.addAll(List.of("--bootstrap-servers", broker));
            Run run = run(command, registry);
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, run.exit(), run.output());
            List<String> lines = run.output().lines().toList();
            assertEquals(1, lines.size(), "one line, not the Kafka client's warnings:\n" + run.output());
            assertTrue(lines.get(0).startsWith("driftwatch " + args.get(0) + ": no answer from Kafka at"
                    + " bootstrap.servers=" + broker), lines.get(0));
        }
    }

    private record Run(int exit, String output) {
    }

    /** Runs the command line in a JVM of its own, with the registry set through the environment. */
    private Run run(List<String> args, String registry) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "cli", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(DriftwatchCli.class.getName());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().keySet().removeIf(k -> k.startsWith("DRIFTWATCH_"));
        pb.environment().put("DRIFTWATCH_SCHEMA_REGISTRY_URL", registry);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("driftwatch " + args + " did not exit within 90 s: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    /** A port on which nothing listens: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
