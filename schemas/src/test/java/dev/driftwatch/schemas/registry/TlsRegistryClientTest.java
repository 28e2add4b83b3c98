package dev.driftwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https registry URLs: the trust store settings decide whom the client trusts. */
class TlsRegistryClientTest {
    private static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static Path truststore;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.pem");
        truststore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/subjects", exchange -> {
            byte[] body = "[\"secure-value\"]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed: " + output);
    }

    private static String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void shouldTrustTheRegistryThroughTheConfiguredTruststore() {
        SchemaRegistryClient client = SchemaRegistryClients.create(Map.of(
                "schema.registry.url", url(),
                "schema.registry.ssl.truststore.location", truststore.toString(),
                "schema.registry.ssl.truststore.password", PASSWORD,
                "schema.registry.ssl.truststore.type", "PKCS12"));
        assertEquals(List.of("secure-value"), client.subjects());
    }

    @Test
    void shouldRefuseAnUntrustedCertificateWithoutRetryingForever() {
        SchemaRegistryClient client = SchemaRegistryClients.create(Map.of(
                "schema.registry.url", url(), "schema.registry.max.retries", 1, "schema.registry.retry.backoff.ms", 1));
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, client::subjects);
        assertTrue(e.getMessage().contains("failed after 2 tries"), e.getMessage());
    }

    @Test
    void shouldSayWhichTruststoreCannotBeRead() {
        ConfigException e = assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of(
                "schema.registry.url", url(),
                "schema.registry.ssl.truststore.location", dir.resolve("missing.p12").toString())));
        assertTrue(e.getMessage().contains("missing.p12"), e.getMessage());
    }
}
