package dev.driftwatch.streams.docs;

import dev.driftwatch.streams.cli.DriftwatchCli;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.ops.DriftwatchMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md and docs/*.md against the repository and the code: every relative link resolves to a file (and
 * heading) of the repository and none leaves it; the commands they show name only options the commands
 * have; the metrics and configuration keys they name exist; and the two places that run the README's
 * commands, .ci/run and deploy/local/recipe.sh, run what the README shows.
 */
class DocumentationTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```[ \\t]*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern METRIC = Pattern.compile("\\bdriftwatch_[a-z0-9_]*[a-z0-9]\\b");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
    /** Key prefixes of driftwatch's settings: a backticked name with one of them must be a key (or Kafka's). */
    private static final Pattern KEY = Pattern.compile("`((?:policy|business|slo|roles|review|topic|window|http"
            + "|metrics|status|baseline|max|segment|input)\\.[a-z0-9.]*[a-z0-9])(?:=[^`]*)?`");
    /** Names with a key's prefix that are not keys: the business-outcome subjects. */
    private static final Set<String> NOT_KEYS = Set.of("business.ctr", "business.conversion",
            "business.feedback.negative", "business.success", "business.value", "business.value.mean",
            "business.judge.score");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

    @Test
    void shouldResolveEveryRelativeLinkInsideTheRepository() {
        Path root = Repository.root();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path doc : Repository.documents()) {
            String text = INLINE_CODE.matcher(FENCE.matcher(Repository.read(doc)).replaceAll("")).replaceAll("");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                links++;
                String target = m.group(1);
                String problem = problem(root, doc, target);
                if (problem != null) {
                    broken.add(root.relativize(doc) + ": (" + target + ") " + problem);
                }
            }
        }
        assertTrue(links > 10, "the documents link to each other: " + links + " links found");
        assertEquals(List.of(), broken, "broken or outside links");
    }

    @Test
    void shouldNotPointOutsideTheRepositoryInText() {
        for (Path doc : Repository.documents()) {
            String text = Repository.read(doc);
            for (String outside : List.of("../shared", "/work/", "file:/")) {
                assertFalse(text.contains(outside), Repository.root().relativize(doc) + " mentions " + outside);
            }
        }
    }

    @Test
    void shouldRunTheReadmeTestCommandInCi() {
        Path root = Repository.root();
        String command = codeLines(Repository.read(root.resolve("README.md"))).stream()
                .filter(line -> line.startsWith("./mvnw ")).findFirst().orElseThrow(() ->
                        new AssertionError("README.md shows no ./mvnw test command"));
        assertEquals("./mvnw -B verify", command, "the README's test command; .ci/run runs it");
        List<String> ci = Repository.read(root.resolve(".ci/run")).lines().map(String::strip).toList();
        int marker = ci.indexOf("# The README's test command.");
        assertTrue(marker >= 0, ".ci/run marks the README's test command");
        String run = ci.get(marker + 1);
        assertTrue(run.equals(command) || run.startsWith(command + " "), ".ci/run runs '" + run + "', the README shows '"
                + command + "'");
    }

    @Test
    void shouldShowTheClusterRecipeThatRecipeShRuns() {
        Path root = Repository.root();
        List<String> shown = new ArrayList<>();
        for (String block : fencedBlocks(Repository.read(root.resolve("README.md")))) {
            if (block.contains("deploy/local/stack.sh start")) {
                for (String line : block.lines().toList()) {
                    String command = line.replaceFirst("\\s+#.*$", "").strip();
                    if (!command.isEmpty() && !command.startsWith("#")) {
                        shown.add(command);
                    }
                }
            }
        }
        List<String> run = new ArrayList<>();
        Matcher step = Pattern.compile("(?m)^step (.+)$").matcher(Repository.read(root.resolve("deploy/local/recipe.sh")));
        while (step.find()) {
            run.add(step.group(1).replace("\"$config\"", "deploy/local/.stack/driftwatch.properties")
                    .replace("\"$expected_alerts\"", "5").replace("'", ""));
        }
        assertFalse(run.isEmpty(), "recipe.sh announces each command with step");
        assertEquals(run, shown, "README.md's cluster recipe and the commands deploy/local/recipe.sh runs");
    }

    @Test
    void shouldShowOnlyOptionsThatTheCommandsHave() {
        CommandLine cli = DriftwatchCli.commandLine();
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path doc : Repository.documents()) {
            for (String line : codeLines(Repository.read(doc))) {
                Matcher m = Pattern.compile("^bin/driftwatch\\s+([a-z]+)?(.*)$").matcher(line);
                if (!m.find()) {
                    continue;
                }
                CommandLine command = m.group(1) == null ? cli : cli.getSubcommands().get(m.group(1));
                if (command == null) {
                    unknown.add(doc.getFileName() + ": no command '" + m.group(1) + "' in: " + line);
                    continue;
                }
                Matcher option = OPTION.matcher(beforePipe(m.group(2)));
                while (option.find()) {
                    checked++;
                    if (command.getCommandSpec().findOption(option.group(1)) == null) {
                        unknown.add(doc.getFileName() + ": " + command.getCommandName() + " has no " + option.group(1)
                                + " (" + line + ")");
                    }
                }
            }
        }
        assertTrue(checked > 20, "options checked: " + checked);
        assertEquals(List.of(), unknown);
    }

    @Test
    void shouldNameOnlyMetricsThatTheServiceServesAndDocumentEach() throws IllegalAccessException {
        Set<String> served = new TreeSet<>();
        for (Field f : DriftwatchMetrics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && f.get(null) instanceof String name && name.startsWith("driftwatch_")) {
                served.add(name);
            }
        }
        Set<String> unknown = new TreeSet<>();
        for (Path doc : Repository.documents()) {
            Matcher m = METRIC.matcher(Repository.read(doc));
            while (m.find()) {
                if (!served.contains(m.group()) && !served.contains(withoutHistogramSuffix(m.group()))) {
                    unknown.add(doc.getFileName() + ": " + m.group());
                }
            }
        }
        assertEquals(Set.of(), unknown, "metrics named in the documents that DriftwatchMetrics does not serve");
        String operations = Repository.read(Repository.root().resolve("docs/operations.md"));
        for (String name : served) {
            assertTrue(operations.contains("`" + name), "docs/operations.md documents " + name);
        }
    }

    @Test
    void shouldNameOnlyConfigurationKeysThatExist() {
        Set<String> keys = new TreeSet<>(DriftwatchConfig.configDef().names());
        keys.addAll(StreamsConfig.configDef().names()); // Kafka's own keys pass through (max.task.idle.ms)
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        Set<String> unknown = new TreeSet<>();
        for (Path doc : Repository.documents()) {
            Matcher m = KEY.matcher(FENCE.matcher(Repository.read(doc)).replaceAll(""));
            while (m.find()) {
                String name = m.group(1);
                if (!keys.contains(name) && !NOT_KEYS.contains(name)) {
                    unknown.add(doc.getFileName() + ": " + name);
                }
            }
        }
        assertEquals(Set.of(), unknown, "configuration keys named in the documents that DriftwatchConfig lacks");
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** Why a link target does not resolve, or null when it does. */
    private static String problem(Path root, Path doc, String target) {
        if (target.matches("(?i)https?://.+")) {
            return null;
        }
        if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*") || target.startsWith("/")) {
            return "not a relative link";
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
        if (!file.startsWith(root)) {
            return "outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (anchor != null && (!file.toString().endsWith(".md") || !anchors(Repository.read(file)).contains(anchor))) {
            return "no heading #" + anchor + " in " + root.relativize(file);
        }
        return null;
    }

    /** The anchors that GitHub gives the headings of a Markdown text. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (m.find()) {
            String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    private static List<String> fencedBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            String block = m.group();
            blocks.add(block.substring(block.indexOf('\n') + 1, block.lastIndexOf("```")));
        }
        return blocks;
    }

    /** The lines of the fenced code blocks, those continued with a backslash joined, stripped. */
    private static List<String> codeLines(String markdown) {
        List<String> lines = new ArrayList<>();
        for (String block : fencedBlocks(markdown)) {
            StringBuilder current = new StringBuilder();
            for (String line : block.lines().toList()) {
                String stripped = line.strip();
                if (stripped.endsWith("\\")) {
                    current.append(stripped, 0, stripped.length() - 1).append(' ');
                    continue;
                }
                current.append(stripped);
                lines.add(current.toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        return lines;
    }

    /** The part of a command line before a shell pipe or comment (a | inside [...] or <...> is a usage alternative). */
    private static String beforePipe(String line) {
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '[' || c == '<') {
                depth++;
            } else if (c == ']' || c == '>') {
                depth--;
            } else if (depth == 0 && (c == '|' || c == '#' || c == '&')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String withoutHistogramSuffix(String name) {
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
