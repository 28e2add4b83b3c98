package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftwatchCliTest {

    @Test
    void shouldExplainEveryCommandWithHelpAndExitZero() {
        var commands = DriftwatchCli.commandLine().getSubcommands().keySet();
        assertTrue(commands.containsAll(java.util.List.of("demo", "run", "baseline", "ctl", "replay", "analyze",
                "sample", "compare")), commands.toString());
        for (String command : commands) {
            if (command.equals("help")) {
                continue;
            }
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exit(), command + ": " + run.err());
            assertTrue(run.out().startsWith("Usage: driftwatch " + command), command + ": " + run.out());
        }
    }

    @Test
    void shouldListTheCommandsWithoutArguments() {
        CliRun run = CliRun.of();
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("demo") && run.out().contains("compare"), run.out());
    }
}
