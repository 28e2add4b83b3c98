package dev.driftwatch.streams.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/local against the code: the registry it fetches is the one the integration tests use, and every
 * Kafka tool that a driftwatch message tells the user to run is one that {@code stack.sh} runs.
 * (deploy/local/recipe.sh, run by CI, starts the stack for real.)
 */
class LocalStackFilesTest {
    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("deploy/local/stack.sh"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    private static String property(Path pom, String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom));
        assertTrue(m.find(), name + " in " + pom);
        return m.group(1);
    }

    @Test
    void shouldFetchTheRegistryVersionThatTheIntegrationTestsUse() throws IOException {
        Path root = root();
        assertEquals(property(root.resolve("pom.xml"), "apicurio-registry.version"),
                property(root.resolve("deploy/local/pom.xml"), "apicurio-registry.version"));
    }

    @Test
    void shouldRunEveryKafkaToolThatAMessageNames() throws IOException {
        Path root = root();
        Set<String> named = new TreeSet<>();
        Pattern tool = Pattern.compile("(kafka-[a-z-]+)\\.sh");
        try (Stream<Path> files = Files.walk(root.resolve("streams/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = tool.matcher(Files.readString(f));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertFalse(named.isEmpty(), "the messages name kafka-topics.sh and kafka-configs.sh");
        String stack = Files.readString(root.resolve("deploy/local/stack.sh"));
        for (String name : named) {
            assertTrue(stack.contains("    " + name + ") echo "), "deploy/local/stack.sh runs " + name);
        }
    }
}
