package dev.driftwatch.streams;

import dev.driftwatch.detectors.embedding.EmbeddingReference;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.embedding.EmbeddingBaselines;
import dev.driftwatch.streams.embedding.EmbeddingSettings;
import dev.driftwatch.streams.internals.BaselineCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topic shift that only the embeddings show: the prompts' topic mix changes from window 3 on, while every
 * univariate feature (a numeric feature, a categorical one, the score) keeps its distribution.
 */
class EmbeddingTopologyTest {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final int DIM = 32;
    private static final int PER_WINDOW = 100;

    @TempDir
    Path stateDir;

    /** Topic centres: three random directions of length 3. */
    private static double[][] topics(Random random) {
        double[][] c = new double[3][DIM];
        for (double[] t : c) {
            double norm = 0;
            for (int j = 0; j < DIM; j++) {
                t[j] = random.nextGaussian();
                norm += t[j] * t[j];
            }
            for (int j = 0; j < DIM; j++) {
                t[j] *= 3 / Math.sqrt(norm);
            }
        }
        return c;
    }

    private static double[] vector(Random random, double[][] topics, double[] mix) {
        double u = random.nextDouble();
        int t = u < mix[0] ? 0 : u < mix[0] + mix[1] ? 1 : 2;
        double[] v = new double[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = topics[t][j] + random.nextGaussian();
        }
        return v;
    }

    private static List<Float> floats(double[] v) {
        List<Float> f = new ArrayList<>(v.length);
        for (double x : v) {
            f.add((float) x);
        }
        return f;
    }

    @Test
    void shouldAlertOnATopicShiftThatNoUnivariateFeatureShows() {
        Random random = new Random(11);
        double[][] topics = topics(random);
        double[] before = {0.6, 0.3, 0.1};
        double[] after = {0.1, 0.3, 0.6};
        double[][] reference = new double[3000][];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = vector(random, topics, before);
        }
        EmbeddingReference ref = EmbeddingReference.fit(reference, EmbeddingSettings.defaultFit());
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1));
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            f.baselines.pipeInput(BaselineCodec.key("chat", "1", "embedding.prompt"),
                    EmbeddingBaselines.toAvro("chat", "1", "prompt", ref, 0, "test:prompt", null), Instant.EPOCH);
            double[] xs = new double[5000];
            String[] langs = new String[5000];
            double[] scores = new double[5000];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = random.nextGaussian();
                langs[i] = random.nextDouble() < 0.7 ? "en" : "fr";
                scores[i] = random.nextDouble();
            }
            f.publishNumericBaseline("chat", "1", "x", xs);
            f.publishCategoricalBaseline("chat", "1", "lang", langs);
            f.publishNumericBaseline("chat", "1", "output.score", scores);
            for (int w = 0; w < 6; w++) {
                for (int i = 0; i < PER_WINDOW; i++) {
                    long time = T0 + w * MINUTE + i * (MINUTE / PER_WINDOW);
                    InferenceEvent e = f.event("chat", "1", time, Map.of("x", random.nextGaussian()),
                            Map.of("lang", random.nextDouble() < 0.7 ? "en" : "fr"), random.nextDouble());
                    e.setEmbeddings(Map.of("prompt", floats(vector(random, topics, w >= 3 ? after : before))));
                    f.send(e);
                }
            }
            f.send(f.event("chat", "1", T0 + 8 * MINUTE, Map.of("x", 0.0), Map.of("lang", "en"), 0.5));
            List<WindowStats> stats = f.readStats();
            List<DriftAlert> alerts = f.readAlerts();

            List<WindowStats> embedding = stats.stream().filter(s -> s.getSubject().equals("embedding.prompt")).toList();
            assertEquals(6, embedding.size(), "one record per window: " + embedding);
            for (int w = 0; w < 6; w++) {
                WindowStats s = embedding.get(w);
                assertEquals("embedding", s.getSubjectKind());
                assertEquals(PER_WINDOW, s.getSampleSize());
                assertEquals(w >= 3, s.getDrifting(), "window " + w + ": " + s.getStatistics());
                assertEquals(List.of("embedding_mean", "embedding_cosine", "embedding_pca", "embedding_mmd"),
                        s.getStatistics().stream().map(TestStatistic::getTest).toList());
            }
            for (WindowStats s : stats) {
                if (!s.getSubject().startsWith("embedding.")) {
                    assertFalse(s.getDrifting(), "univariate subject " + s.getSubject() + " drifts: " + s);
                }
            }
            assertTrue(stats.stream().anyMatch(s -> s.getSubject().equals("x")), "x is tested");
            List<DriftAlert> firing = alerts.stream().filter(a -> a.getState() == AlertState.FIRING).toList();
            assertEquals(1, firing.size(), "only the embedding fires: " + firing);
            DriftAlert a = firing.get(0);
            assertEquals("embedding.prompt", a.getSubject());
            assertEquals(SubjectKind.EMBEDDING, a.getSubjectKind());
            assertEquals(Instant.ofEpochMilli(T0 + 3 * MINUTE), a.getWindowStart());
            assertEquals(ref.hash(), a.getBaselineId());
            assertTrue(a.getPValue() <= 0.01, a.toString());
        }
    }
}
