package dev.driftwatch.streams.cli;

import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftwatchCliTest {

    @Test
    void shouldExplainEveryCommandWithHelpAndExitZero() {
        var commands = DriftwatchCli.commandLine().getSubcommands().keySet();
        assertTrue(commands.containsAll(java.util.List.of("demo", "run", "baseline", "ctl", "alerts", "tail", "replay",
                "analyze", "sample", "compare")), commands.toString());
        for (String command : commands) {
            if (command.equals("help")) {
                continue;
            }
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exit(), command + ": " + run.err());
            assertTrue(run.out().contains("Usage: driftwatch " + command), command + ": " + run.out());
        }
    }

    @Test
    void shouldListTheCommandsWithoutArguments() {
        CliRun run = CliRun.of();
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("demo") && run.out().contains("compare"), run.out());
    }

    @Test
    void shouldSummariseEveryCommandInOneWholeSentence() {
        List<String> lines = CliRun.of("--help").lines();
        int first = lines.indexOf("Commands:") + 1;
        Pattern entry = Pattern.compile("  ([a-z]+) +(.*)");
        int commands = 0;
        for (String line : lines.subList(first, lines.size())) {
            Matcher m = entry.matcher(line);
            assertTrue(m.matches(), "one line per command, no continuation: '" + line + "'");
            assertTrue(m.group(2).endsWith("."), m.group(1) + "'s summary is cut: '" + m.group(2) + "'");
            assertTrue(line.length() <= DriftwatchCli.HELP_WIDTH, line);
            commands++;
        }
        assertEquals(DriftwatchCli.commandLine().getSubcommands().size(), commands);
    }

    @Test
    void shouldKeepEveryExampleOnOneLineOfTheHelp() {
        CommandLine cli = DriftwatchCli.commandLine();
        int examples = 0;
        for (CommandLine sub : cli.getSubcommands().values()) {
            String name = sub.getCommandName();
            List<String> help = CliRun.of(name, "--help").lines();
            for (String footer : sub.getCommandSpec().usageMessage().footer()) {
                if (footer.trim().startsWith("bin/driftwatch")) {
                    assertTrue(help.contains(footer), name + ": the example is broken across lines: " + footer);
                    examples++;
                }
            }
            for (String line : help) {
                assertTrue(line.length() <= DriftwatchCli.HELP_WIDTH, name + ": " + line);
            }
        }
        assertTrue(examples >= 10, examples + " examples");
    }

    @Test
    void shouldBreakHelpLinesAtSpacesOnly() {
        CommandLine cli = DriftwatchCli.commandLine();
        int tokens = 0;
        for (CommandLine sub : cli.getSubcommands().values()) {
            List<String> written = new ArrayList<>(List.of(sub.getCommandSpec().usageMessage().description()));
            sub.getCommandSpec().options().forEach(o -> written.addAll(List.of(o.description())));
            java.util.Set<String> shown = new java.util.HashSet<>(List.of(
                    CliRun.of(sub.getCommandName(), "--help").out().split("\\s+")));
            for (String text : written) {
                for (String token : text.trim().split("\\s+")) {
                    if (!token.contains("${") && token.matches(".*\\w[.:/=-]\\w.*")) {
                        assertTrue(shown.contains(token), sub.getCommandName() + ": '" + token
                                + "' is broken across lines of the help");
                        tokens++;
                    }
                }
            }
        }
        assertTrue(tokens > 100, tokens + " tokens");
        assertArrayEquals(new String[] {"aaa bb", "c.d.e", "  an example that is long"},
                DriftwatchCli.wrap(new String[] {"aaa bb c.d.e", "  an example that is long"}, 7));
    }

    @Test
    void shouldJoinHandWrappedDescriptionLinesIntoParagraphs() {
        assertArrayEquals(new String[] {"one two three", "", "four", "  an example", "five"},
                DriftwatchCli.paragraphs(new String[] {"one two", "three", "", "four", "  an example", "five"}));
    }

    @Test
    void shouldNameTheRegisteredDriftTestsInTheHelp() {
        // The help lists the tests from the registry, so a new test (such as ad) shows without editing it.
        String compare = String.join(" ", CliRun.of("compare", "--help").lines());
        String numeric = String.join(", ", DriftTests.forKind(ColumnKind.NUMERIC).stream().map(DriftTest::id).toList());
        assertTrue(compare.contains(numeric.substring(0, numeric.lastIndexOf(", ")) + " and "
                + numeric.substring(numeric.lastIndexOf(", ") + 2)), compare);
        assertTrue(compare.contains("Categorical columns: psi, kl, js and chisq"), compare);
        assertTrue(compare.contains("an effect size (psi, js or wasserstein)"), compare);
        assertTrue(compare.contains("its ks or chisq p-value"), compare);
        String ctl = String.join(" ", CliRun.of("ctl", "--help").lines());
        assertTrue(ctl.contains("key=value: psi|kl|js|wasserstein.warning|critical"), ctl);
        for (String command : List.of("compare", "ctl")) {
            assertTrue(!CliRun.of(command, "--help").out().contains("{"), command + ": a placeholder is left");
        }
    }

    @Test
    void shouldPrintTheVersionWithDashVOnEveryCommand() {
        for (String command : DriftwatchCli.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            CliRun run = CliRun.of(command, "-V");
            assertEquals(0, run.exit(), command + ": " + run.err());
            assertTrue(run.out().startsWith("driftwatch "), command + ": '" + run.out() + "'");
        }
    }

    @Test
    void shouldAnswerAUsageErrorWithOneLineThatPointsToTheHelp() {
        for (String[] args : List.of(new String[] {"alerts", "--bogus"}, new String[] {"tail"},
                new String[] {"ctl"}, new String[] {"run", "--partitions", "many"}, new String[] {"nosuch"})) {
            CliRun run = CliRun.of(args);
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, run.exit(), String.join(" ", args));
            List<String> err = run.err().lines().toList();
            assertEquals(1, err.size(), String.join(" ", args) + ": " + run.err());
            assertTrue(err.get(0).endsWith("--help`"), err.get(0));
            assertEquals("", run.out());
        }
        assertEquals("driftwatch tail: Missing required option: '--topic=NAME'; see `driftwatch tail --help`",
                CliRun.of("tail").err().trim());
    }

    @Test
    void shouldQuietTheKafkaClientsForEveryCommandButRun() {
        String before = System.getProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY);
        try {
            System.clearProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY);
            DriftwatchCli.quietKafkaClients(new String[] {"run", "--config", "x"});
            assertEquals(null, System.getProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY));
            DriftwatchCli.quietKafkaClients(new String[] {"alerts"});
            assertEquals("error", System.getProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY));
            System.setProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY, "debug");
            DriftwatchCli.quietKafkaClients(new String[] {"alerts"});
            assertEquals("debug", System.getProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY), "-D wins");
        } finally {
            if (before == null) {
                System.clearProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY);
            } else {
                System.setProperty(DriftwatchCli.KAFKA_LOG_LEVEL_PROPERTY, before);
            }
        }
    }
}
