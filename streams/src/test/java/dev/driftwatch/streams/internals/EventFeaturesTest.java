package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names are checked once per shape of event; a changed name in a known shape is still checked. */
class EventFeaturesTest {
    private static InferenceEvent event(Map<String, Double> numeric, Map<String, String> categorical) {
        return InferenceEvent.newBuilder().setEventId("e").setRequestId("r").setModelId("m").setModelVersion("v")
                .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(1))
                .setNumericFeatures(numeric).setCategoricalFeatures(categorical)
                .setOutputs(ModelOutputs.newBuilder().build()).setSegment(Map.of()).build();
    }

    private static Map<String, Double> numeric(Object... nameValue) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Double) nameValue[i + 1]);
        }
        return m;
    }

    private static Map<String, String> categorical(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    @Test
    void readsBothMapsInTheirOrder() {
        EventFeatures f = new EventFeatures();
        Map<String, Double> n = numeric("a", 1.0, "b", null);
        n.put("c", 3.0);
        f.read(event(n, categorical("k", "x", "j", null)), 100);
        assertEquals(3, f.numericCount());
        assertEquals("a", f.numericName(0));
        assertEquals(1.0, f.numericValue(0));
        assertTrue(Double.isNaN(f.numericValue(1)), "a null value is missing (NaN)");
        assertEquals("c", f.numericName(2));
        assertEquals(3, f.categoricalCount(), "k, j and the derived output.error");
        assertEquals("j", f.categoricalName(1));
        assertEquals(null, f.categoricalValue(1));
    }

    @Test
    void aReservedNameIsRefusedEvenInThePlaceOfAGoodOne() {
        EventFeatures f = new EventFeatures();
        f.read(event(numeric("a", 1.0, "b", 2.0), categorical("k", "x")), 100);
        f.read(event(numeric("a", 1.0, "b", 2.0), categorical("k", "x")), 100);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0, "output.score", 2.0), categorical("k", "x")), 100));
        assertTrue(e.getMessage().contains("'output.score'"), e.getMessage());
        assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0, "b", 2.0), categorical("*all*", "x")), 100));
        assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0, "b", 2.0, "slo.x", 3.0), categorical("k", "x")), 100));
        // The refused events did not become the known shape: the good one still passes, the bad ones still fail.
        assertDoesNotThrow(() -> f.read(event(numeric("a", 1.0, "b", 2.0), categorical("k", "x")), 100));
        assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0, "output.score", 2.0), categorical("k", "x")), 100));
    }

    @Test
    void aNameBothNumericAndCategoricalIsRefusedWhateverCameBefore() {
        EventFeatures f = new EventFeatures();
        f.read(event(numeric("a", 1.0, "b", 2.0), categorical("k", "x")), 100);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0, "b", 2.0), categorical("a", "x")), 100));
        assertTrue(e.getMessage().contains("both numeric and categorical"), e.getMessage());
        // Fewer numeric features than the known shape: the categorical name moves into a checked place.
        assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("b", 2.0), categorical("b", "x")), 100));
    }

    @Test
    void theSameNamesSplitOtherwiseIntoOwnAndDerivedFeaturesAreAnotherShape() {
        EventFeatures f = new EventFeatures();
        // Features named as a text's derived subjects, and no text ...
        f.read(event(numeric("a", 1.0, "text.t.chars", 2.0, "text.t.words", 1.0, "text.t.non_ascii", 0.0,
                "text.t.empty", 0.0), categorical()), 100);
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < f.numericCount(); i++) {
            names.add(f.numericName(i));
        }
        long shape = f.shape();
        assertEquals(5, f.ownNumericCount());
        // ... then one feature and a text that derives the same four names in the same order.
        InferenceEvent withText = event(numeric("a", 1.0), categorical());
        withText.setTexts(Map.of("t", "hi"));
        f.read(withText, 100);
        java.util.List<String> derived = new java.util.ArrayList<>();
        for (int i = 0; i < f.numericCount(); i++) {
            derived.add(f.numericName(i));
        }
        assertEquals(names, derived, "the premise: the same names in the same order");
        assertEquals(1, f.ownNumericCount());
        assertTrue(f.shape() != shape, "the quality check numbers own features only: another shape");
    }

    @Test
    void aDerivedNameIsRefusedAsAnEventsOwnAfterAnEventThatDerivedIt() {
        EventFeatures f = new EventFeatures();
        // No categorical feature of its own: the derived output.error is the first categorical name ...
        f.read(event(numeric("a", 1.0), categorical()), 100);
        assertEquals("output.error", f.categoricalName(0));
        // ... and an event that names its own feature so is refused all the same.
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0), categorical("output.error", "x")), 100));
        assertTrue(e.getMessage().contains("'output.error'"), e.getMessage());
        // The same with a derived numeric name (the event's latency).
        InferenceEvent timed = event(numeric("a", 1.0), categorical());
        timed.setLatencyMs(12.0);
        f.read(timed, 100);
        assertEquals("output.latency_ms", f.numericName(1));
        assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0, "output.latency_ms", 3.0), categorical()), 100));
    }

    @Test
    void categoricalValuesAreCheckedOnEveryEvent() {
        EventFeatures f = new EventFeatures();
        f.read(event(numeric("a", 1.0), categorical("k", "short")), 5);
        assertEquals("short", f.categoricalValue(0));
        f.read(event(numeric("a", 1.0), categorical("k", "longer")), 5);
        assertEquals("longe", f.categoricalValue(0), "an over-long value is cut, not refused");
    }

    @Test
    void growsForWideEvents() {
        EventFeatures f = new EventFeatures();
        Map<String, Double> n = new LinkedHashMap<>();
        Map<String, String> c = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            n.put("n" + i, (double) i);
            c.put("c" + i, "v" + i);
        }
        f.read(event(n, c), 100);
        assertEquals(100, f.numericCount());
        assertEquals(99.0, f.numericValue(99));
        assertEquals("v99", f.categoricalValue(99));
    }

    private static int index(EventFeatures f, String name, boolean numeric) {
        int n = numeric ? f.numericCount() : f.categoricalCount();
        for (int i = 0; i < n; i++) {
            if ((numeric ? f.numericName(i) : f.categoricalName(i)).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldDeriveTextSubjectsWithoutKeepingTheText() {
        EventFeatures f = new EventFeatures();
        InferenceEvent e = event(numeric("a", 1.0), categorical());
        e.setTexts(Map.of("prompt", "Grüße  aus Köln\n", "response", "  "));
        e.setTextTokens(Map.of("prompt", 7L));
        f.read(e, 100);
        assertEquals(16.0, f.numericValue(index(f, "text.prompt.chars", true)), "code points");
        assertEquals(3.0, f.numericValue(index(f, "text.prompt.words", true)));
        assertEquals(3.0 / 16, f.numericValue(index(f, "text.prompt.non_ascii", true)), 1e-12);
        assertEquals(0.0, f.numericValue(index(f, "text.prompt.empty", true)));
        assertEquals(7.0, f.numericValue(index(f, "text.prompt.tokens", true)));
        assertEquals(1.0, f.numericValue(index(f, "text.response.empty", true)), "a blank text is empty");
        assertEquals(-1, index(f, "text.response.tokens", true), "no token count given");
        for (int i = 0; i < f.categoricalCount(); i++) {
            assertTrue(f.categoricalValue(i) == null || !f.categoricalValue(i).contains("Köln"), "no text is kept");
        }
    }

    @Test
    void shouldDeriveOperationalSubjects() {
        EventFeatures f = new EventFeatures();
        InferenceEvent e = event(numeric("a", 1.0), categorical());
        e.setLatencyMs(120.0);
        e.setTokensIn(30L);
        e.setTokensOut(200L);
        e.setCost(0.002);
        e.setErrorCode("REFUSAL");
        f.read(e, 100);
        assertEquals(120.0, f.numericValue(index(f, "output.latency_ms", true)));
        assertEquals(30.0, f.numericValue(index(f, "output.tokens_in", true)));
        assertEquals(200.0, f.numericValue(index(f, "output.tokens_out", true)));
        assertEquals(0.002, f.numericValue(index(f, "output.cost", true)));
        assertEquals("REFUSAL", f.categoricalValue(index(f, "output.error", false)));
        e.setErrorCode(null);
        f.read(e, 100);
        assertEquals("ok", f.categoricalValue(index(f, "output.error", false)));
    }

    @Test
    void shouldTruncateAnOverLongValueAndCountItInsteadOfRefusingTheEvent() {
        EventFeatures f = new EventFeatures();
        List<String> truncated = new java.util.ArrayList<>();
        dev.driftwatch.streams.PipelineMetrics metrics = new dev.driftwatch.streams.PipelineMetrics() {
            @Override
            public void valueTruncated(String model, String version, String feature) {
                truncated.add(feature);
            }
        };
        String longA = "a".repeat(3000) + "x";
        String longB = "a".repeat(3000) + "y";
        f.read(event(numeric(), categorical("prompt", longA)), 1024, metrics, true);
        String a = f.categoricalValue(index(f, "prompt", false));
        f.read(event(numeric(), categorical("prompt", longB)), 1024, metrics, true);
        String b = f.categoricalValue(index(f, "prompt", false));
        assertEquals(1024, a.length());
        assertTrue(a.startsWith("aaaa") && a.charAt(1015) == '#', a.substring(1010));
        assertTrue(!a.equals(b), "values that differ after the cut stay apart");
        assertEquals(List.of("prompt", "prompt"), truncated);
    }

    @Test
    void shouldRefuseAFeatureNamedLikeADerivedTextSubject() {
        EventFeatures f = new EventFeatures();
        InferenceEvent e = event(numeric("text.prompt.chars", 1.0), categorical());
        e.setTexts(Map.of("prompt", "hi"));
        InvalidEventException x = assertThrows(InvalidEventException.class, () -> f.read(e, 100));
        assertTrue(x.getMessage().contains("text.prompt.chars"), x.getMessage());
    }

    @Test
    void shouldReadEventsWhoseMapsShareOneArrayOfNamesAsEventsOfTheirOwn() {
        // a decoder hands out one array of names per shape: the values are each event's, the checks still made
        String[] names = {"a", "text.prompt.chars", "b"};
        EventFeatures f = new EventFeatures();
        long shape = -1;
        for (int i = 0; i < 5; i++) {
            double[] values = {i, 10 + i, i == 3 ? Double.NaN : 20 + i};
            f.read(event(FeatureArrays.numeric(names, values), categorical("k", "x")), 100);
            assertEquals(3, f.numericCount());
            for (int j = 0; j < 3; j++) {
                assertEquals(names[j], f.numericName(j));
                assertEquals(values[j], f.numericValue(j), "event " + i + ", feature " + j);
            }
            assertTrue(i == 0 || f.shape() == shape, "the same shape");
            shape = f.shape();
        }
        InferenceEvent withText = event(FeatureArrays.numeric(names, new double[] {1, 2, 3}), categorical("k", "x"));
        withText.setTexts(Map.of("prompt", "hi"));
        InvalidEventException x = assertThrows(InvalidEventException.class, () -> f.read(withText, 100));
        assertTrue(x.getMessage().contains("text.prompt.chars"), x.getMessage());
        f.read(event(FeatureArrays.numeric(names, new double[] {7, 8, 9}), categorical("k", "x")), 100);
        assertEquals(9.0, f.numericValue(2));
        assertEquals(shape, f.shape(), "the names checked before");
    }
}
