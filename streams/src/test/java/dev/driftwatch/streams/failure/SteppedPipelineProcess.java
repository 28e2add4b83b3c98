package dev.driftwatch.streams.failure;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.config.DriftwatchConfig;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

/**
 * driftwatch's topology with small steps, the same for handing closed windows on and for evaluating them
 * ({@code DriftwatchTopology.build(..., chunkSubjects, chunkSubjects)}), on a
 * Kafka Streams client configured as {@code driftwatch run} configures it, for a test to kill with SIGKILL in a
 * chosen place of the stepped evaluation: the stream thread's producer stops (blocks for good) as it is about to
 * send the {@code record}-th window-statistics record of a transaction once {@code steps} transactions with window
 * statistics have committed, and says so in a marker file; the test then kills this process.
 *
 * <p>Arguments: config file, subjects per step, steps, record (steps &lt; 0: never stops), marker file. The
 * process runs until killed.</p>
 */
public final class SteppedPipelineProcess {
    private SteppedPipelineProcess() {
    }

    public static void main(String[] args) throws Exception {
        DriftwatchConfig config = DriftwatchConfig.load(Path.of(args[0]));
        int chunkSubjects = Integer.parseInt(args[1]);
        Stop stop = new Stop(config.windowStatsTopic(), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Path.of(args[4]));
        fixSchemaIds(config.schemaRegistryUrl());
        Properties props = config.streamsProperties();
        // Static membership: a restarted instance takes its partitions back at once, not after the session timeout.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.applicationId());
        KafkaStreams streams = new KafkaStreams(DriftwatchTopology.build(config.pipelineSettings(1), config.topics(),
                config.controlSettings(), Storage.PERSISTENT, chunkSubjects, chunkSubjects), props, stop);
        streams.start();
        new CountDownLatch(1).await(); // until killed
    }

    /**
     * Registers every driftwatch schema under a fixed id in this process's in-memory registry ({@code mock://}), in
     * the test and in the pipeline's process alike, so that each reads what the other wrote.
     */
    static void fixSchemaIds(String registryUrl) {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf(registryUrl));
        List<Schema> schemas = List.of(InferenceEvent.getClassSchema(), Baseline.getClassSchema(),
                WindowStats.getClassSchema(), DriftAlert.getClassSchema(), DeadLetter.getClassSchema(),
                ControlCommand.getClassSchema(), ControlResult.getClassSchema(), BusinessMetrics.getClassSchema(),
                ServiceLevels.getClassSchema(), RoleComparison.getClassSchema(), ReviewRequest.getClassSchema(),
                OutcomeEvent.getClassSchema());
        for (int i = 0; i < schemas.size(); i++) {
            registry.register("fixed-" + schemas.get(i).getFullName(), schemas.get(i), i + 1);
        }
    }

    /** Kafka's own clients, but the producers stop where asked ({@link StoppingProducer}). */
    private static final class Stop implements KafkaClientSupplier {
        private final String statsTopic;
        private final int steps;
        private final int record;
        private final Path marker;
        /** Transactions with window statistics committed, and window statistics in them. */
        private int committedSteps;
        private int committedRecords;
        /** Window statistics sent in the open transaction. */
        private int openRecords;

        Stop(String statsTopic, int steps, int record, Path marker) {
            this.statsTopic = statsTopic;
            this.steps = steps;
            this.record = record;
            this.marker = marker;
        }

        @Override
        public Admin getAdmin(Map<String, Object> config) {
            return Admin.create(config);
        }

        @Override
        public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
            return new StoppingProducer(config, this);
        }

        @Override
        public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
            return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
            return getConsumer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
            return getConsumer(config);
        }

        synchronized void beforeSend(String topic) throws Exception {
            if (!topic.equals(statsTopic)) {
                return;
            }
            if (steps >= 0 && committedSteps >= steps && openRecords + 1 == record) {
                Path written = Files.writeString(marker.resolveSibling(marker.getFileName() + ".tmp"),
                        "steps=" + committedSteps + " records=" + committedRecords + "\n");
                Files.move(written, marker, StandardCopyOption.ATOMIC_MOVE);
                new CountDownLatch(1).await(); // the stream thread stops here until the test kills the process
            }
            openRecords++;
        }

        synchronized void committed() {
            if (openRecords > 0) {
                committedSteps++;
                committedRecords += openRecords;
            }
            openRecords = 0;
        }

        synchronized void aborted() {
            openRecords = 0;
        }
    }

    /** A producer that tells {@link Stop} what it sends and commits. */
    private static final class StoppingProducer extends KafkaProducer<byte[], byte[]> {
        private final Stop stop;

        StoppingProducer(Map<String, Object> config, Stop stop) {
            super(config, new ByteArraySerializer(), new ByteArraySerializer());
            this.stop = stop;
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            try {
                stop.beforeSend(record.topic());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return super.send(record, callback);
        }

        @Override
        public void commitTransaction() {
            super.commitTransaction();
            stop.committed();
        }

        @Override
        public void abortTransaction() {
            super.abortTransaction();
            stop.aborted();
        }
    }
}
