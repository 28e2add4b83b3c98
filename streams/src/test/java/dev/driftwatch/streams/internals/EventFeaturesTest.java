package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
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
        assertEquals(2, f.categoricalCount());
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
    void categoricalValuesAreCheckedOnEveryEvent() {
        EventFeatures f = new EventFeatures();
        f.read(event(numeric("a", 1.0), categorical("k", "short")), 5);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> f.read(event(numeric("a", 1.0), categorical("k", "longer")), 5));
        assertTrue(e.getMessage().contains("6 characters"), e.getMessage());
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
}
