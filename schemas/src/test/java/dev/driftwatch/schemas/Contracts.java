package dev.driftwatch.schemas;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** The generated class of every topic value in DESIGN.md's topic table. */
public final class Contracts {
    public static final String NAMESPACE = "dev.driftwatch.schemas.avro";
    public static final List<String> NAMES = List.of("InferenceEvent", "OutcomeEvent", "Baseline", "ControlCommand",
            "ControlResult", "DriftAlert", "WindowStats", "BusinessMetrics", "DeadLetter",
            "ServiceLevels", "RoleComparison", "ReviewRequest");

    private Contracts() {
    }

    @SuppressWarnings("unchecked")
    public static Class<? extends SpecificRecord> type(String name) {
        try {
            return (Class<? extends SpecificRecord>) Class.forName(NAMESPACE + "." + name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no generated class for " + name, e);
        }
    }

    public static Schema schema(String name) {
        return SpecificData.get().getSchema(type(name));
    }
}
