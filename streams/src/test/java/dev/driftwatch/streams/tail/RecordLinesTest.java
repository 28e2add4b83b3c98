package dev.driftwatch.streams.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordLinesTest {
    private static final Instant END = Instant.parse("2026-11-01T09:10:00Z");

    @Test
    void shouldPrintAnAlertWithItsStatisticThresholdCtrAndId() {
        String line = RecordLines.text(OutputRecords.alert("al-0123456789abcdef0123", AlertState.FIRING,
                Severity.CRITICAL, "income", END, new BusinessContext(0.031, 0.042, -0.011)));
        assertEquals("2026-11-01T09:10:00Z FIRING   CRITICAL ctr-model/1.5.0 income: psi 0.4123 (threshold 0.25,"
                + " adjusted p 3.200e-11), n 400 vs 4000, CTR 0.031 vs baseline 0.042 (-0.011),"
                + " al-0123456789abcdef0123", line);
    }

    @Test
    void shouldLeaveTheCtrOutOfAnAlertWithoutBusinessContext() {
        String line = RecordLines.text(OutputRecords.alert("al-1", AlertState.RESOLVED, Severity.WARNING, "age", END,
                null));
        assertTrue(line.startsWith("2026-11-01T09:10:00Z RESOLVED WARNING  ctr-model/1.5.0 age: psi"), line);
        assertTrue(line.endsWith("n 400 vs 4000, al-1"), line);
    }

    @Test
    void shouldPrintADeadLetterWithItsReasonAndOrigin() {
        assertEquals("2026-11-01T09:00:03Z DEAD-LETTER WRONG_MAGIC_BYTE from inference-events/2@1234: first byte"
                + " 0x6e is not the magic byte 0", RecordLines.text(OutputRecords.deadLetter()));
    }

    @Test
    void shouldPrintWindowStatsWithEveryTestValue() {
        WindowStats stats = WindowStats.newBuilder().setModelId("ctr-model").setModelVersion("1.5.0")
                .setSubject("income").setSubjectKind("FEATURE").setWindowStart(END.minusSeconds(300))
                .setWindowEnd(END).setBaselineId(null).setSampleSize(400).setMissingCount(0)
                .setReferenceSampleSize(4000).setDrifting(true).setPolicyVersion(null).setLateEventsDropped(0)
                .setStatistics(List.of(new TestStatistic("psi", 0.41234, null, 0.1, true, null, null),
                        new TestStatistic("wasserstein", null, null, null, false, null, "zero spread")))
                .build();
        assertEquals("2026-11-01T09:10:00Z WindowStats ctr-model/1.5.0 income: subjectKind=FEATURE"
                + " windowStart=2026-11-01T09:05:00Z sampleSize=400 missingCount=0 referenceSampleSize=4000"
                + " psi=0.4123 wasserstein=undefined drifting=true lateEventsDropped=0 insufficientData=false",
                RecordLines.text(stats));
    }

    @Test
    void shouldWriteAlertsAsPlainJsonForJq() throws Exception {
        JsonNode json = new ObjectMapper().readTree(AvroJson.of(OutputRecords.alert("al-9", AlertState.FIRING,
                Severity.WARNING, "income", END, new BusinessContext(0.031, null, null))).toString());
        assertEquals("al-9", json.path("alertId").asText());
        assertEquals("FIRING", json.path("state").asText());
        assertEquals("2026-11-01T09:10:00Z", json.path("windowEnd").asText());
        assertEquals(0.41234, json.path("statistic").asDouble(), 1e-12);
        assertEquals(0.031, json.path("businessContext").path("currentCtr").asDouble(), 1e-12);
        assertTrue(json.path("businessContext").path("baselineCtr").isNull());
        assertEquals(2, json.path("windowsOverThreshold").asInt(), "a union value is unwrapped");
        JsonNode letter = new ObjectMapper().readTree(AvroJson.of(OutputRecords.deadLetter()).toString());
        assertEquals("cmVxLTc=", letter.path("originalKey").asText(), "bytes as base64");
        assertTrue(letter.path("originalHeaders").isArray());
    }

    @Test
    void shouldRoundFiguresToFourDecimalsOrAnExponent() {
        assertEquals("0.25", RecordLines.number(0.25));
        assertEquals("0", RecordLines.number(0));
        assertEquals("12.3457", RecordLines.number(12.345678));
        assertEquals("1.000e-05", RecordLines.number(1e-5));
        assertEquals("NaN", RecordLines.number(Double.NaN));
    }

    @Test
    void shouldNameTheOutputsTheCommandLineTakes() {
        assertEquals(OutputTopic.SERVICE_LEVELS, OutputTopic.byName("Service-Levels"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputTopic.byName("lag"));
        assertTrue(e.getMessage().contains("'lag'") && e.getMessage().contains("dlq"), e.getMessage());
    }
}
