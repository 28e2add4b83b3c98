package dev.driftwatch.streams.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kafka/start-kraft.sh for real: fetches the broker's jars (from the local Maven repository
 * when the build already has them), formats, starts a broker that an admin client can use, is
 * idempotent, and stops.
 */
@Timeout(300)
class StartKraftScriptIntegrationTest {
    @TempDir
    Path work;

    @Test
    void shouldStartABrokerFromMavenCentralJarsIdempotentlyAndStopIt() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("deploy/kafka/start-kraft.sh"))) {
            root = root.getParent();
        }
        Path script = root.resolve("deploy/kafka/start-kraft.sh");
        int port = freePort();
        Map<String, String> env = Map.of("KAFKA_PORT", String.valueOf(port),
                "KAFKA_CONTROLLER_PORT", String.valueOf(freePort()), "KAFKA_WORK_DIR", work.toString(),
                "KAFKA_HEAP_OPTS", "-Xmx512m");
        try {
            Result start = run(script, env, "start");
            assertEquals(0, start.exit, start.output);
            assertTrue(start.output.contains("ready: bootstrap.servers=127.0.0.1:" + port), start.output);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
                assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            }
            Result again = run(script, env, "start");
            assertEquals(0, again.exit, again.output);
            assertTrue(again.output.contains("already running"), again.output);
            assertEquals(0, run(script, env, "status").exit);
        } finally {
            Result stop = run(script, env, "stop");
            assertEquals(0, stop.exit, stop.output);
        }
        Result status = run(script, env, "status");
        assertEquals(3, status.exit, status.output);
        assertFalse(Files.exists(work.resolve("kafka.pid")));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path script, Map<String, String> env, String command) throws IOException,
            InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString(), command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes(); // the script returns once the broker answers; the broker's output goes to its log
        }
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("start-kraft.sh " + command + " did not finish within 240 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
