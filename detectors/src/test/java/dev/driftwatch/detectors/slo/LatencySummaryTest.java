package dev.driftwatch.detectors.slo;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LatencySummary} against exact percentiles computed with numpy ({@code method="inverted_cdf"}) by
 * {@code src/test/resources/slo/generate_latency_quantiles.py}; the bound is the summary's relative error α
 * (plus 1e-12 for rounding), exact for 0.
 */
class LatencySummaryTest {
    private static final double[] QS = {0.50, 0.95, 0.99};

    private record Case(String name, double[] values, double[] expected) {
    }

    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = LatencySummaryTest.class.getResourceAsStream("/slo/latency-quantiles.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith("case ")) {
                    String name = lines[i].split(" ")[1];
                    double[] values = numbers(lines[i + 1], "values ");
                    double[] expected = numbers(lines[i + 2], "expect ");
                    cases.add(new Case(name, values, expected));
                }
            }
        }
        return cases;
    }

    private static double[] numbers(String line, String prefix) {
        assertTrue(line.startsWith(prefix), line);
        return Arrays.stream(line.substring(prefix.length()).trim().split(" ")).mapToDouble(Double::parseDouble)
                .toArray();
    }

    private static LatencySummary of(double[] values) {
        LatencySummary s = new LatencySummary();
        for (double v : values) {
            s.add(v);
        }
        return s;
    }

    private static byte[] bytes(LatencySummary s) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            s.write(out);
        }
        return buffer.toByteArray();
    }

    @TestFactory
    Stream<DynamicTest> shouldStayWithinTheRelativeErrorOfNumpysExactPercentiles() throws IOException {
        List<Case> cases = cases();
        assertEquals(10, cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            LatencySummary s = of(c.values());
            double[] sorted = c.values().clone();
            Arrays.sort(sorted);
            for (int i = 0; i < QS.length; i++) {
                // The fixture's definition is ours: the k-th smallest, k = max(1, ceil(q n)).
                int k = (int) Math.max(1, Math.ceil(QS[i] * sorted.length));
                assertEquals(c.expected()[i], sorted[k - 1], 0.0, c.name() + " rank of q=" + QS[i]);
                double exact = c.expected()[i];
                double estimate = s.quantile(QS[i]);
                if (exact == 0) {
                    assertEquals(0.0, estimate, 0.0, c.name() + " q=" + QS[i]);
                } else {
                    assertEquals(exact, estimate, exact * (s.relativeError() + 1e-12), c.name() + " q=" + QS[i]);
                }
            }
        }));
    }

    @Test
    void shouldBeTheSummaryOfTheUnionWhenMerged() throws IOException {
        for (Case c : cases()) {
            double[] v = c.values();
            int half = v.length / 2;
            LatencySummary merged = of(Arrays.copyOfRange(v, 0, half)).merge(of(Arrays.copyOfRange(v, half, v.length)));
            LatencySummary whole = of(v);
            assertEquals(whole, merged, c.name());
            assertArrayEquals(bytes(whole), bytes(merged), c.name());
            for (double q : QS) {
                assertEquals(whole.quantile(q), merged.quantile(q), 0.0, c.name());
            }
        }
    }

    @Test
    void shouldKeepAFixedSizeWhateverTheNumberOfValues() throws IOException {
        Random r = new Random(7);
        LatencySummary once = new LatencySummary();
        LatencySummary tenTimes = new LatencySummary();
        for (int i = 0; i < 100_000; i++) {
            double v = Math.exp(r.nextGaussian() * 2 + 4);
            once.add(v);
            for (int k = 0; k < 10; k++) {
                tenTimes.add(Math.exp(r.nextGaussian() * 2 + 4));
            }
        }
        assertEquals(1_269, once.size());
        assertEquals(once.size(), tenTimes.size());
        assertEquals(1_000_000, tenTimes.count());
        // Serialised: at most every counter, each a varint gap and a varint count (3 bytes each here).
        assertTrue(bytes(tenTimes).length <= 1 + 8 + 3 + once.size() * (1 + 3), "" + bytes(tenTimes).length);
    }

    @Test
    void shouldGiveTheSameBytesInAnyOrderAndReadThemBack() throws IOException {
        Case c = cases().get(1);
        double[] shuffled = c.values().clone();
        Random r = new Random(3);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        byte[] a = bytes(of(c.values()));
        assertArrayEquals(a, bytes(of(shuffled)));
        LatencySummary back = LatencySummary.read(new DataInputStream(new ByteArrayInputStream(a)));
        assertEquals(of(c.values()), back);
        assertEquals(c.values().length, back.count());
    }

    @Test
    void shouldAnswerTheHandComputedRanksOfSevenValues() {
        // Sorted: 1 2 3 5 7 9 100. p50: k = ceil(3.5) = 4 -> 5; p95: ceil(6.65) = 7 -> 100; q=0: k = 1 -> 1.
        LatencySummary s = of(new double[] {5, 1, 3, 9, 7, 2, 100});
        assertEquals(5, s.quantile(0.5), 5 * 0.01);
        assertEquals(100, s.quantile(0.95), 100 * 0.01);
        assertEquals(1, s.quantile(0), 0.01);
        assertEquals(2, s.quantile(2.0 / 7), 2 * 0.01, "k = ceil(2) = 2");
    }

    @Test
    void shouldReportOutOfRangeValuesAtTheEdgesAndRejectBadOnes() {
        LatencySummary s = of(new double[] {1e-6, 5e9});
        assertEquals(LatencySummary.MIN_VALUE, s.quantile(0), LatencySummary.MIN_VALUE * 0.011);
        assertEquals(LatencySummary.MAX_VALUE, s.quantile(1), LatencySummary.MAX_VALUE * 0.011);
        assertTrue(Double.isNaN(new LatencySummary().quantile(0.5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.add(-1));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.add(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new LatencySummary(0.5));
        assertThrows(IllegalArgumentException.class, () -> s.merge(new LatencySummary(0.02)));
    }
}
