package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.compare.CompareHtml;
import dev.driftwatch.streams.compare.CompareReport;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML reports of {@code analyze} (on the sample traffic) and {@code compare --report} opened in
 * headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it): no script or console error,
 * every chart drawn, the dataset verdict and the per-feature table there, the table sorted by a click (a
 * small script appended to a copy of the page clicks the headers and writes the row order into the DOM,
 * which {@code --dump-dom} prints), and a screenshot in {@code target/report-screenshots/} as a test
 * artefact. Skipped when Chromium is absent, unless {@code CI} is set: then it fails.
 */
@Timeout(240)
class HtmlReportChromiumTest {
    private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");
    private static final Pattern CHECK = Pattern.compile("<pre id=\"sort-check\">([^<]*)</pre>");
    private static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
    /**
     * Clicks the "column" header, then the "statistic" header, and writes each row order; then clicks the
     * first row and writes whether its charts were hidden before and after.
     */
    private static final String SORT_CHECK = """
            <script>window.addEventListener('load',function(){
              var t=document.querySelector('table.features'),out=[];
              function order(){return Array.prototype.map.call(t.tBodies[0].querySelectorAll('tr.row'),
                function(r){return r.dataset.feature+'='+r.dataset.drift+'='+r.cells[3].dataset.sort;}).join(',');}
              function header(name){return Array.prototype.find.call(t.tHead.rows[0].cells,
                function(c){return c.textContent===name;});}
              out.push(order());header('column').click();out.push(order());
              header('statistic').click();out.push(order());
              var row=t.tBodies[0].querySelector('tr.row'),before=row.nextElementSibling.hidden;row.click();
              out.push(before+'/'+row.nextElementSibling.hidden);
              var pre=document.createElement('pre');pre.id='sort-check';pre.textContent=out.join('\\n');
              document.body.appendChild(pre);});</script>
            """;
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

