package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.EvidenceRule;
import dev.driftwatch.detectors.policy.IllegalPolicyException;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.Threshold;
import dev.driftwatch.schemas.avro.CommandStatus;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the control stages share: the commands' and results' compact binary form in internal topics and
 * stores, results, and the SET_POLICY parameters.
 *
 * <p>SET_POLICY parameters (keys as the {@code policy.*} configuration keys without the prefix):
 * {@code <test>.warning} and {@code <test>.critical} for every effect size of {@link DriftTests} (thresholds,
 * finite, ≥ 0, critical ≥ warning), {@code alpha} (0..1 exclusive),
 * {@code persistence} ({@code MofN}, e.g. {@code 3of5}) or {@code persistence.m} and
 * {@code persistence.n} (1 ≤ m ≤ n ≤ 64), {@code dataset.drift.share} (0..1], {@code deciding.tests}
 * (comma-separated effect sizes), and {@code reset=true} to drop the scope's policy.
 */
public final class ControlCommands {
    /** The parameter that names the alert of an ACKNOWLEDGE command. */
    public static final String ALERT_ID = "alertId";
    /** SET_POLICY parameter that removes the scope's policy instead of setting one. */
    public static final String RESET = "reset";
    /** The SET_POLICY parameters understood, in the order they are applied. */
    public static final List<String> POLICY_PARAMETERS = policyParameters();

    private static final SpecificDatumWriter<ControlCommand> COMMAND_WRITER =
            new SpecificDatumWriter<>(ControlCommand.class);
    private static final SpecificDatumReader<ControlCommand> COMMAND_READER =
            new SpecificDatumReader<>(ControlCommand.class);
    private static final SpecificDatumWriter<ControlResult> RESULT_WRITER =
            new SpecificDatumWriter<>(ControlResult.class);
    private static final SpecificDatumReader<ControlResult> RESULT_READER =
            new SpecificDatumReader<>(ControlResult.class);

    private ControlCommands() {
    }

