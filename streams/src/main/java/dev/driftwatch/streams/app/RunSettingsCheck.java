package dev.driftwatch.streams.app;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.serde.AvroSerdes;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.ops.OpsHttpServer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything that {@code driftwatch run} would otherwise learn only when Kafka Streams starts: the
 * passed-through Kafka Streams, producer, consumer and admin keys (types, ranges and their
 * combinations, as Kafka's own configuration classes check them), {@code application.server}, the
 * serde and registry keys (the same serde {@code run} builds), the state folder, and that the HTTP
 * endpoints' address can be listened on. {@code run --check}
 * and {@code run} call {@link #check} before anything else (then {@code run} starts with
 * {@link DriftwatchApp#startChecked}), and so does {@link DriftwatchApp#start}: one validation path, so that
 * {@code --check} passes exactly when {@code run} would start.
 */
public final class RunSettingsCheck {
    private static final String CLIENT_ID = "driftwatch-check";

    private RunSettingsCheck() {
    }

    /**
     * Checks the settings that only Kafka Streams, its clients, the serdes or the file system would
     * reject.
     *
     * @throws ConfigException naming the key, the bad value and what would be right
     */
    public static void check(DriftwatchConfig config) {
        StreamsConfig streams = kafka(config.streamsProperties(), props -> new StreamsConfig(props, false) {
        });
        kafka(withSerializers(streams.getProducerConfigs(CLIENT_ID)), ProducerConfig::new);
        kafka(withDeserializers(streams.getMainConsumerConfigs(config.applicationId(), CLIENT_ID, 0)),
                ConsumerConfig::new);
        kafka(withDeserializers(streams.getRestoreConsumerConfigs(CLIENT_ID)), ConsumerConfig::new);
        kafka(withDeserializers(streams.getGlobalConsumerConfigs(CLIENT_ID)), ConsumerConfig::new);
        kafka(streams.getAdminConfigs(CLIENT_ID), AdminClientConfig::new);
        config.applicationServer().ifPresent(RunSettingsCheck::checkApplicationServer);
        AvroSerdes.specific(InferenceEvent.class, config.serdeConfig(), false).close();
        checkStateDir(streams.getString(StreamsConfig.STATE_DIR_CONFIG), config.applicationId(),
                config.stateDir().isPresent());
        if (config.httpEnabled()) {
            OpsHttpServer.checkCanServe(config.httpBindAddress(), config.httpPort());
        }
    }

    private static void checkApplicationServer(String endpoint) {
        try {
            HostInfo.buildFromEndpoint(endpoint);
        } catch (ConfigException e) {
            throw new ConfigException(StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint, "expected host:port of this"
                    + " instance's HTTP endpoints as the other instances reach them, e.g. driftwatch-0.driftwatch:8080");
        }
    }

    /**
     * The state folder and the application's folder in it: each a folder if it exists, and the deepest
     * one that exists writable, so that Kafka Streams can create the rest.
     */
    static void checkStateDir(String dir, String applicationId, boolean set) {
        String fix = "; set " + DriftwatchConfig.STATE_DIR_CONFIG + " to a folder this process may write to (it is"
                + " created if missing)";
        String value = set ? dir : dir + " (unset: Kafka Streams' default)";
        Path base;
        try {
            base = Path.of(dir).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ConfigException(DriftwatchConfig.STATE_DIR_CONFIG, value, "not a path: " + e.getMessage() + fix);
        }
        Path existing = base.resolve(applicationId);
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new ConfigException(DriftwatchConfig.STATE_DIR_CONFIG, value, "no part of it exists" + fix);
        }
        if (!Files.isDirectory(existing)) {
            throw new ConfigException(DriftwatchConfig.STATE_DIR_CONFIG, value, existing + " is a file, not a folder"
                    + fix);
        }
        if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
            throw new ConfigException(DriftwatchConfig.STATE_DIR_CONFIG, value, "cannot write in " + existing + fix);
        }
    }

    /** Runs one of Kafka's own checks; its message gets what to do about a passed-through key. */
    private static <T, R> R kafka(T settings, Function<T, R> parse) {
        try {
            return parse.apply(settings);
        } catch (ConfigException e) {
            ConfigException explained = new ConfigException(e.getMessage()
                    + " (a Kafka setting that driftwatch passes through: correct it, or remove it for Kafka's default)");
            explained.initCause(e);
            throw explained;
        }
    }

    private static Map<String, Object> withSerializers(Map<String, Object> producer) {
        producer.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return producer;
    }

    private static Map<String, Object> withDeserializers(Map<String, Object> consumer) {
        consumer.putIfAbsent(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.putIfAbsent(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return consumer;
    }

}