    /** The report of the sample traffic (as `driftwatch sample` writes it): 1.5.0 drifts from window 4. */
    private static String analyzeReport() {
        List<Baseline> baselines = SampleTraffic.baselines(42, 20_000);
        SampleTraffic.Plan plan = new SampleTraffic.Plan(8, 800, 4, Duration.ofMinutes(1),
                Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 42);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1)), baselines,
                sink -> SampleTraffic.events(plan, sink));
        assertFalse(r.alerts().isEmpty(), "the sample drifts");
        return HtmlReport.render(r, "sample traffic");
    }

    /** Two CSV files of 3,000 rows: "shifted" moves by half a standard deviation, the others stay. */
    private String compareReport() throws IOException {
        Path reference = dir.resolve("reference.csv");
        Path current = dir.resolve("current.csv");
        Files.writeString(reference, csv(new Random(7), 0.0), StandardCharsets.UTF_8);
        Files.writeString(current, csv(new Random(8), 0.5), StandardCharsets.UTF_8);
        CompareReport report = CompareReport.compare(reference, current, 10, Set.of(), AlertPolicy.defaults());
        return CompareHtml.render(report, "reference.csv", "current.csv");
    }

    private static String csv(Random random, double shift) {
        StringBuilder out = new StringBuilder("shifted,stable,count,device\n");
        String[] devices = {"desktop", "mobile", "tablet"};
        for (int i = 0; i < 3000; i++) {
            out.append(String.format(Locale.ROOT, "%.4f,%.4f,%d,%s%n", 40 + 10 * (random.nextGaussian() + shift),
                    random.nextGaussian(), random.nextInt(20), devices[random.nextInt(3)]));
        }
        return out.toString();
    }

    private List<String> command(String... extra) {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime())));
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

    private String dom(Path page) throws IOException, InterruptedException {
        return run(command("--dump-dom", page.toUri().toString()));
    }

    private static String title(String dom) {
        Matcher m = TITLE.matcher(dom);
        assertTrue(m.find(), "no title in the DOM: " + dom.substring(0, Math.min(300, dom.length())));
        return m.group(1);
    }

    /** The page's own check passed, nothing is fetched, and the verdict and table are there. */
    private String checkPage(String html, String name, int minCharts) throws Exception {
        for (String remote : List.of("http://", "https://", " src=", "url(", "@import")) {
            assertFalse(html.contains(remote), name + " refers to something outside itself: " + remote);
        }
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        String dom = dom(page);
        String title = title(dom);
        assertTrue(title.matches("driftwatch report: \\d+ charts"), title);
        assertTrue(Integer.parseInt(title.replaceAll("\\D", "")) >= minCharts, title);
        assertTrue(dom.contains("class=\"verdict "), "no dataset verdict");
        assertTrue(dom.contains("<table class=\"features\""), "no per-feature table");
        return dom;
    }

    /** Clicks the headers in a copy of the page; returns the row orders (before, by column, by statistic). */
    private List<String[]> sortByClicks(String html, String name) throws Exception {
        Path page = dir.resolve(name + "-sort.html");
        Files.writeString(page, html.replace("</body>", SORT_CHECK + "</body>"), StandardCharsets.UTF_8);
        String dom = dom(page);
        assertTrue(title(dom).startsWith("driftwatch report"), title(dom));
        Matcher m = CHECK.matcher(dom);
        assertTrue(m.find(), "the sort check did not run");
        String[] lines = m.group(1).split("\n");
        assertEquals(4, lines.length, m.group(1));
        String[] toggled = lines[3].split("/");
        assertFalse(toggled[0].equals(toggled[1]), "a click on a row opens (or closes) its charts: " + lines[3]);
        List<String[]> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            orders.add(lines[i].split(","));
        }
        return orders;
    }

    private Path screenshot(String html, String name, int height) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path page = dir.resolve(name + "-shot.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        Path png = SCREENSHOTS.resolve(name + ".png").toAbsolutePath();
        Files.deleteIfExists(png);
        run(command("--screenshot=" + png, "--window-size=1280," + height, page.toUri().toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        long reference = 0;
        long current = 0;
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                nonWhite += rgb != 0xffffff ? 1 : 0;
                reference += close(rgb, 0x4c78a8) ? 1 : 0;
                current += close(rgb, 0xf58518) ? 1 : 0;
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertTrue(nonWhite > pixels / 50, "mostly blank: " + nonWhite + " of " + pixels + " pixels not white");
        assertTrue(reference > 1500, "reference bars: " + reference + " pixels");
        assertTrue(current > 1500, "current bars: " + current + " pixels");
        return png;
    }

    @Test
    void shouldShowTheSampleTrafficsVerdictTableAndChartsWithoutErrors() throws Exception {
        String html = analyzeReport();
        String dom = checkPage(html, "analyze-report", 20);
        // Both versions have a verdict; the drifted version comes first, its drifted features at the top.
        int drifted = dom.indexOf("ctr-model 1.5.0: ");
        int stable = dom.indexOf("ctr-model 1.4.0: no drift detected");
        assertTrue(drifted > 0 && stable > drifted, "verdicts: 1.5.0 first, 1.4.0 stable");
        assertTrue(dom.contains("alert-marker firing"), "the evidence chart marks the FIRING alert");
        assertFalse(dom.contains(">UNKNOWN<"), "no alert quotes the test UNKNOWN");

        List<String[]> orders = sortByClicks(html, "analyze-report");
        String[] initial = orders.get(0);
        assertTrue(initial[0].contains("=true="), "a drifted feature first: " + initial[0]);
        boolean seenStable = false;
        for (String row : initial) {
            seenStable |= row.contains("=false=");
            assertFalse(seenStable && row.contains("=true="), "drifted features first: " + String.join(",", initial));
        }
        String[] byName = orders.get(1);
        String[] names = Arrays.stream(byName).map(r -> r.split("=")[0]).toArray(String[]::new);
        String[] sorted = names.clone();
        Arrays.sort(sorted, String.CASE_INSENSITIVE_ORDER);
        assertEquals(List.of(sorted), List.of(names), "a click on 'column' sorts by name");
        assertFalse(List.of(initial).equals(List.of(byName)), "the click changed the order");
        double previous = Double.POSITIVE_INFINITY;
        for (String row : orders.get(2)) {
            String key = row.split("=", 3)[2];
            double ratio = key.isEmpty() ? Double.NEGATIVE_INFINITY : Double.parseDouble(key);
            assertTrue(ratio <= previous, "a click on 'statistic' sorts it largest first: " + String.join(",", orders.get(2)));
            previous = ratio;
        }

        Path png = screenshot(html, "analyze-report", 2200);
        System.out.println("analyze report screenshot: " + png);
    }

    @Test
    void shouldShowTheComparisonOfTwoFilesWithTheSameTableAndHistograms() throws Exception {
        String html = compareReport();
        String dom = checkPage(html, "compare-report", 4);
        assertTrue(dom.contains("data-feature=\"shifted\" data-drift=\"true\""), "the shifted column drifted");
        assertTrue(dom.contains("data-feature=\"stable\" data-drift=\"false\""), "the stable column did not");
        assertTrue(dom.contains("class=\"chart histogram\""), "histograms");
        List<String[]> orders = sortByClicks(html, "compare-report");
        assertTrue(orders.get(0)[0].startsWith("shifted="), String.join(",", orders.get(0)));
        assertTrue(orders.get(1)[0].startsWith("count="), String.join(",", orders.get(1)));
        Path png = screenshot(html, "compare-report", 1200);
        System.out.println("compare report screenshot: " + png);
    }

    @Test
    void shouldShowAScriptOrConsoleErrorInTheTitleSoThatTheChecksAboveCanFail() throws Exception {
        String html = compareReport();
        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, html.replace("</body>", "<script>noSuchFunction();</script></body>"),
                StandardCharsets.UTF_8);
        String title = title(dom(broken));
        assertTrue(title.startsWith("ERROR: ") && title.contains("noSuchFunction"), title);
        Path console = dir.resolve("console.html");
        Files.writeString(console, html.replace("</body>", "<script>console.error('bad thing');</script></body>"),
                StandardCharsets.UTF_8);
        title = title(dom(console));
        assertTrue(title.startsWith("ERROR: console: bad thing"), title);
    }

    private static boolean close(int rgb, int target) {
        int dr = ((rgb >> 16) & 0xff) - ((target >> 16) & 0xff);
        int dg = ((rgb >> 8) & 0xff) - ((target >> 8) & 0xff);
        int db = (rgb & 0xff) - (target & 0xff);
        return Math.abs(dr) <= 6 && Math.abs(dg) <= 6 && Math.abs(db) <= 6;
    }
}
