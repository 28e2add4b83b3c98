package dev.driftwatch.schemas.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry 3 (Quarkus, in-memory H2 storage) in a child JVM on 127.0.0.1, for
 * integration tests. It serves the Confluent schema-registry API at {@link #confluentApiUrl()}.
 *
 * <p>The build unpacks the registry (Maven Central artifact
 * {@code io.apicurio:apicurio-registry-app:<version>:zip:all}) before the integration tests and
 * passes its folder as the system property {@value #HOME_PROPERTY}. {@link #isInstalled()} tells
 * whether it is there; {@link #close()} stops the process.
 */
public final class ApicurioRegistryServer implements AutoCloseable {
    /** System property naming the folder with the unpacked registry. */
    public static final String HOME_PROPERTY = "driftwatch.apicurio.home";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path log;

    private ApicurioRegistryServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The folder of the unpacked registry, from {@value #HOME_PROPERTY}; null when not set. */
    public static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        return home == null ? null : Path.of(home);
    }

    /** Whether the runnable registry jar is present. */
    public static boolean isInstalled() {
        return runnerJar() != null;
    }

    private static Path runnerJar() {
        Path home = home();
        if (home == null || !Files.isDirectory(home)) {
            return null;
        }
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")
                    || p.getFileName().toString().equals("quarkus-run.jar")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Starts the registry on a free port and waits until its Confluent API answers. */
    public static ApicurioRegistryServer start() throws IOException {
        Path jar = runnerJar();
        if (jar == null) {
            throw new IllegalStateException("no Apicurio Registry runner jar under " + HOME_PROPERTY + "=" + home()
                    + "; run the build's pre-integration-test phase (./mvnw verify) to unpack it");
        }
        int port = freePort();
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        Path log = logs.resolve("apicurio-registry-" + port + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.enabled=false",
                "-Dapicurio.storage.kind=sql",
                "-Dapicurio.storage.sql.kind=h2",
                "-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ApicurioRegistryServer server = new ApicurioRegistryServer(process, port, log);
        try {
            server.awaitReady();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI probe = URI.create(confluentApiUrl() + "/subjects");
        Await.until("Apicurio Registry to answer on " + probe + " (log: " + log + ")", START_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String confluentApiUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    /** The last lines of the registry's output. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
