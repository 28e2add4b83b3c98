package dev.driftwatch.detectors;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pooled one-sided two-proportion z-test against scipy ({@code norm.sf(-z)}), on the cases
 * written by {@code src/test/resources/rate/generate_two_proportion.py}. Tolerances: z and the relative
 * drop 1e-9 absolute; the p-value 1e-9 relative (it spans 0.98 down to 1e-292).
 */
class TwoProportionTestTest {

    @Test
    void shouldMatchScipyOnEveryCase() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/rate/two_proportion.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        }
        assertTrue(lines.size() >= 20, "expected the generated cases, found " + lines.size());
        for (String line : lines) {
            String[] t = line.split(" ");
            TwoProportionTest.Result r = TwoProportionTest.lowerTail(Long.parseLong(t[0]), Long.parseLong(t[1]),
                    Long.parseLong(t[2]), Long.parseLong(t[3]));
            double z = Double.parseDouble(t[4]);
            double p = Double.parseDouble(t[5]);
            double drop = Double.parseDouble(t[6]);
            assertEquals(z, r.z(), 1e-9, line);
            assertEquals(p, r.pValue(), 1e-9 * p, line);
            assertEquals(drop, r.relativeDrop(), 1e-9, line);
        }
    }

    @Test
    void shouldGiveNoEvidenceWhenTheRatesAreEqualOrDegenerate() {
        assertEquals(0.5, TwoProportionTest.lowerTail(10, 100, 10, 100).pValue(), 1e-15);
        TwoProportionTest.Result none = TwoProportionTest.lowerTail(0, 100, 0, 300);
        assertEquals(1.0, none.pValue());
        assertEquals(0.0, none.z());
        assertTrue(Double.isNaN(none.relativeDrop()), "no reference clicks: the relative drop is undefined");
        assertEquals(1.0, TwoProportionTest.lowerTail(100, 100, 50, 50).pValue());
    }

    @Test
    void shouldGiveTheUpperTailOfTheSamePooledZ() {
        // scipy: norm.sf(z) of the pooled z, for a window missing more often than its reference.
        assertEquals(3.1630341318386544e-28, TwoProportionTest.upperTail(20, 20, 0, 100).pValue(), 1e-40);
        assertEquals(9.574719930959342e-09, TwoProportionTest.upperTail(6, 20, 0, 100).pValue(), 1e-20);
        assertEquals(1.6407487444526486e-22, TwoProportionTest.upperTail(102, 1000, 43, 2000).pValue(), 1e-31);
        assertEquals(0.0005884329553123701, TwoProportionTest.upperTail(30, 400, 10, 400).pValue(), 1e-15);
        assertEquals(1.0, TwoProportionTest.upperTail(0, 100, 0, 300).pValue(), 0.0);
        assertEquals(0.5, TwoProportionTest.upperTail(10, 100, 10, 100).pValue(), 1e-15);
    }

    @Test
    void shouldRefuseImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> TwoProportionTest.lowerTail(5, 0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> TwoProportionTest.lowerTail(11, 10, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> TwoProportionTest.lowerTail(1, 10, -1, 10));
    }
}
