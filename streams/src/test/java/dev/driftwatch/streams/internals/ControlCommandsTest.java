package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.IllegalPolicyException;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlCommandsTest {

    @Test
    void shouldBuildAPolicyFromParametersOnTopOfTheBase() {
        AlertPolicy p = ControlCommands.policy(AlertPolicy.defaults(), Map.of("psi.warning", "0.2",
                "policy.alpha", "0.01", "persistence", "3of5", "dataset.drift.share", "0.3",
                "deciding.tests", "psi,js"), "v7");
        assertEquals("v7", p.version());
        assertEquals(0.2, p.threshold(DriftTests.PSI).warning(), 0.0);
        assertEquals(0.25, p.threshold(DriftTests.PSI).critical(), 0.0, "critical kept from the base");
        assertEquals(0.01, p.alpha(), 0.0);
        assertEquals(3, p.persistence().required());
        assertEquals(5, p.persistence().windows());
        assertEquals(0.3, p.datasetDriftShare(), 0.0);
        assertEquals(Set.of(DriftTests.PSI, DriftTests.JS), p.decidingTests());
    }

    @Test
    void shouldNameTheBadParameterAndItsValue() {
        IllegalPolicyException notNumber = assertThrows(IllegalPolicyException.class,
                () -> ControlCommands.policy(AlertPolicy.defaults(), Map.of("alpha", "lots"), "2"));
        assertTrue(notNumber.getMessage().contains("'alpha' = 'lots'"), notNumber.getMessage());
        IllegalPolicyException unknown = assertThrows(IllegalPolicyException.class,
                () -> ControlCommands.policy(AlertPolicy.defaults(), Map.of("chisq.warning", "1"), "2"));
        assertTrue(unknown.getMessage().contains("'chisq.warning'"), unknown.getMessage());
        IllegalPolicyException test = assertThrows(IllegalPolicyException.class,
                () -> ControlCommands.policy(AlertPolicy.defaults(), Map.of("deciding.tests", "ks"), "2"));
        assertTrue(test.getMessage().contains("deciding.tests"), test.getMessage());
        IllegalPolicyException mn = assertThrows(IllegalPolicyException.class,
                () -> ControlCommands.policy(AlertPolicy.defaults(), Map.of("persistence", "three"), "2"));
        assertTrue(mn.getMessage().contains("persistence"), mn.getMessage());
    }

    @Test
    void shouldRoundTripCommandsThroughTheirInternalBytes() {
        ControlCommand c = ControlCommand.newBuilder().setCommandId("c1").setType(CommandType.ACKNOWLEDGE)
                .setIssuedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setModelId("m").setModelVersion("1")
                .setParameters(Map.of("alertId", "al-1")).build();
        assertEquals(c, ControlCommands.fromBytes(ControlCommands.toBytes(c)));
        Partial p = Partial.command(c);
        Partial back = Partial.serde().deserializer().deserialize("t", Partial.serde().serializer().serialize("t", p));
        assertTrue(back.isCommand());
        assertEquals(c, back.command());
        assertThrows(IllegalArgumentException.class, () -> ControlCommands.fromBytes(new byte[] {(byte) 0xff}));
    }

    @Test
    void shouldSendBroadcastCommandsToEveryPartitionAndOthersToTheirModelVersion() {
        ControlCommand c = ControlCommand.newBuilder().setCommandId("c1").setType(CommandType.MUTE)
                .setIssuedAt(Instant.EPOCH).setModelId("m").build();
        PartialPartitioner partitioner = new PartialPartitioner();
        assertEquals(Set.of(0, 1, 2, 3), partitioner.partitions("t", ControlRouter.BROADCAST_KEY,
                Partial.command(c), 4).orElseThrow());
        assertEquals(Set.of(PartialPartitioner.partitionOf("m/1/*", 4)),
                partitioner.partitions("t", "m/1/*", Partial.command(c), 4).orElseThrow());
    }
}
