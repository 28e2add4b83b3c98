package dev.driftwatch.streams.docs;

import dev.driftwatch.streams.config.ConfigurationReference;
import dev.driftwatch.streams.config.DriftwatchConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md is generated from the ConfigDef; this test fails when the committed file is stale
 * and names the command that writes it again (the same test, with {@value #WRITE_PROPERTY}=true).
 */
class ConfigurationReferenceTest {
    /** System property that makes the test write the reference instead of checking it. */
    static final String WRITE_PROPERTY = "driftwatch.docs.write";
    static final String REGENERATE = "./mvnw -q -B -ntp -pl streams -am test -Dtest=ConfigurationReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

    @Test
    void shouldMatchTheCommittedReference() throws IOException {
        Path file = Repository.root().resolve(ConfigurationReference.PATH);
        String generated = ConfigurationReference.markdown();
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(file, generated);
        }
        String committed = Files.exists(file) ? Files.readString(file) : "";
        assertTrue(generated.equals(committed), ConfigurationReference.PATH + " is stale (a key, default, validator or"
                + " doc changed; " + firstDifference(generated, committed) + "); write it again with: " + REGENERATE);
    }

    /** Where two texts first differ, line by line, to say what is stale without printing both files. */
    static String firstDifference(String expected, String actual) {
        List<String> want = expected.lines().toList();
        List<String> have = actual.lines().toList();
        for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
            String w = i < want.size() ? want.get(i) : "(end of file)";
            String h = i < have.size() ? have.get(i) : "(end of file)";
            if (!w.equals(h)) {
                return "line " + (i + 1) + " is '" + h + "', the code gives '" + w + "'";
            }
        }
        return "line endings differ";
    }

    @Test
    void shouldDocumentEveryKeyWithItsDefaultAndVariable() {
        String reference = ConfigurationReference.markdown();
        ConfigDef def = DriftwatchConfig.configDef();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            assertTrue(reference.contains("\n### `" + key.name + "`\n"), key.name);
            assertTrue(reference.contains("`" + DriftwatchConfig.environmentVariableOf(key.name) + "`"), key.name);
        }
        assertTrue(reference.contains("### `window.size.ms`\n\nEvent-time window size in milliseconds (5 minutes by"
                + " default).\n\n- type: long; default: `300000`\n- accepts: [1,...]\n"), reference);
        assertTrue(reference.contains("### `policy.deciding.tests`"), "list keys");
        assertTrue(reference.contains("mock://&lt;name>"), "a <name> in a doc string survives Markdown");
    }
}
