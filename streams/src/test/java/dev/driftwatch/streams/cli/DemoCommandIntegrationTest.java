package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.demo.DemoRun;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch demo} end to end (its own in-process broker), shortened to four windows: the drift
 * and CTR alerts as before, and the other signals: review copies, the shadow's comparisons and the service
 * levels of every version.
 */
class DemoCommandIntegrationTest {
    private static final Pattern REVIEW = Pattern.compile("review copies +([0-9,]+) of ([0-9,]+) events below");
    private static final Pattern SHADOW = Pattern.compile("^ {2}shadow +" + DemoRun.MODEL + " "
            + Pattern.quote(DemoRun.SHADOW_VERSION) + " vs primary " + Pattern.quote(DemoRun.STABLE_VERSION)
            + " \\[window \\S+] (\\d+) paired, agreement ([0-9.]+), score PSI ([0-9.]+), KS D ([0-9.]+)$");
    private static final Pattern LEVELS = Pattern.compile("^ {4}(\\S+) +\\[window \\S+] p95 latency ([0-9.]+) ms,"
            + " error rate ([0-9.]+), cost per request ([0-9.]+), low-confidence share ([0-9.]+)$");

    @Test
    void shouldShowTheDriftTheCtrDropAndTheOtherSignalsAndSayOk() {
        CliRun run = CliRun.of("demo", "--windows", "4", "--drift-from", "2", "--seed", "11");
        String out = run.out();
        assertEquals(0, run.exit(), out + run.err());
        assertTrue(out.contains("driftwatch demo: OK"), out);
        // The drifted version's clicks stop following its scores: calibration and ROC AUC alerts, and no other.
        assertTrue(out.contains("firing  1.5.0 performance.auc"), out);
        assertTrue(out.contains("firing  1.5.0 performance.calibration"), out);
        assertTrue(out.contains("performance unexpected none"), out);

        Matcher review = REVIEW.matcher(out);
        assertTrue(review.find(), out);
        long copies = Long.parseLong(review.group(1).replace(",", ""));
        assertTrue(copies > 0, out);
        assertEquals(review.group(2), review.group(1), "one copy per low-confidence event");
        assertTrue(out.contains("below the review threshold 0.5 (review.confidence.threshold)"), out);

        List<String> shadow = run.lines().stream().filter(l -> SHADOW.matcher(l).find()).toList();
        assertEquals(4, shadow.size(), "one comparison per window: " + out);
        for (String line : shadow) {
            Matcher m = SHADOW.matcher(line);
            assertTrue(m.find(), line);
            assertTrue(Long.parseLong(m.group(1)) >= 1400, "about 1500 requests paired per window: " + line);
            // Scores 0.01 apart on average, labels flip only near 0.5: nearly every pair agrees.
            assertTrue(Double.parseDouble(m.group(2)) > 0.95, line);
            assertTrue(Double.parseDouble(m.group(3)) < 0.05, line);
            assertTrue(Double.parseDouble(m.group(4)) < 0.1, line);
        }
        List<String> versions = run.lines().stream().map(LEVELS::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).toList();
        assertEquals(List.of(DemoRun.STABLE_VERSION, DemoRun.SHADOW_VERSION, DemoRun.DRIFTING_VERSION), versions, out);
        for (String line : run.lines()) {
            Matcher m = LEVELS.matcher(line);
            if (m.find()) {
                double p95 = Double.parseDouble(m.group(2));
                // Latency exp(3.5 + 0.4 z) ms (the shadow 3.6): p95 about 64 ms (71 ms).
                assertTrue(p95 > 50 && p95 < 90, line);
                assertEquals(0.0, Double.parseDouble(m.group(3)), 0.0, line);
                assertEquals(0.0002, Double.parseDouble(m.group(4)), 1e-9, line);
                double share = Double.parseDouble(m.group(5));
                // About 4 % of the stable scores lie within 0.25 of 0.5; the drifted version's lie lower.
                assertTrue(share >= 0 && share < 0.2, line);
            }
        }
    }
}
