package dev.driftwatch.detectors.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference values: {@code src/test/resources/policy/bh_reference.txt}, written by
 * {@code generate_bh.py} beside it with SciPy's {@code false_discovery_control(method='bh')} and an
 * independent step-up rejection.
 */
class BenjaminiHochbergTest {

    /** Relative tolerance against SciPy: the same few floating-point operations, in another order. */
    private static final double RELATIVE_TOLERANCE = 1e-12;

    static final class ReferenceCase {
        final String name;
        final double alpha;
        final double[] pValues;
        final double[] adjusted;
        final boolean[] rejected;

        ReferenceCase(String line) {
            String[] fields = line.split("\\|");
            name = fields[0];
            alpha = Double.parseDouble(fields[1]);
            pValues = parse(fields[2]);
            adjusted = parse(fields[3]);
            String[] flags = fields[4].split(",");
            rejected = new boolean[flags.length];
            for (int i = 0; i < flags.length; i++) {
                rejected[i] = flags[i].equals("1");
            }
        }

        private static double[] parse(String field) {
            String[] parts = field.split(",");
            double[] values = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = Double.parseDouble(parts[i]);
            }
            return values;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ReferenceCase> referenceCases() throws IOException {
        List<ReferenceCase> cases = new ArrayList<>();
        try (InputStream in = BenjaminiHochbergTest.class.getResourceAsStream("/policy/bh_reference.txt");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    cases.add(new ReferenceCase(line));
                }
            }
        }
        assertTrue(cases.size() >= 10, "expected the reference file to hold at least 10 cases");
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void shouldMatchScipyAdjustedPValues(ReferenceCase c) {
        double[] adjusted = BenjaminiHochberg.adjust(c.pValues);
        assertEquals(c.adjusted.length, adjusted.length);
        for (int i = 0; i < adjusted.length; i++) {
            double tolerance = RELATIVE_TOLERANCE * Math.max(Math.abs(c.adjusted[i]), Double.MIN_NORMAL);
            assertEquals(c.adjusted[i], adjusted[i], tolerance, c.name + " index " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void shouldMatchStepUpRejections(ReferenceCase c) {
        assertArrayEquals(c.rejected, BenjaminiHochberg.reject(c.pValues, c.alpha), c.name);
    }

    @Test
    void shouldReturnSinglePValueUnchanged() {
        assertArrayEquals(new double[] {0.037}, BenjaminiHochberg.adjust(new double[] {0.037}), 0.0);
    }

    @Test
    void shouldReturnEmptyForEmptyInput() {
        assertEquals(0, BenjaminiHochberg.adjust(new double[0]).length);
        assertEquals(0, BenjaminiHochberg.reject(new double[0], 0.05).length);
    }

    @Test
    void shouldHandWorkTiesAndCap() {
        // m = 4, sorted 0.01, 0.02, 0.02, 0.9: raw m*p/rank = 0.04, 0.04, 0.02667, 0.9,
        // then the running minimum from the top gives 0.02667 for the first three.
        double[] adjusted = BenjaminiHochberg.adjust(new double[] {0.02, 0.9, 0.01, 0.02});
        assertArrayEquals(new double[] {0.08 / 3, 0.9, 0.08 / 3, 0.08 / 3}, adjusted, 1e-15);
    }

    @Test
    void shouldNotModifyTheInput() {
        double[] p = {0.5, 0.01, 0.2};
        BenjaminiHochberg.adjust(p);
        assertArrayEquals(new double[] {0.5, 0.01, 0.2}, p, 0.0);
    }

    @Test
    void shouldKeepAdjustedValuesBetweenRawAndOneAndInRankOrderForSeededInputs() {
        Random random = new Random(7L);
        for (int round = 0; round < 200; round++) {
            int m = 1 + random.nextInt(60);
            double[] p = new double[m];
            for (int i = 0; i < m; i++) {
                p[i] = random.nextInt(5) == 0 ? Math.pow(random.nextDouble(), 8) : random.nextDouble();
            }
            double[] q = BenjaminiHochberg.adjust(p);
            for (int i = 0; i < m; i++) {
                assertTrue(q[i] >= p[i] && q[i] <= 1.0, "q out of [p, 1] at " + i);
                for (int j = 0; j < m; j++) {
                    if (p[i] <= p[j]) {
                        assertTrue(q[i] <= q[j], "adjusted values not monotone in p");
                    }
                }
            }
        }
    }

    @Test
    void shouldRejectPValuesOutsideTheUnitIntervalNamingIndexAndValue() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> BenjaminiHochberg.adjust(new double[] {0.1, 1.5}));
        assertTrue(high.getMessage().contains("index 1") && high.getMessage().contains("1.5"), high.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> BenjaminiHochberg.adjust(new double[] {Double.NaN}));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.adjust(new double[] {-0.01}));
        assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.adjust(null));
    }

    @Test
    void shouldRejectAlphaOutsideTheOpenUnitInterval() {
        double[] p = {0.01};
        for (double alpha : new double[] {0.0, 1.0, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenjaminiHochberg.reject(p, alpha));
            assertTrue(e.getMessage().contains(String.valueOf(alpha)), e.getMessage());
        }
    }
}
