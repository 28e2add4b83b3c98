package dev.driftwatch.streams.embedded;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * One {@link EmbeddedKafkaBroker} for the tests of a class: started before the first, closed after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaBrokerExtension KAFKA = new EmbeddedKafkaBrokerExtension(Map.of("log.retention.ms", "-1"));
 * ...
 * KAFKA.broker().createTopics(List.of("events"), 1);
 * }</pre>
 */
public final class EmbeddedKafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private EmbeddedKafkaBroker broker;

    /** A broker with the default settings. */
    public EmbeddedKafkaBrokerExtension() {
        this(Map.of());
    }

    /** @param overrides broker settings over the defaults of {@link EmbeddedKafkaBroker#start(Map)} */
    public EmbeddedKafkaBrokerExtension(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start(overrides);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker; only between the class's first and last test. */
    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while the tests of its class do");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }
}
