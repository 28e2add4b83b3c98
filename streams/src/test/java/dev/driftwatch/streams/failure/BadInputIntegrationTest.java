package dev.driftwatch.streams.failure;

import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.schemas.serde.GenericAvroSerializer;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBrokerExtension;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on a real broker: 10,000 unreadable or invalid records of every kind mixed into good traffic
 * all reach the dead-letter topic with their reason while the good records around them are counted; events
 * of a model without a baseline, and events far in the past (late), are not dead letters by design.
 */
@Timeout(300)
class BadInputIntegrationTest {
    // Records of over 1 MB (a 1,000,000-character value, then its dead letter) need a larger limit.
    @RegisterExtension
    static final EmbeddedKafkaBrokerExtension KAFKA =
            new EmbeddedKafkaBrokerExtension(Map.of("message.max.bytes", String.valueOf(4 * 1024 * 1024)));

    @TempDir
    static java.nio.file.Path dir;

    /** A category of bad record: how many, how to make the i-th, and the reasons it may be rejected with. */
    private record Category(String name, int count, Set<DeadLetterReason> reasons) {
    }

    static final int GOOD_PER_WINDOW = 1_000;
    static final int WINDOWS = 3;
    static final int NAN_FEATURE_EVENTS_PER_WINDOW = 50;
    static final int UNKNOWN_MODEL_PER_WINDOW = 100;
    static final int FAR_PAST_EVENTS = 40;

