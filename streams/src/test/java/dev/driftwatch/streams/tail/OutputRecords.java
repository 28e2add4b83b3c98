package dev.driftwatch.streams.tail;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.avro.SubjectKind;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Output records as the pipeline writes them, for the tests of the readers. */
public final class OutputRecords {
    private OutputRecords() {
    }

    /** A PSI alert of {@code ctr-model/1.5.0} on a 5-minute window ending at {@code windowEnd}. */
    public static DriftAlert alert(String id, AlertState state, Severity severity, String subject, Instant windowEnd,
                                   BusinessContext context) {
        return DriftAlert.newBuilder()
                .setAlertId(id).setState(state).setSeverity(severity).setTest(DriftTest.PSI)
                .setStatistic(0.41234).setPValue(1e-12).setAdjustedPValue(3.2e-11).setThreshold(0.25)
                .setWindowStart(windowEnd.minusSeconds(300)).setWindowEnd(windowEnd)
                .setCurrentSampleSize(400).setReferenceSampleSize(4000)
                .setBaselineId("bl-1").setBaselineSource("train.csv").setPolicyVersion("default")
                .setModelId("ctr-model").setModelVersion("1.5.0").setSubject(subject)
                .setSubjectKind(SubjectKind.FEATURE).setWindowsOverThreshold(2).setBusinessContext(context)
                .setSummary(null).build();
    }

    /** A dead letter of the record at inference-events/2@1234. */
    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setOriginalTopic("inference-events").setOriginalPartition(2).setOriginalOffset(1234)
                .setOriginalTimestamp(Instant.parse("2026-11-01T09:00:01Z"))
                .setOriginalKey(ByteBuffer.wrap("req-7".getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8)))
                .setOriginalHeaders(List.of()).setReason(DeadLetterReason.WRONG_MAGIC_BYTE)
                .setDetail("first byte 0x6e is not the magic byte 0").setSchemaId(null)
                .setFailedAt(Instant.parse("2026-11-01T09:00:03Z")).setApplication("driftwatch").build();
    }
}
