package dev.driftwatch.streams;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.schemas.registry.Redaction;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The validators of {@link DriftwatchConfig} that Kafka's {@link ConfigDef} does not have. Each names
 * the key, the bad value and what is allowed (through {@link ConfigException}'s message), and says in
 * {@link #toString()} what it accepts, for the generated documentation.
 */
public final class Validators {
    /** Legal characters of topic names and application ids (Kafka's rule). */
    private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^\\s:,\\[\\]]+):\\d{1,5}");
    private static final int MAX_TOPIC_LENGTH = 249;

    private Validators() {
    }

    /** true or false (a Boolean; ConfigDef parses "true"/"false" before validating). */
    public static ConfigDef.Validator bool() {
        return validator("true or false", (name, value) -> {
            if (!(value instanceof Boolean)) {
                throw new ConfigException(name, value, "expected true or false");
            }
        });
    }

    /** A Kafka topic name: 1-249 characters of a-z, A-Z, 0-9, '.', '_' and '-', not "." or "..". */
    public static ConfigDef.Validator topicName() {
        return validator("a topic name of 1-249 characters from [a-zA-Z0-9._-]", (name, value) -> {
            String s = (String) value;
            if (s == null || s.isEmpty() || s.length() > MAX_TOPIC_LENGTH || !KAFKA_NAME.matcher(s).matches()
                    || s.equals(".") || s.equals("..")) {
                throw new ConfigException(name, value, "expected a topic name of 1-" + MAX_TOPIC_LENGTH
                        + " characters from a-z, A-Z, 0-9, '.', '_' and '-'");
            }
        });
    }

    /** An application id: non-empty, characters a-z, A-Z, 0-9, '.', '_' and '-' (it prefixes internal topics). */
    public static ConfigDef.Validator applicationId() {
        return validator("non-empty, characters from [a-zA-Z0-9._-]", (name, value) -> {
            String s = (String) value;
            if (s == null || s.isEmpty() || !KAFKA_NAME.matcher(s).matches()) {
                throw new ConfigException(name, value, "expected a non-empty id of characters a-z, A-Z, 0-9,"
                        + " '.', '_' and '-' (it prefixes the internal topic names)");
            }
        });
    }

    /** A list of host:port pairs; empty is allowed here (commands that connect require it). */
    public static ConfigDef.Validator hostPortList() {
        return validator("host:port[,host:port...], e.g. kafka-1:9092,kafka-2:9092", (name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            for (String entry : entries) {
                if (!HOST_PORT.matcher(entry).matches()) {
                    throw new ConfigException(name, value, "'" + entry + "' is not host:port; expected a"
                            + " comma-separated list such as kafka-1:9092,kafka-2:9092");
                }
            }
        });
    }

    /** A non-empty string without surrounding blanks, of at most {@code max} characters. */
    public static ConfigDef.Validator nonBlank(int max) {
        return validator("non-empty, at most " + max + " characters", (name, value) -> {
            String s = (String) value;
            if (s == null || s.isBlank() || s.length() > max) {
                throw new ConfigException(name, value, "expected a non-empty string of at most " + max + " characters");
            }
        });
    }

    /**
     * Schema registry URLs: one {@code mock://<name>}, or comma-separated {@code http(s)://host[:port][/path]}.
     * The message never shows a URL's password.
     */
    public static ConfigDef.Validator registryUrls() {
        String expected = "mock://<name>, or http(s)://host[:port][/path][,http(s)://...]";
        return validator(expected, (name, value) -> {
            String s = (String) value;
            if (s == null || s.isBlank() || s.length() > 4096) {
                throw new ConfigException(name, Redaction.text(s), "expected " + expected);
            }
            String[] urls = s.split(",");
            for (String url : urls) {
                String u = url.trim();
                if (u.startsWith("mock://") && urls.length == 1 && u.length() > "mock://".length()) {
                    continue;
                }
                URI uri;
                try {
                    uri = new URI(u);
                } catch (URISyntaxException e) {
                    uri = null;
                }
                if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        || uri.getHost() == null) {
                    throw new ConfigException(name, Redaction.text(s), "'" + Redaction.text(u) + "' is not a registry"
                            + " URL; expected " + expected + ", e.g. http://registry:8081 or"
                            + " http://registry:8080/apis/ccompat/v7");
                }
            }
        });
    }

    /** Null (unset) or a non-blank string. */
    public static ConfigDef.Validator optionalNonBlank() {
        return validator("unset, or a non-empty string", (name, value) -> {
            if (value != null && ((String) value).isBlank()) {
                throw new ConfigException(name, value, "expected a non-empty string, or leave the key out");
            }
        });
    }

    /** A string of at most {@code max} characters; empty is allowed. */
    public static ConfigDef.Validator maxLength(int max) {
        return validator("at most " + max + " characters; empty for none", (name, value) -> {
            String s = (String) value;
            if (s != null && s.length() > max) {
                throw new ConfigException(name, value, "expected at most " + max + " characters");
            }
        });
    }

    /** A double strictly between 0 and 1. */
    public static ConfigDef.Validator openUnitInterval() {
        return validator("(0, 1)", (name, value) -> {
            double d = (Double) value;
            if (!(d > 0.0 && d < 1.0)) {
                throw new ConfigException(name, value, "expected a number strictly between 0 and 1");
            }
        });
    }

    /** A double in (0, 1]. */
    public static ConfigDef.Validator halfOpenUnitInterval() {
        return validator("(0, 1]", (name, value) -> {
            double d = (Double) value;
            if (!(d > 0.0 && d <= 1.0)) {
                throw new ConfigException(name, value, "expected a number greater than 0 and at most 1");
            }
        });
    }

    /** A finite double &ge; 0. */
    public static ConfigDef.Validator nonNegativeFinite() {
        return validator("[0, +inf), finite", (name, value) -> {
            double d = (Double) value;
            if (!(Double.isFinite(d) && d >= 0.0)) {
                throw new ConfigException(name, value, "expected a finite number >= 0");
            }
        });
    }

    /** A non-empty list of effect-size test ids. */
    public static ConfigDef.Validator effectTests() {
        String effects = DriftTests.effectSizeIds();
        String gates = String.join(" and ", DriftTests.all().stream().filter(DriftTest::isSignificanceGate)
                .map(DriftTest::id).toList());
        return validator("non-empty list of " + effects, (name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) value;
            if (ids.isEmpty()) {
                throw new ConfigException(name, value, "expected one or more of " + effects);
            }
            for (String id : ids) {
                DriftTest test;
                try {
                    test = DriftTest.fromId(id);
                } catch (IllegalArgumentException e) {
                    test = null;
                }
                if (test == null || !test.isEffectSize()) {
                    throw new ConfigException(name, value, "'" + id + "' is not an effect-size test; expected"
                            + " one or more of " + effects + " (" + gates + " gate through policy.alpha)");
                }
            }
        });
    }

    /** -1 (the broker's default) or 1..32767. */
    public static ConfigDef.Validator replicationFactor() {
        return validator("-1 (broker default) or [1, 32767]", (name, value) -> {
            int n = (Integer) value;
            if (n != -1 && (n < 1 || n > Short.MAX_VALUE)) {
                throw new ConfigException(name, value, "expected -1 for the broker's default, or 1 to " + Short.MAX_VALUE);
            }
        });
    }

    private interface Check {
        void ensureValid(String name, Object value);
    }

    private static ConfigDef.Validator validator(String accepts, Check check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                check.ensureValid(name, value);
            }

            @Override
            public String toString() {
                return accepts;
            }
        };
    }
}
