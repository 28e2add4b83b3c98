package dev.driftwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void shouldHideThePasswordOfEveryUrlInAText() {
        assertEquals("GET http://svc:[hidden]@registry:8081/schemas and https://u:[hidden]@other/x failed",
                Redaction.text("GET http://svc:pw1@registry:8081/schemas and https://u:pw2@other/x failed"));
        assertEquals("http://[hidden]@host/", Redaction.text("http://just-a-token@host/"));
        assertEquals("http://u:[hidden]@host:1", Redaction.text("http://u:p@ss@host:1"), "an unescaped @ in the password");
        assertEquals("http://host:8081/a@b", Redaction.text("http://host:8081/a@b"), "an @ in the path is no user-info");
        assertEquals("mail me at a@b.example", Redaction.text("mail me at a@b.example"));
        assertNull(Redaction.text(null));
    }

    @Test
    void shouldHideSecretKeysWhateverTheirPrefix() {
        for (String key : List.of("ssl.key.password", "producer.ssl.keystore.password", "kafka.sasl.jaas.config",
                "basic.auth.user.info", "schema.registry.basic.auth.user.info", "client.secret", "my.api.token",
                "ssl.keystore.key", "PASSWORD")) {
            assertTrue(Redaction.isSecretKey(key), key);
            assertEquals(Redaction.HIDDEN, Redaction.value(key, "s"), key);
        }
        for (String key : List.of("schema.registry.url", "sasl.oauthbearer.token.endpoint.url",
                "basic.auth.credentials.source", "ssl.keystore.location", "bootstrap.servers")) {
            assertFalse(Redaction.isSecretKey(key), key);
        }
        assertEquals(Redaction.HIDDEN, Redaction.value("anything", new Password("p")));
        assertEquals(List.of("http://u:[hidden]@a", "http://b"), Redaction.value("urls", List.of("http://u:p@a", "http://b")));
        assertEquals(42, Redaction.value("n", 42));
    }
}