    public static byte[] toBytes(ControlCommand command) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);
        try {
            synchronized (COMMAND_WRITER) {
                COMMAND_WRITER.write(command, encoder);
            }
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static ControlCommand fromBytes(byte[] bytes) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            synchronized (COMMAND_READER) {
                return COMMAND_READER.read(null, decoder);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("control command bytes are corrupt: " + e, e);
        }
    }

    public static byte[] toBytes(ControlResult result) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);
        try {
            synchronized (RESULT_WRITER) {
                RESULT_WRITER.write(result, encoder);
            }
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static ControlResult resultFromBytes(byte[] bytes) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            synchronized (RESULT_READER) {
                return RESULT_READER.read(null, decoder);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("control result bytes are corrupt: " + e, e);
        }
    }

    public static ControlResult accepted(ControlCommand command, long timestamp, Map<String, String> details) {
        return ControlResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setStatus(CommandStatus.ACCEPTED)
                .setReason(null)
                .setCommandType(command.getType().name())
                .setProcessedAt(Instant.ofEpochMilli(timestamp))
                .setDetails(new TreeMap<>(details))
                .build();
    }

    public static ControlResult rejected(String commandId, String commandType, long timestamp, String reason) {
        return ControlResult.newBuilder()
                .setCommandId(commandId)
                .setStatus(CommandStatus.REJECTED)
                .setReason(reason)
                .setCommandType(commandType)
                .setProcessedAt(Instant.ofEpochMilli(timestamp))
                .setDetails(new TreeMap<>())
                .build();
    }

    /** The warning and critical threshold of every effect size of the registry, then the other parameters. */
    private static List<String> policyParameters() {
        List<String> out = new ArrayList<>();
        for (DriftTest test : DriftTests.effectSizes()) {
            out.add(test.id() + ".warning");
            out.add(test.id() + ".critical");
        }
        out.addAll(List.of("alpha", "persistence", "persistence.m", "persistence.n", "dataset.drift.share",
                "deciding.tests", "fire.level", "resolve.level", "resolve.windows", "min.sample.size", RESET));
        return List.copyOf(out);
    }

    /**
     * The policy that SET_POLICY parameters make from {@code base}, named {@code version}.
     *
     * @throws IllegalPolicyException naming the parameter that is unknown or not allowed, with its value
     */
    public static AlertPolicy policy(AlertPolicy base, Map<String, String> parameters, String version) {
        Map<String, String> p = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey().trim().toLowerCase(Locale.ROOT);
            if (key.startsWith("policy.")) {
                key = key.substring("policy.".length());
            }
            if (!POLICY_PARAMETERS.contains(key)) {
                throw new IllegalPolicyException("unknown policy parameter '" + e.getKey() + "'; expected one of "
                        + String.join(", ", POLICY_PARAMETERS));
            }
            p.put(key, e.getValue() == null ? "" : e.getValue().trim());
        }
        AlertPolicy.Builder b = base.toBuilder();
        for (DriftTest test : DriftTests.effectSizes()) {
            String w = p.get(test.id() + ".warning");
            String c = p.get(test.id() + ".critical");
            if (w == null && c == null) {
                continue;
            }
            Threshold current = base.thresholds().get(test);
            double warning = w == null ? (current == null ? 0.0 : current.warning()) : number(test.id() + ".warning", w);
            double critical = c == null ? Math.max(warning, current == null ? warning : current.critical())
                    : number(test.id() + ".critical", c);
            try {
                b.threshold(test, warning, critical);
            } catch (IllegalPolicyException e) {
                throw new IllegalPolicyException("parameters " + test.id() + ".warning/" + test.id() + ".critical: "
                        + e.getMessage());
            }
        }
        if (p.containsKey("alpha")) {
            apply("alpha", () -> b.alpha(number("alpha", p.get("alpha"))));
        }
        if (p.containsKey("persistence")) {
            String v = p.get("persistence").toLowerCase(Locale.ROOT);
            String[] mn = v.split("of", -1);
            if (mn.length != 2) {
                throw new IllegalPolicyException("parameter 'persistence' = '" + p.get("persistence")
                        + "' is not m-of-n; expected e.g. 3of5");
            }
            int m = integer("persistence", mn[0]);
            int n = integer("persistence", mn[1]);
            apply("persistence", () -> b.persistence(Persistence.of(m, n)));
        }
        if (p.containsKey("persistence.m") || p.containsKey("persistence.n")) {
            int m = p.containsKey("persistence.m") ? integer("persistence.m", p.get("persistence.m"))
                    : base.persistence().required();
            int n = p.containsKey("persistence.n") ? integer("persistence.n", p.get("persistence.n"))
                    : base.persistence().windows();
            apply("persistence.m/persistence.n", () -> b.persistence(Persistence.of(m, n)));
        }
        if (p.containsKey("dataset.drift.share")) {
            apply("dataset.drift.share", () -> b.datasetDriftShare(number("dataset.drift.share",
                    p.get("dataset.drift.share"))));
        }
        if (p.containsKey("deciding.tests")) {
            List<DriftTest> tests = new ArrayList<>();
            for (String id : p.get("deciding.tests").split(",")) {
                if (id.isBlank()) {
                    continue;
                }
                try {
                    tests.add(DriftTest.fromId(id.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalPolicyException("parameter 'deciding.tests': " + e.getMessage());
                }
            }
            apply("deciding.tests", () -> b.decidingTests(tests.toArray(new DriftTest[0])));
        }
        if (p.containsKey("fire.level") || p.containsKey("resolve.level") || p.containsKey("resolve.windows")
                || p.containsKey("min.sample.size")) {
            EvidenceRule r = base.evidence();
            double fire = p.containsKey("fire.level") ? number("fire.level", p.get("fire.level")) : r.fireLevel();
            double resolve = p.containsKey("resolve.level") ? number("resolve.level", p.get("resolve.level"))
                    : r.resolveLevel();
            int windows = p.containsKey("resolve.windows") ? integer("resolve.windows", p.get("resolve.windows"))
                    : r.resolveWindows();
            int minSize = p.containsKey("min.sample.size") ? integer("min.sample.size", p.get("min.sample.size"))
                    : r.minSampleSize();
            apply("fire.level/resolve.level/resolve.windows/min.sample.size", () -> b.evidence(
                    EvidenceRule.of(fire, resolve, windows, minSize, r.sequentialLevel(), r.effectFloor())));
        }
        apply("policyVersion", () -> b.version(version));
        return b.build();
    }

    private static void apply(String parameter, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalPolicyException e) {
            throw new IllegalPolicyException("parameter '" + parameter + "': " + e.getMessage());
        }
    }

    private static double number(String parameter, String value) {
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalPolicyException("parameter '" + parameter + "' = '" + value
                    + "' is not a finite number");
        }
    }

    private static int integer(String parameter, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalPolicyException("parameter '" + parameter + "' = '" + value + "' is not an integer");
        }
    }
}