    @Test
    void shouldSendTenThousandBadRecordsToTheDeadLetterTopicWithTheirReasonAndCountTheGoodOnes() throws Exception {
        Random random = new Random(20261124L);
        List<Category> categories = List.of(
                new Category("wrong-magic-byte", 1_500, EnumSet.of(DeadLetterReason.WRONG_MAGIC_BYTE)),
                new Category("unknown-schema-id", 1_500, EnumSet.of(DeadLetterReason.UNKNOWN_SCHEMA_ID)),
                new Category("truncated", 1_500, EnumSet.of(DeadLetterReason.TRUNCATED)),
                // random bytes: whatever the first bytes happen to say, but always a decoding reason
                new Category("random-bytes", 1_500, EnumSet.of(DeadLetterReason.WRONG_MAGIC_BYTE,
                        DeadLetterReason.TRUNCATED, DeadLetterReason.UNKNOWN_SCHEMA_ID,
                        DeadLetterReason.MALFORMED_BODY, DeadLetterReason.SCHEMA_MISMATCH)),
                new Category("schema-without-required-fields", 800, EnumSet.of(DeadLetterReason.SCHEMA_MISMATCH)),
                new Category("empty-model-id-or-version", 700, EnumSet.of(DeadLetterReason.INVALID_CONTENT)),
                new Category("nan-or-infinite-latency-or-cost", 1_000, EnumSet.of(DeadLetterReason.INVALID_CONTENT)),
                new Category("10000-feature-map", 100, EnumSet.of(DeadLetterReason.INVALID_CONTENT)),
                new Category("1mb-string", 20, EnumSet.of(DeadLetterReason.INVALID_CONTENT)),
                new Category("event-time-far-in-the-future", 700, EnumSet.of(DeadLetterReason.INVALID_CONTENT)),
                new Category("event-time-at-or-before-epoch", 680, EnumSet.of(DeadLetterReason.INVALID_CONTENT)));
        int bad = categories.stream().mapToInt(Category::count).sum();
        assertEquals(10_000, bad);

        long started = System.nanoTime();
        try (PipelineUnderTest p = new PipelineUnderTest(KAFKA.broker(), "bad-input", dir.resolve("bad-input"),
                Map.of())) {
            p.publishBaselines(5_000, 7);
            FailureTraffic.Generator gen = new FailureTraffic.Generator(11, GOOD_PER_WINDOW, 99, 99);
            byte[] sample = p.topics.events().valueSerde().serializer().serialize(p.topics.events().name(),
                    gen.stable(0, 0));
            Schema withoutRequired = SchemaBuilder.record("InferenceEvent").namespace("dev.driftwatch.schemas.avro")
                    .fields().requiredString("eventId").requiredString("requestId").endRecord();
            GenericAvroSerializer otherWriter = new GenericAvroSerializer();
            otherWriter.configure(Map.of("schema.registry.url", "mock://bad-input"), false);

            // The bad records, in a seeded random order, spread over the windows between good events.
            List<String[]> badList = new ArrayList<>();
            for (Category c : categories) {
                for (int i = 0; i < c.count(); i++) {
                    badList.add(new String[] {c.name(), String.valueOf(i)});
                }
            }
            Collections.shuffle(badList, random);
            int badPerWindow = (bad + WINDOWS - 1) / WINDOWS;
            int nextBad = 0;
            long lastTime = 0;
            for (int w = 0; w < WINDOWS; w++) {
                int badHere = Math.min(badPerWindow, bad - nextBad);
                int slots = GOOD_PER_WINDOW + badHere;
                int goodSent = 0;
                for (int s = 0; s < slots; s++) {
                    boolean sendBad = nextBad < bad && (goodSent >= GOOD_PER_WINDOW
                            || random.nextInt(slots - s) < badHere - (s - goodSent));
                    if (s == 0) {
                        sendBad = false; // the partition's stream time starts with a good event
                    }
                    if (sendBad) {
                        String[] b = badList.get(nextBad++);
                        long time = gen.time(w, Math.max(0, goodSent - 1));
                        p.send("bad-" + b[0] + "-" + b[1], badRecord(b[0], Integer.parseInt(b[1]), random, sample,
                                gen, w, goodSent, withoutRequired, otherWriter, p), time);
                    } else if (goodSent < GOOD_PER_WINDOW) {
                        InferenceEvent e = gen.stable(w, goodSent);
                        if (goodSent < NAN_FEATURE_EVENTS_PER_WINDOW) {
                            // NaN and infinite feature values are missing values, not bad records
                            e.getNumericFeatures().put("age", Double.NaN);
                            e.getNumericFeatures().put("income", Double.POSITIVE_INFINITY);
                        }
                        p.send(e);
                        p.send(gen.drifting(w, goodSent));
                        if (goodSent < UNKNOWN_MODEL_PER_WINDOW) {
                            InferenceEvent unknown = gen.stable(w, goodSent);
                            unknown.setModelId("model-without-baseline");
                            p.send(unknown);
                        }
                        if (w == 1 && goodSent < FAR_PAST_EVENTS) {
                            InferenceEvent old = gen.stable(w, goodSent);
                            old.setEventTime(Instant.parse("2000-01-01T00:00:00Z"));
                            p.send(old);
                        }
                        lastTime = e.getEventTime().toEpochMilli();
                        goodSent++;
                    }
                }
            }
            assertEquals(bad, nextBad);
            long closing = FailureTraffic.T0 + (WINDOWS + 1) * FailureTraffic.WINDOW_MS + 2 * FailureTraffic.GRACE_MS;
            p.send(gen.stableAt(closing));
            p.flush();
            assertTrue(lastTime > 0);

            int statsPerWindow = 2 * FailureTraffic.SUBJECTS + FailureTraffic.SUBJECTS;
            p.readUntil("all dead letters and window statistics", Duration.ofSeconds(180),
                    () -> p.deadLetters.size() >= bad && p.driftCount() >= WINDOWS * statsPerWindow);
            p.readFor(Duration.ofSeconds(2)); // a repeat would show up here
            assertEquals(KafkaStreams.State.RUNNING, p.app.state(), "the pipeline keeps running");

            // Every bad record is a dead letter, once, with a reason its category allows and a detail.
            Map<String, Map<DeadLetterReason, Integer>> byCategory = new TreeMap<>();
            Set<String> keys = new java.util.HashSet<>();
            for (ConsumerRecord<String, DeadLetter> r : p.deadLetters) {
                String key = r.key();
                assertTrue(key.startsWith("bad-"), "a good record was dead-lettered: " + key + " " + r.value().getDetail());
                assertTrue(keys.add(key), "dead-lettered twice: " + key);
                String category = key.substring(4, key.lastIndexOf('-'));
                byCategory.computeIfAbsent(category, k -> new TreeMap<>()).merge(r.value().getReason(), 1, Integer::sum);
                assertFalse(r.value().getDetail() == null || r.value().getDetail().isBlank(), key);
                assertEquals(p.topics.events().name(), r.value().getOriginalTopic());
            }
            for (Category c : categories) {
                Map<DeadLetterReason, Integer> reasons = byCategory.getOrDefault(c.name(), Map.of());
                assertEquals(c.count(), reasons.values().stream().mapToInt(Integer::intValue).sum(),
                        c.name() + ": " + reasons);
                assertTrue(c.reasons().containsAll(reasons.keySet()), c.name() + " rejected as " + reasons);
            }
            assertEquals(bad, p.deadLetters.size());

            // The good records around them are all counted; NaN/Inf features as missing.
            for (int w = 0; w < WINDOWS; w++) {
                long start = FailureTraffic.T0 + w * FailureTraffic.WINDOW_MS;
                WindowStats age = single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "age", start));
                assertEquals(GOOD_PER_WINDOW - NAN_FEATURE_EVENTS_PER_WINDOW, age.getSampleSize(), "window " + w);
                assertEquals(NAN_FEATURE_EVENTS_PER_WINDOW, age.getMissingCount());
                assertEquals(w == 1 ? FAR_PAST_EVENTS : 0, age.getLateEventsDropped(), "far-past events are late");
                WindowStats country = single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "country", start));
                assertEquals(GOOD_PER_WINDOW, country.getSampleSize());
                WindowStats drifting = single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.DRIFTING, "income", start));
                assertEquals(GOOD_PER_WINDOW, drifting.getSampleSize());
                // A model without a baseline is not a bad record: its windows are counted and say why untested.
                WindowStats unknown = single(p.statsOf("model-without-baseline", FailureTraffic.STABLE, "age", start));
                assertEquals(UNKNOWN_MODEL_PER_WINDOW, unknown.getSampleSize());
                assertNull(unknown.getBaselineId());
                assertTrue(unknown.getStatistics().get(0).getUndefinedReason().startsWith("no baseline"),
                        unknown.toString());
            }
            System.out.printf(Locale.ROOT, "[bad-input] %,d bad records in %d categories, %,d good events, in %.1f s: %s%n",
                    bad, categories.size(), WINDOWS * GOOD_PER_WINDOW * 2, (System.nanoTime() - started) / 1e9,
                    byCategory);
        }
    }

    @Test
    void shouldStopInsteadOfDeadLetteringGoodEventsWhileTheSchemaRegistryCannotBeReached() throws Exception {
        // The producers' registry (mock://registry-outage) has the schema; the pipeline's registry does not answer.
        // a stopped member leaves the group after 6 s (Kafka Streams does not leave it on close)
        Map<String, String> unreachable = Map.of("schema.registry.url", "http://127.0.0.1:9",
                "session.timeout.ms", "6000", "heartbeat.interval.ms", "1000");
        FailureTraffic.Generator gen = new FailureTraffic.Generator(3, 100, 99, 99);
        try (PipelineUnderTest p = new PipelineUnderTest(KAFKA.broker(), "registry-outage", dir.resolve("outage-1"),
                unreachable)) {
            for (int i = 0; i < 100; i++) {
                p.send(gen.stable(0, i));
            }
            p.send(gen.stableAt(FailureTraffic.T0 + 2 * FailureTraffic.WINDOW_MS));
            p.flush();
            p.readUntil("the pipeline to stop", Duration.ofSeconds(60),
                    () -> p.app.state() == KafkaStreams.State.ERROR);
            p.readFor(Duration.ofSeconds(1));
            assertTrue(p.deadLetters.isEmpty(), "readable events must not become dead letters when the registry is"
                    + " down: " + p.deadLetters.stream().map(r -> r.value().getDetail()).limit(3).toList());
            StringBuilder causes = new StringBuilder();
            for (Throwable t = p.app.failure().orElse(null); t != null; t = t.getCause()) {
                causes.append(t).append('\n');
            }
            assertTrue(causes.toString().contains("cannot fetch schema id 1 from the schema registry"),
                    "the failure names the registry: " + causes);
        }
        // With the registry back, the same application reads the same events: nothing was lost.
        try (PipelineUnderTest p = new PipelineUnderTest(KAFKA.broker(), "registry-outage", dir.resolve("outage-2"),
                Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"))) {
            p.readUntil("window 0", Duration.ofSeconds(90), () -> p.driftCount() >= FailureTraffic.SUBJECTS);
            assertEquals(100, single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "age", FailureTraffic.T0))
                    .getSampleSize());
            assertTrue(p.deadLetters.isEmpty());
        }
    }

    private static WindowStats single(List<WindowStats> stats) {
        assertEquals(1, stats.size(), stats.toString());
        return stats.get(0);
    }

    private static byte[] badRecord(String category, int i, Random random, byte[] sample, FailureTraffic.Generator gen,
                                    int window, int index, Schema withoutRequired, GenericAvroSerializer otherWriter,
                                    PipelineUnderTest p) {
        Supplier<InferenceEvent> event = () -> gen.stable(window, index);
        switch (category) {
            case "wrong-magic-byte" -> {
                byte[] b = Arrays.copyOf(sample, sample.length);
                b[0] = (byte) (1 + random.nextInt(255));
                return b;
            }
            case "unknown-schema-id" -> {
                byte[] b = Arrays.copyOf(sample, sample.length);
                ByteBuffer.wrap(b, 1, 4).putInt(1_000_000 + i);
                return b;
            }
            case "truncated" -> {
                return Arrays.copyOf(sample, random.nextInt(sample.length - 1));
            }
            case "random-bytes" -> {
                byte[] b = new byte[random.nextInt(200)];
                random.nextBytes(b);
                return b;
            }
            case "schema-without-required-fields" -> {
                GenericRecord r = new GenericData.Record(withoutRequired);
                r.put("eventId", "evt-incomplete-" + i);
                r.put("requestId", "req-incomplete-" + i);
                // written under another subject, so that the events subject keeps its compatibility
                return otherWriter.serialize("incomplete-producer", r);
            }
            case "empty-model-id-or-version" -> {
                InferenceEvent e = event.get();
                if (i % 2 == 0) {
                    e.setModelId("");
                } else {
                    e.setModelVersion(" ");
                }
                return serialize(p, e);
            }
            case "nan-or-infinite-latency-or-cost" -> {
                InferenceEvent e = event.get();
                switch (i % 4) {
                    case 0 -> e.setLatencyMs(Double.NaN);
                    case 1 -> e.setLatencyMs(Double.NEGATIVE_INFINITY);
                    case 2 -> e.setCost(Double.POSITIVE_INFINITY);
                    default -> e.setCost(Double.NaN);
                }
                return serialize(p, e);
            }
            case "10000-feature-map" -> {
                InferenceEvent e = event.get();
                Map<String, Double> features = new LinkedHashMap<>();
                for (int f = 0; f < 10_000; f++) {
                    features.put("f" + f, (double) f);
                }
                e.setNumericFeatures(features);
                return serialize(p, e);
            }
            case "1mb-string" -> {
                // A segment value over max.value.length is refused (an over-long categorical feature value is
                // truncated and counted instead, see EventFeaturesTest).
                InferenceEvent e = event.get();
                Map<String, String> segment = new HashMap<>(e.getSegment());
                segment.put("region", "x".repeat(1_000_000));
                e.setSegment(segment);
                return serialize(p, e);
            }
            case "event-time-far-in-the-future" -> {
                InferenceEvent e = event.get();
                // beyond the wall clock + max.future.skew.ms (a time merely days after the old traffic's is a
                // quiet period, not an error)
                e.setEventTime(i % 2 == 0 ? Instant.parse("9999-12-31T00:00:00Z")
                        : Instant.now().plus(Duration.ofDays(3)));
                return serialize(p, e);
            }
            case "event-time-at-or-before-epoch" -> {
                InferenceEvent e = event.get();
                e.setEventTime(Instant.ofEpochMilli(i % 2 == 0 ? 0 : -86_400_000L * (1 + i)));
                return serialize(p, e);
            }
            default -> throw new IllegalArgumentException(category);
        }
    }

    private static byte[] serialize(PipelineUnderTest p, InferenceEvent e) {
        return p.topics.events().valueSerde().serializer().serialize(p.topics.events().name(), e);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
