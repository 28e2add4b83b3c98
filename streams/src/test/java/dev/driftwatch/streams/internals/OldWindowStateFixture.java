package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The window state in {@code src/test/resources/window-state-v2/}: bytes written by the release before the
 * compact numeric summaries (numeric summary format 2, fixed size), at commit ddfcf81. The window is rebuilt
 * here from the same seed, so that a test can compare what it reads from the old bytes with the live state.
 *
 * <p>To write the files again (only with the code of that release, which is how they were made):
 * {@code ./mvnw -q -B -ntp -o -pl streams -am test -Dtest=CompactWindowStateTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddriftwatch.fixtures.write=true} at commit ddfcf81 with this class and the test copied in.
 */
final class OldWindowStateFixture {
    static final Path DIR = Path.of("src/test/resources/window-state-v2");

    private OldWindowStateFixture() {
    }

    /** A window with two numeric subjects (one with missing values and values on grid points), a categorical one and one without a baseline. */
    static WindowBundle window() {
        Random r = new Random(22);
        double[] reference = new double[20_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = i % 10 == 0 ? Math.round(r.nextGaussian() * 4) / 4.0 : Math.exp(r.nextGaussian());
        }
        NumericBaseline baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "fixture",
                null, null);
        double[] reference2 = new double[5000];
        for (int i = 0; i < reference2.length; i++) {
            reference2[i] = -50 + 100 * r.nextDouble();
        }
        NumericBaseline baseline2 = NumericBaseline.fromSample(reference2, 10, NumericGrid.DEFAULT_RESOLUTION,
                "fixture2", null, null);
        WindowBundle b = new WindowBundle("m", "v1", "*", 60_000, 120_000);
        SubjectSummary x = SubjectSummary.numeric(baseline.id(), baseline.newWindow());
        SubjectSummary y = SubjectSummary.numeric(baseline2.id(), baseline2.newWindow());
        SubjectSummary k = SubjectSummary.categorical(null, new CategoricalSummary());
        SubjectSummary z = SubjectSummary.numericWithoutBaseline();
        for (int i = 0; i < 12_000; i++) {
            b.countEvent();
            x.add(i % 10 == 0 ? Math.round(r.nextGaussian() * 4) / 4.0 : Math.exp(0.3 + r.nextGaussian()));
            y.add(i % 97 == 0 ? Double.NaN : i % 7 == 0 ? reference2[i % reference2.length] : -60 + 110 * r.nextDouble());
            k.add(i % 3 == 0 ? "red" : "blue");
            z.add(i % 11 == 0 ? Double.NaN : r.nextDouble());
        }
        b.put("x", x);
        b.put("y", y);
        b.put("k", k);
        b.put("z", z);
        b.countLate(3);
        return b;
    }

    /** The files: the self-contained form (partials, retained windows), the store's form and its grids. */
    static Map<String, byte[]> files(WindowBundle b) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("window.bin", b.toBytes());
        Map<Long, NumericGrid> grids = new TreeMap<>();
        files.put("window-grids-apart.bin", b.toBytesGridsApart(grids));
        grids.forEach((fp, grid) -> files.put("grid-" + Long.toHexString(fp) + ".bin", SubjectSummary.gridToBytes(grid)));
        return files;
    }

    static void write() throws IOException {
        Files.createDirectories(DIR);
        for (Map.Entry<String, byte[]> e : files(window()).entrySet()) {
            Files.write(DIR.resolve(e.getKey()), e.getValue());
        }
    }
}
