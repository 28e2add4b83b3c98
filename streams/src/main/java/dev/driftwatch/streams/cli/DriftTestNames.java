package dev.driftwatch.streams.cli;

import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The drift tests named in help texts, from the registry ({@link DriftTests}), so that a new test shows in
 * the help by itself. A description writes a placeholder such as {@code {numeric-tests}};
 * {@link DriftwatchCli#commandLine} replaces it.
 */
final class DriftTestNames {
    /** Placeholder → the ids it stands for, joined as in a sentence. */
    private static final Map<String, String> PLACEHOLDERS = Map.of(
            "{numeric-tests}", sentence(DriftTests.forKind(ColumnKind.NUMERIC), "and"),
            "{categorical-tests}", sentence(DriftTests.forKind(ColumnKind.CATEGORICAL), "and"),
            "{deciding-tests}", sentence(select(DriftTest::decidesByDefault), "or"),
            "{significance-gates}", sentence(select(DriftTest::isSignificanceGate), "or"),
            "{effect-sizes}", String.join("|", DriftTests.effectSizes().stream().map(DriftTest::id).toList()));

    private DriftTestNames() {
    }

    /** The lines with every placeholder replaced by its tests. */
    static String[] expand(String[] lines) {
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            for (Map.Entry<String, String> p : PLACEHOLDERS.entrySet()) {
                line = line.replace(p.getKey(), p.getValue());
            }
            out[i] = line;
        }
        return out;
    }

    private static List<DriftTest> select(Predicate<DriftTest> which) {
        return DriftTests.all().stream().filter(which).toList();
    }

    /** "psi, js or wasserstein". */
    static String sentence(List<DriftTest> tests, String conjunction) {
        List<String> ids = tests.stream().map(DriftTest::id).toList();
        if (ids.size() <= 1) {
            return String.join("", ids);
        }
        return String.join(", ", ids.subList(0, ids.size() - 1)) + " " + conjunction + " " + ids.get(ids.size() - 1);
    }
}
