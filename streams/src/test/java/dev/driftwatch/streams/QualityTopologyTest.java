package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DataQuality;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.internals.AlertStatus;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.WindowEvaluator;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.quality.QualitySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-quality signal on the whole topology. Baselines: {@code x} numeric on the values 0..99 (100 values,
 * none missing: range [0, 99]), {@code colour} categorical with 50 red and 50 blue. Windows of one minute with
 * 20 events each and {@code quality.min.events=10}, so that every share is a small fraction checked by hand;
 * p-values of the one-sided two-proportion test come from scipy ({@code norm.sf(z)} of the pooled z).
 */
class QualityTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final QualitySettings QUALITY = QualitySettings.defaults().withMinEvents(10);

    @TempDir
    Path stateDir;

    private static PipelineSettings settings(QualitySettings quality) {
        return PipelineSettings.defaults(Duration.ofMinutes(1)).withSignals(Signals.none().with(quality));
    }

    private static void baselines(PipelineFixture f) {
        double[] x = new double[100];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        f.publishNumericBaseline("m", "1", "x", x);
        String[] colours = new String[100];
        for (int i = 0; i < colours.length; i++) {
            colours[i] = i % 2 == 0 ? "red" : "blue";
        }
        f.publishCategoricalBaseline("m", "1", "colour", colours);
    }

    /** Sends one event with the given features (either map may leave a feature out) and no outputs. */
    private static void send(PipelineFixture f, long time, Map<String, Double> numeric, Map<String, String> categorical) {
        f.send(f.event("m", "1", time, numeric, categorical, null));
    }

    /** Twenty clean events in window {@code w}: x = 5w + i (within 0..99), colour red/blue. */
    private static void cleanWindow(PipelineFixture f, int w) {
        for (int i = 0; i < 20; i++) {
            send(f, T0 + w * MINUTE + i * 100, Map.of("x", (double) (5 * w + i)), Map.of("colour", i % 2 == 0 ? "red" : "blue"));
        }
    }

    private static void close(PipelineFixture f, int windows) {
        send(f, T0 + (windows + 2) * MINUTE, Map.of("x", 1.0), Map.of("colour", "red"));
    }

    private static List<WindowStats> quality(List<WindowStats> all) {
        return all.stream().filter(s -> s.getSubjectKind().equals("DATA_QUALITY")).toList();
    }

    private static WindowStats find(List<WindowStats> stats, String subject, int window) {
        return stats.stream().filter(s -> s.getSubject().equals(subject)
                && s.getWindowStart().toEpochMilli() == T0 + window * MINUTE).findFirst()
                .orElseThrow(() -> new AssertionError("no record of " + subject + " in window " + window + ": " + stats));
    }

    private static TestStatistic statistic(WindowStats s, String test) {
        return s.getStatistics().stream().filter(t -> t.getTest().equals(test)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + test + " in " + s));
    }

    private static List<DriftAlert> qualityAlerts(List<DriftAlert> all) {
        return all.stream().filter(a -> a.getSubjectKind() == SubjectKind.DATA_QUALITY).toList();
    }

    @Test
    void shouldReportCleanStationaryTrafficWithoutAnAlert() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            for (int w = 0; w < 4; w++) {
                cleanWindow(f, w);
            }
            close(f, 4);
            List<WindowStats> stats = quality(f.readStats());
            assertEquals(8, stats.size(), "x and colour in each of 4 windows: " + stats);
            for (WindowStats s : stats) {
                DataQuality q = s.getDataQuality();
                assertEquals(20, q.getEvents());
                assertEquals(0.0, q.getMissingShare(), 0.0);
                assertEquals(0.0, q.getReferenceMissingShare(), 0.0);
                assertEquals(List.of(), q.getProblems(), s.toString());
                assertFalse(s.getDrifting());
                assertEquals(20, s.getSampleSize());
                assertEquals(0, s.getMissingCount());
            }
            assertEquals(0.0, find(stats, "x", 0).getDataQuality().getOutOfRangeShare(), 0.0);
            assertEquals(0.0, find(stats, "x", 0).getDataQuality().getRangeLow(), 0.0);
            assertEquals(99.0, find(stats, "x", 0).getDataQuality().getRangeHigh(), 0.0);
            assertEquals(0.0, find(stats, "colour", 0).getDataQuality().getUnseenShare(), 0.0);
            assertEquals(List.of(), qualityAlerts(f.readAlerts()));
        }
    }

    @Test
    void shouldReportAndAlertOnAFeatureAbsentForOneWindowAndResolveWhenItComesBack() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            cleanWindow(f, 0);
            for (int i = 0; i < 20; i++) {
                send(f, T0 + MINUTE + i * 100, Map.of(), Map.of("colour", "red"));
            }
            cleanWindow(f, 2);
            close(f, 3);
            List<WindowStats> all = f.readStats();
            // Drift has nothing of x in window 1: only the data-quality record reports it.
            assertTrue(all.stream().noneMatch(s -> s.getSubject().equals("x") && s.getSubjectKind().equals("feature")
                    && s.getWindowStart().toEpochMilli() == T0 + MINUTE));
            WindowStats gone = find(quality(all), "x", 1);
            DataQuality q = gone.getDataQuality();
            assertTrue(q.getAbsent());
            assertEquals(20, q.getAbsentCount());
            assertEquals(20, gone.getMissingCount());
            assertEquals(0, gone.getSampleSize());
            assertEquals(1.0, q.getMissingShare(), 0.0);
            // Every reference value was present (q = 1): P(absent from 20 | reference) = 0.
            assertEquals(0.0, statistic(gone, "absent").getPValue(), 0.0);
            assertTrue(statistic(gone, "absent").getOverThreshold());
            // Missing share 20/20 against 0/100: z = 10.954, p = 3.163e-28 (scipy).
            assertEquals(3.1630341318386544e-28, q.getMissingPValue(), 1e-30);
            assertEquals(List.of("ABSENT", "MISSING_SHARE"), q.getProblems());
            assertEquals(List.of(), find(quality(all), "x", 0).getDataQuality().getProblems());
            assertEquals(List.of(), find(quality(all), "x", 2).getDataQuality().getProblems());

            List<DriftAlert> alerts = qualityAlerts(f.readAlerts());
            assertEquals(2, alerts.size(), alerts.toString());
            DriftAlert firing = alerts.get(0);
            assertEquals(AlertState.FIRING, firing.getState());
            assertEquals(DriftTest.ABSENT, firing.getTest());
            assertEquals(Severity.CRITICAL, firing.getSeverity());
            assertEquals("x", firing.getSubject());
            assertEquals(T0 + MINUTE, firing.getWindowStart().toEpochMilli());
            assertEquals(1.0, firing.getStatistic(), 0.0);
            assertEquals(20, firing.getCurrentSampleSize());
            assertEquals(100, firing.getReferenceSampleSize());
            String expectedId = WindowKeys.alertId(new WindowBundle("m", "1", "*", T0 + MINUTE, T0 + 2 * MINUTE),
                    Subjects.dataQuality("x"), AlertState.FIRING);
            assertEquals(expectedId, firing.getAlertId());
            assertTrue(firing.getSummary().contains("absent from 20 of 20 events"), firing.getSummary());
            DriftAlert resolved = alerts.get(1);
            assertEquals(AlertState.RESOLVED, resolved.getState());
            assertEquals(DriftTest.ABSENT, resolved.getTest());
            assertEquals(T0 + 2 * MINUTE, resolved.getWindowStart().toEpochMilli());
            assertEquals(expectedId, resolved.getAlertId(), "FIRING and its RESOLVED share the id");
            assertEquals(0.0, resolved.getStatistic(), 0.0);
        }
    }

    @Test
    void shouldFollowThePolicysPersistence() {
        // 2 of 3: one window without x does not fire; the second in a row does; it resolves once at most one of
        // the last three windows had a problem (window 4).
        PipelineSettings twoOfThree = settings(QUALITY).withPolicy(dev.driftwatch.detectors.policy.AlertPolicy
                .builder().persistence(2, 3).build());
        try (PipelineFixture f = new PipelineFixture(twoOfThree, stateDir)) {
            baselines(f);
            cleanWindow(f, 0);
            for (int w = 1; w <= 2; w++) {
                for (int i = 0; i < 20; i++) {
                    send(f, T0 + w * MINUTE + i * 100, Map.of(), Map.of("colour", "red"));
                }
            }
            for (int w = 3; w <= 5; w++) {
                cleanWindow(f, w);
            }
            close(f, 6);
            List<DriftAlert> alerts = qualityAlerts(f.readAlerts());
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                    alerts.stream().map(DriftAlert::getState).toList(), alerts.toString());
            assertEquals(T0 + 2 * MINUTE, alerts.get(0).getWindowStart().toEpochMilli());
            assertEquals(2, alerts.get(0).getWindowsOverThreshold());
            assertEquals(T0 + 4 * MINUTE, alerts.get(1).getWindowStart().toEpochMilli());
            assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
        }
    }

    @Test
    void shouldShowAFiringDataQualityAlertInTheStatusAndTheMetrics() {
        List<String> metrics = new CopyOnWriteArrayList<>();
        PipelineMetrics recording = new PipelineMetrics() {
            @Override
            public void statistic(String model, String version, String subject, String test, double value) {
                metrics.add("statistic " + subject + " " + test + " " + value);
            }

            @Override
            public void alertState(String model, String version, String subject, boolean firing, String severity) {
                metrics.add("alertState " + subject + " " + firing + " " + severity);
            }
        };
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY).withMetrics(recording), stateDir)) {
            baselines(f);
            cleanWindow(f, 0);
            for (int i = 0; i < 20; i++) {
                send(f, T0 + MINUTE + i * 100, Map.of(), Map.of("colour", "red"));
            }
            send(f, T0 + 2 * MINUTE, Map.of(), Map.of("colour", "red")); // closes window 1, x still gone
            List<AlertStatus> status = new ArrayList<>();
            try (var it = f.driver.<String, byte[]>getKeyValueStore(WindowEvaluator.ALERTS_STORE).all()) {
                it.forEachRemaining(kv -> status.add(AlertStatus.decode(kv.key, kv.value, 1)));
            }
            AlertStatus x = status.stream().filter(s -> s.subject().equals("x")
                    && s.kind().equals(AlertStatus.DATA_QUALITY)).findFirst().orElseThrow(() -> new AssertionError(
                    status.toString()));
            assertTrue(x.firing());
            assertEquals("absent", x.test());
            assertEquals("CRITICAL", x.severity());
            assertEquals(WindowKeys.alertId(new WindowBundle("m", "1", "*", T0 + MINUTE, T0 + 2 * MINUTE),
                    Subjects.dataQuality("x"), AlertState.FIRING), x.alertId());
            AlertStatus colour = status.stream().filter(s -> s.subject().equals("colour")
                    && s.kind().equals(AlertStatus.DATA_QUALITY)).findFirst().orElseThrow();
            assertFalse(colour.firing());
            assertTrue(metrics.contains("statistic x absent 1.0"), metrics.toString());
            assertTrue(metrics.contains("statistic x missing_share 1.0"), metrics.toString());
            assertTrue(metrics.contains("alertState *quality*x true CRITICAL"), metrics.toString());
            assertTrue(metrics.contains("alertState *quality*colour false NONE"), metrics.toString());
        }
    }

    @Test
    void shouldCountAbsentNullNanAndEmptyValuesAsMissingAndTestTheShare() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            for (int i = 0; i < 20; i++) {
                Map<String, Double> numeric = new HashMap<>();
                if (i < 4) {
                    numeric.put("x", Double.NaN);
                } else if (i >= 6) {
                    numeric.put("x", (double) i);
                } // i = 4, 5: x absent (an empty CSV cell)
                Map<String, String> categorical = new HashMap<>();
                categorical.put("colour", i < 3 ? "" : i % 2 == 0 ? "red" : "blue");
                send(f, T0 + i * 100, numeric, categorical);
            }
            close(f, 1);
            List<WindowStats> all = f.readStats();
            WindowStats x = find(quality(all), "x", 0);
            assertEquals(6, x.getMissingCount(), "4 NaN + 2 absent");
            assertEquals(2, x.getDataQuality().getAbsentCount());
            assertEquals(0.3, x.getDataQuality().getMissingShare(), 1e-12);
            // 6 of 20 against 0 of 100: z = 5.6195, p = 9.5747e-09 (scipy).
            assertEquals(9.574719930959342e-09, x.getDataQuality().getMissingPValue(), 1e-15);
            assertEquals(List.of("MISSING_SHARE"), x.getDataQuality().getProblems());
            WindowStats colour = find(quality(all), "colour", 0);
            assertEquals(3, colour.getMissingCount(), "3 empty strings");
            assertEquals(0.15, colour.getDataQuality().getMissingShare(), 1e-12);
            // 3 of 20 against 0 of 100: z = 3.9223, p = 4.385e-05 (scipy).
            assertEquals(4.38497118779512e-05, colour.getDataQuality().getMissingPValue(), 1e-10);
            assertEquals(0.05, statistic(colour, "missing_share").getThreshold(), 1e-12);
            // The drift record of x counts the absent values as missing too (issue 23: 2 expected, 1 reported).
            WindowStats drift = all.stream().filter(s -> s.getSubject().equals("x")
                    && s.getSubjectKind().equals("feature")).findFirst().orElseThrow();
            assertEquals(6, drift.getMissingCount());
            List<DriftAlert> alerts = qualityAlerts(f.readAlerts());
            assertEquals(List.of("colour", "x"), alerts.stream().map(DriftAlert::getSubject).sorted().toList());
            for (DriftAlert a : alerts) {
                assertEquals(DriftTest.MISSING_SHARE, a.getTest());
                assertEquals(Severity.WARNING, a.getSeverity());
            }
        }
    }

    @Test
    void shouldNotAlertOnAMissingShareThatIsNotSignificant() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            for (int i = 0; i < 20; i++) {
                send(f, T0 + i * 100, i == 0 ? Map.of() : Map.of("x", (double) i), Map.of("colour", "red"));
            }
            close(f, 1);
            WindowStats x = find(quality(f.readStats()), "x", 0);
            // 1 of 20 reaches the share 0.05, but against 0 of 100: z = 2.2454, p = 0.01237 > alpha 0.01 (scipy).
            assertEquals(0.05, x.getDataQuality().getMissingShare(), 1e-12);
            assertEquals(0.012369835647664232, x.getDataQuality().getMissingPValue(), 1e-9);
            assertEquals(List.of(), x.getDataQuality().getProblems());
            assertEquals(List.of(), qualityAlerts(f.readAlerts()));
        }
    }

    @Test
    void shouldReportTheShareOfUnseenCategoriesWithTheTopFew() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            String[] values = {"green", "green", "green", "green", "pink", "pink"};
            for (int i = 0; i < 20; i++) {
                String c = i < values.length ? values[i] : i % 2 == 0 ? "red" : "blue";
                send(f, T0 + i * 100, Map.of("x", (double) i), Map.of("colour", c));
            }
            close(f, 1);
            WindowStats colour = find(quality(f.readStats()), "colour", 0);
            DataQuality q = colour.getDataQuality();
            assertEquals(6, q.getUnseenCount());
            assertEquals(0.3, q.getUnseenShare(), 1e-12);
            assertEquals(Map.of("green", 4L, "pink", 2L), q.getUnseenTop());
            assertEquals(List.of("UNSEEN_CATEGORIES"), q.getProblems());
            List<DriftAlert> alerts = qualityAlerts(f.readAlerts());
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(DriftTest.UNSEEN_CATEGORIES, alerts.get(0).getTest());
            assertEquals(0.3, alerts.get(0).getStatistic(), 1e-12);
            assertEquals(0.05, alerts.get(0).getThreshold(), 0.0);
            assertEquals("colour", alerts.get(0).getSubject());
        }
    }

    private static void outOfRangeWindow(PipelineFixture f) {
        double[] odd = {150, 150, -5, Double.POSITIVE_INFINITY};
        for (int i = 0; i < 20; i++) {
            double v = i < odd.length ? odd[i] : i;
            send(f, T0 + i * 100, Map.of("x", v), Map.of("colour", "red"));
        }
        close(f, 1);
    }

    @Test
    void shouldReportTheShareOutsideTheReferenceRangeWithInfinitiesApart() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            outOfRangeWindow(f);
            WindowStats x = find(quality(f.readStats()), "x", 0);
            DataQuality q = x.getDataQuality();
            assertEquals(3, q.getOutOfRangeCount(), "150, 150 and -5 are outside [0, 99]");
            assertEquals(1, q.getInfiniteCount());
            assertEquals(19, x.getSampleSize(), "the finite values");
            assertEquals(3.0 / 19, q.getOutOfRangeShare(), 1e-12);
            // The infinity is missing: 1 of 20 against 0 of 100 is not significant (p = 0.01237).
            assertEquals(0.05, q.getMissingShare(), 1e-12);
            assertEquals(List.of("OUT_OF_RANGE"), q.getProblems());
            List<DriftAlert> alerts = qualityAlerts(f.readAlerts());
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(DriftTest.OUT_OF_RANGE, alerts.get(0).getTest());
            assertEquals(3.0 / 19, alerts.get(0).getStatistic(), 1e-12);
        }
    }

    @Test
    void shouldCheckTheNextEventsAgainstABaselinePublishedDuringTheWindow() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            // Ten events before the model version has a baseline: nothing to be out of the range of.
            for (int i = 0; i < 10; i++) {
                send(f, T0 + i * 100, Map.of("x", 150.0), Map.of("colour", "red"));
            }
            baselines(f);
            for (int i = 10; i < 20; i++) {
                send(f, T0 + i * 100, Map.of("x", i < 13 ? 150.0 : i), Map.of("colour", "red"));
            }
            close(f, 1);
            DataQuality q = find(quality(f.readStats()), "x", 0).getDataQuality();
            assertEquals(3, q.getOutOfRangeCount(), "the three values of 150 sent after the baseline");
        }
    }

    @Test
    void shouldCountEachSubjectApartWhenEventsOfDifferentShapesAlternateInAWindow() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            // Blocks of three events with x then colour, then three with colour alone: colour takes x's position
            // in the second shape, where it must neither be counted as x nor checked against x's numeric reference.
            int greens = 0;
            for (int i = 0; i < 24; i++) {
                String colour = i / 3 % 2 == 0 || i % 2 == 1 ? "green" : "red";
                greens += colour.equals("green") ? 1 : 0;
                send(f, T0 + i * 100, i / 3 % 2 == 0 ? Map.of("x", 150.0) : Map.of(), Map.of("colour", colour));
            }
            close(f, 1);
            List<WindowStats> stats = quality(f.readStats());
            DataQuality x = find(stats, "x", 0).getDataQuality();
            DataQuality colour = find(stats, "colour", 0).getDataQuality();
            assertEquals(12, x.getOutOfRangeCount(), "every x of 150, and only those");
            assertEquals(0, x.getTypeMismatchCount());
            assertEquals(0, colour.getTypeMismatchCount(), "colour checked against its own categorical reference");
            assertEquals(greens, colour.getUnseenCount(), "every green, in either shape");
            assertEquals(0, colour.getAbsentCount());
            assertEquals(12, x.getAbsentCount(), "x is absent from the second shape's events");
        }
    }

    @Test
    void shouldCheckConfiguredBoundsInPlaceOfTheReferenceRange() {
        QualitySettings bounded = QUALITY.withBounds(QualitySettings.parseBounds(List.of("x:-10:200")));
        try (PipelineFixture f = new PipelineFixture(settings(bounded), stateDir)) {
            baselines(f);
            outOfRangeWindow(f);
            DataQuality q = find(quality(f.readStats()), "x", 0).getDataQuality();
            assertEquals(0, q.getOutOfRangeCount());
            assertEquals(-10.0, q.getRangeLow(), 0.0);
            assertEquals(200.0, q.getRangeHigh(), 0.0);
            assertEquals(1, q.getInfiniteCount());
            assertEquals(List.of(), qualityAlerts(f.readAlerts()));
        }
    }

    @Test
    void shouldCountAndAlertOnValuesSentWithTheWrongType() {
        try (PipelineFixture f = new PipelineFixture(settings(QUALITY), stateDir)) {
            baselines(f);
            for (int i = 0; i < 20; i++) {
                Map<String, Double> numeric = new HashMap<>();
                Map<String, String> categorical = new HashMap<>();
                if (i < 2) {
                    categorical.put("x", i == 0 ? "42" : "7.5"); // a numeric feature sent as a string
                } else {
                    numeric.put("x", (double) i);
                }
                if (i >= 17) {
                    numeric.put("colour", 1.0); // the "1" vs "1.0" case: a category sent as a number
                } else {
                    categorical.put("colour", "red");
                }
                send(f, T0 + i * 100, numeric, categorical);
            }
            close(f, 1);
            List<WindowStats> stats = quality(f.readStats());
            DataQuality x = find(stats, "x", 0).getDataQuality();
            assertEquals(2, x.getTypeMismatchCount());
            assertEquals("42", x.getTypeMismatchExample());
            assertEquals(0, x.getAbsentCount(), "a mismatched value is not an absent one");
            assertEquals(0.0, x.getMissingShare(), 0.0);
            DataQuality colour = find(stats, "colour", 0).getDataQuality();
            assertEquals(3, colour.getTypeMismatchCount());
            assertEquals("1", colour.getTypeMismatchExample());
            assertEquals(0, colour.getUnseenCount(), "not re-bucketed as the category '1.0'");
            assertEquals(0.15, statistic(find(stats, "colour", 0), "type_mismatch").getValue(), 1e-12);
            List<DriftAlert> alerts = qualityAlerts(f.readAlerts());
            assertEquals(List.of("colour", "x"), alerts.stream().map(DriftAlert::getSubject).sorted().toList());
            for (DriftAlert a : alerts) {
                assertEquals(DriftTest.TYPE_MISMATCH, a.getTest());
            }
        }
    }

    @Test
    void shouldNotAlertOnRandomStationaryTraffic() {
        Random r = new Random(23);
        try (PipelineFixture f = new PipelineFixture(settings(QualitySettings.defaults()), stateDir)) {
            double[] reference = new double[5000];
            String[] colours = new String[5000];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = r.nextGaussian();
                colours[i] = r.nextDouble() < 0.7 ? "red" : r.nextDouble() < 0.5 ? "blue" : "green";
            }
            f.publishNumericBaseline("m", "1", "x", reference);
            f.publishCategoricalBaseline("m", "1", "colour", colours);
            for (int w = 0; w < 10; w++) {
                for (int i = 0; i < 400; i++) {
                    String c = r.nextDouble() < 0.7 ? "red" : r.nextDouble() < 0.5 ? "blue" : "green";
                    send(f, T0 + w * MINUTE + i * 100, Map.of("x", r.nextGaussian()), Map.of("colour", c));
                }
            }
            close(f, 10);
            List<WindowStats> stats = quality(f.readStats());
            assertEquals(20, stats.size());
            List<String> problems = new ArrayList<>();
            stats.forEach(s -> problems.addAll(s.getDataQuality().getProblems()));
            assertEquals(List.of(), problems);
            assertEquals(List.of(), qualityAlerts(f.readAlerts()));
        }
    }

    @Test
    void shouldRunNoDataQualityChecksWhenDisabled() {
        try (PipelineFixture f = new PipelineFixture(settings(QualitySettings.disabled()), stateDir)) {
            baselines(f);
            for (int i = 0; i < 20; i++) {
                send(f, T0 + MINUTE + i * 100, Map.of(), Map.of("colour", "red"));
            }
            close(f, 2);
            assertEquals(List.of(), quality(f.readStats()));
            assertEquals(List.of(), qualityAlerts(f.readAlerts()));
            assertNull(f.readStats().stream().findFirst().map(WindowStats::getDataQuality).orElse(null));
            assertNotNull(QualitySettings.disabled());
        }
    }
}
