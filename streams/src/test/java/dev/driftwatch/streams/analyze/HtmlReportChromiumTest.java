package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.demo.SampleTraffic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report opened in headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it):
 * the page's own check of its charts passes with no script error, and a screenshot shows the charts in
 * their colours. Skipped when Chromium is absent, unless {@code CI} is set: then it fails.
 */
@Timeout(120)
class HtmlReportChromiumTest {
    private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");
    private static Path chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        String configured = System.getenv("DRIFTWATCH_CHROMIUM");
        for (String candidate : configured != null ? List.of(configured)
                : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                chromium = Path.of(candidate);
                return;
            }
        }
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank()
                && !System.getenv("CI").equalsIgnoreCase("false");
        if (ci) {
            fail("CI is set but Chromium is not installed (apt-get install chromium; .ci/run does it)");
        }
        assumeTrue(false, "Chromium is not installed; skipped outside CI");
    }

    private String report() {
        List<Baseline> baselines = SampleTraffic.baselines(3, 3000);
        SampleTraffic.Plan plan = new SampleTraffic.Plan(4, 300, 2, Duration.ofMinutes(1),
                Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 3);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1)), baselines,
                sink -> SampleTraffic.events(plan, sink));
        assertTrue(!r.alerts().isEmpty(), "the sample drifts");
        return HtmlReport.render(r, "sample traffic");
    }

    private List<String> command(String... extra) {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime())));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    private String run(List<String> cmd) throws IOException, InterruptedException {
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium exit status: " + cmd);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private String title(Path page) throws IOException, InterruptedException {
        String dom = run(command("--dump-dom", page.toUri().toString()));
        Matcher m = TITLE.matcher(dom);
        assertTrue(m.find(), "no title in the DOM: " + dom.substring(0, Math.min(300, dom.length())));
        return m.group(1);
    }

    @Test
    void shouldRenderEveryChartWithoutScriptErrors() throws Exception {
        Path page = dir.resolve("report.html");
        Files.writeString(page, report(), StandardCharsets.UTF_8);
        String title = title(page);
        assertTrue(title.matches("driftwatch report: \\d+ charts"), title);
        assertTrue(Integer.parseInt(title.replaceAll("\\D", "")) >= 10, title);

        Path png = dir.resolve("report.png");
        run(command("--screenshot=" + png, "--window-size=1200,2000", page.toUri().toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        long baseline = 0;
        long current = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
                if (close(rgb, 0x4c78a8)) {
                    baseline++;
                }
                if (close(rgb, 0xf58518)) {
                    current++;
                }
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertTrue(nonWhite > pixels / 50, "mostly blank: " + nonWhite + " of " + pixels + " pixels not white");
        assertTrue(colours.size() > 50, "only " + colours.size() + " colours");
        assertTrue(baseline > 2000, "baseline bars: " + baseline + " pixels");
        assertTrue(current > 2000, "window bars: " + current + " pixels");
    }

    @Test
    void shouldShowAScriptErrorInTheTitleSoThatTheCheckAboveCanFail() throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, report().replace("</body>", "<script>noSuchFunction();</script></body>"),
                StandardCharsets.UTF_8);
        String title = title(page);
        assertTrue(title.startsWith("ERROR: ") && title.contains("noSuchFunction"), title);
    }

    private static boolean close(int rgb, int target) {
        int dr = ((rgb >> 16) & 0xff) - ((target >> 16) & 0xff);
        int dg = ((rgb >> 8) & 0xff) - ((target >> 8) & 0xff);
        int db = (rgb & 0xff) - (target & 0xff);
        return Math.abs(dr) <= 6 && Math.abs(dg) <= 6 && Math.abs(db) <= 6;
    }
}
