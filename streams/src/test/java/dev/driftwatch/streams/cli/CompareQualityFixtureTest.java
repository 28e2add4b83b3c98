package dev.driftwatch.streams.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compare}'s data-quality checks on the fixtures of src/test/resources/compare/quality, against the values
 * its generate.py computed with numpy and scipy (missing shares and their one-sided two-proportion p-values,
 * out-of-range shares against the reference's [min, max], unseen categories, type mismatches).
 */
class CompareQualityFixtureTest {
    private static final Path FIXTURES = Path.of("src/test/resources/compare/quality");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReportEveryColumnsDataQualityAsTheGeneratorComputedIt() throws IOException {
        CliRun r = CliRun.of("compare", "--reference=" + FIXTURES.resolve("reference.csv"),
                "--current=" + FIXTURES.resolve("current.csv"), "--format=json", "--categorical", "level");
        assertEquals(0, r.exit(), r.err());
        JsonNode expected = JSON.readTree(FIXTURES.resolve("expected.json").toFile());
        JsonNode columns = JSON.readTree(r.out()).path("columns");
        assertEquals(5, columns.size());
        for (JsonNode column : columns) {
            String name = column.path("name").asText();
            JsonNode actual = column.path("data_quality");
            JsonNode want = expected.path(name);
            assertTrue(want.isObject(), "no expectation for " + name);
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode got = actual.path(e.getKey());
                String where = name + "." + e.getKey() + " in " + actual;
                if (e.getValue().isArray()) {
                    List<String> w = new ArrayList<>();
                    e.getValue().forEach(n -> w.add(n.asText()));
                    List<String> g = new ArrayList<>();
                    got.forEach(n -> g.add(n.asText()));
                    assertEquals(w, g, where);
                } else {
                    double w = e.getValue().asDouble();
                    assertEquals(w, got.asDouble(Double.NaN), Math.max(1e-12, Math.abs(w) * 1e-9), where);
                }
            }
        }
        JsonNode colour = columns.get(2).path("data_quality").path("unseen_top");
        assertEquals(80, colour.path("purple").asLong(), colour.toString());
        assertEquals(10, colour.path("teal").asLong(), colour.toString());
        assertEquals("n/a", columns.get(4).path("data_quality").path("type_mismatch_example").asText());
        assertEquals("1.0", columns.get(3).path("data_quality").path("type_mismatch_example").asText());
    }

    @Test
    void shouldPutTheDataQualityTableInTheHtmlReport(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path html = dir.resolve("compare.html");
        CliRun r = CliRun.of("compare", "--reference=" + FIXTURES.resolve("reference.csv"),
                "--current=" + FIXTURES.resolve("current.csv"), "--categorical", "level", "--report=" + html);
        assertEquals(0, r.exit(), r.err());
        String page = java.nio.file.Files.readString(html);
        assertTrue(page.contains("<h2 id=\"data-quality\">Data quality</h2>"), page);
        assertTrue(page.contains("<td>zip</td><td>0.00 % / 0.00 % (1.00)</td><td>—</td><td>—</td><td>25 (n/a)</td>"
                + "<td class=\"firing\">type_mismatch</td>"), page.substring(page.indexOf("data-quality")));
    }

    @Test
    void shouldPrintTheDataQualityTableInTheTextReport() {
        CliRun r = CliRun.of("compare", "--reference=" + FIXTURES.resolve("reference.csv"),
                "--current=" + FIXTURES.resolve("current.csv"), "--categorical", "level");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("data quality:"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("age ") && l.contains("missing_share,out_of_range")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("zip ") && l.contains("25 ('n/a')")), r.out());
    }
}
