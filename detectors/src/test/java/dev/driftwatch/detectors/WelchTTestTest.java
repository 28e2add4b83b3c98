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
 * Welch's one-sided t-test against scipy ({@code ttest_ind_from_stats(..., equal_var=False, alternative='less')})
 * on the cases written by {@code src/test/resources/mean/generate_welch.py}. Tolerances: t, df and the relative
 * drop 1e-9 relative; the p-value 1e-7 relative (Commons Math's regularised beta against scipy's).
 */
class WelchTTestTest {

    @Test
    void shouldMatchScipyOnEveryCase() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/mean/welch.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        }
        assertTrue(lines.size() >= 17, "expected the generated cases, found " + lines.size());
        for (String line : lines) {
            String[] f = line.split(" ");
            WelchTTest.Result r = WelchTTest.lowerTail(Long.parseLong(f[0]), Double.parseDouble(f[1]),
                    Double.parseDouble(f[2]), Long.parseLong(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
            double t = Double.parseDouble(f[6]);
            double df = Double.parseDouble(f[7]);
            double p = Double.parseDouble(f[8]);
            double drop = Double.parseDouble(f[9]);
            assertEquals(t, r.t(), 1e-9 * Math.max(1, Math.abs(t)), line);
            assertEquals(df, r.df(), 1e-9 * df, line);
            assertEquals(p, r.pValue(), 1e-7 * p, line);
            assertEquals(drop, r.relativeDrop(), 1e-9, line);
        }
    }

    @Test
    void shouldCompareConstantSamplesAsTheyAre() {
        assertEquals(1.0, WelchTTest.lowerTail(5, 3.0, 0, 9, 3.0, 0).pValue());
        assertEquals(0.0, WelchTTest.lowerTail(5, 2.0, 0, 9, 3.0, 0).pValue());
        assertEquals(1.0, WelchTTest.lowerTail(5, 4.0, 0, 9, 3.0, 0).pValue());
        assertTrue(Double.isNaN(WelchTTest.lowerTail(5, 1.0, 1, 9, 0.0, 1).relativeDrop()), "reference mean 0");
    }

    @Test
    void shouldRefuseSamplesWithoutAVariance() {
        assertThrows(IllegalArgumentException.class, () -> WelchTTest.lowerTail(1, 1, 0, 10, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> WelchTTest.lowerTail(10, 1, -1, 10, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> WelchTTest.lowerTail(10, Double.NaN, 1, 10, 1, 1));
    }
}
