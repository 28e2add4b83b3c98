package dev.driftwatch.streams.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code driftwatch analyze --outcomes}: the CTR join offline, in the output, the JSON and the report. */
class AnalyzeOutcomesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldJoinOutcomesOfflineAndReportTheCtrDropOfTheDriftingVersion() throws IOException {
        Path traffic = dir.resolve("traffic.jsonl");
        Path baselines = dir.resolve("baselines.json");
        CliRun sample = CliRun.of("sample", "--output", traffic.toString(), "--baselines", baselines.toString(),
                "--windows", "3", "--events-per-window", "400", "--drift-from", "1", "--training-rows", "5000");
        assertEquals(0, sample.exit(), sample.err());
        // CTR baselines of both versions: 250 clicks of 1,000 impressions.
        ArrayNode all = (ArrayNode) JSON.readTree(baselines.toFile());
        for (String version : List.of("1.4.0", "1.5.0")) {
            Path ctr = dir.resolve("ctr-" + version + ".json");
            CliRun b = CliRun.of("baseline", "--model", "ctr-model", "--version", version, "--ctr-impressions", "1000",
                    "--ctr-clicks", "250", "--dry-run", "--output", ctr.toString());
            assertEquals(0, b.exit(), b.err());
            all.addAll((ArrayNode) JSON.readTree(ctr.toFile()));
        }
        Files.writeString(baselines, JSON.writeValueAsString(all));
        // Every request is shown; 1 in 4 is clicked, but only 1 in 10 of version 1.5.0 from window 1 on.
        StringBuilder outcomes = new StringBuilder();
        Map<String, Integer> seen = new HashMap<>();
        Instant start = null;
        for (String line : Files.readAllLines(traffic)) {
            JsonNode e = JSON.readTree(line);
            String id = e.get("request_id").asText();
            String version = e.get("model_version").asText();
            Instant t = Instant.parse(e.get("event_time").asText());
            start = start == null ? t : start;
            boolean drifted = version.equals("1.5.0") && t.isAfter(start.plusSeconds(59));
            int n = seen.merge(version + (drifted ? "d" : ""), 1, Integer::sum);
            outcomes.append(outcome(id, "impression", t.plusMillis(100)));
            if (n % (drifted ? 10 : 4) == 0) {
                outcomes.append(outcome(id, "click", t.plusSeconds(2)));
            }
        }
        outcomes.append(outcome("never-seen", "click", start.plusSeconds(5)));
        Path outcomeFile = dir.resolve("outcomes.jsonl");
        Files.writeString(outcomeFile, outcomes);
        Path json = dir.resolve("out.json");
        Path report = dir.resolve("report.html");
        CliRun r = CliRun.of("analyze", "--input", traffic.toString(), "--baseline", baselines.toString(),
                "--outcomes", outcomeFile.toString(), "--window-size", "PT1M", "--grace", "0",
                "--json", json.toString(), "--report", report.toString());
        assertEquals(0, r.exit(), r.err());
        long written = outcomes.toString().lines().count();
        // The never-seen click joined no request: counted unmatched on its window's *unattributed* record.
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%,d outcomes, 6 windows of business"
                + " metrics, 1 outcomes unmatched and 0 late", written)), r.out());
        List<String> ctrAlerts = r.out().lines().filter(l -> l.contains("business.ctr")).toList();
        assertEquals(1, ctrAlerts.size(), r.out());
        assertTrue(ctrAlerts.get(0).startsWith("FIRING") && ctrAlerts.get(0).contains(" 1.5.0 ")
                && ctrAlerts.get(0).contains("rate=0.6000"), ctrAlerts.get(0));
        String text = Files.readString(json);
        assertTrue(text.contains("\"business_metrics\":[") && text.contains("\"clickCount\":100"), text);
        assertTrue(text.contains("\"modelId\":\"*unattributed*\"") && text.contains("\"unmatchedOutcomes\":1"), text);
        String html = Files.readString(report);
        assertTrue(html.contains("<th>baseline CTR</th>") && html.contains("<tr class=\"drift\"><td>ctr-model</td>"),
                "the CTR table, its drop highlighted");
    }

    @Test
    void shouldNameTheLineOfAnOutcomeThatCannotBeRead() throws IOException {
        Path traffic = dir.resolve("traffic.jsonl");
        Path baselines = dir.resolve("baselines.json");
        assertEquals(0, CliRun.of("sample", "--output", traffic.toString(), "--baselines", baselines.toString(),
                "--windows", "1", "--events-per-window", "20", "--training-rows", "500").exit());
        Path outcomes = dir.resolve("outcomes.jsonl");
        Files.writeString(outcomes, outcome("r1", "impression", Instant.parse("2026-11-01T09:00:00Z"))
                + "{\"request_id\":\"r2\",\"type\":\"like\",\"event_time\":0}\n");
        CliRun r = CliRun.of("analyze", "--input", traffic.toString(), "--baseline", baselines.toString(),
                "--outcomes", outcomes.toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("line 2: type \"like\" is not impression, click, conversion,"), r.err());
    }

    private static String outcome(String id, String type, Instant t) {
        return "{\"request_id\":\"" + id + "\",\"type\":\"" + type + "\",\"event_time\":\"" + t + "\"}\n";
    }
}
