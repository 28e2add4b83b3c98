package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code driftwatch ctl}'s usage checks, which need no broker. */
class CtlCommandTest {

    @Test
    void shouldRejectAnUnknownActionWithExitTwo() {
        CliRun r = CliRun.of("ctl", "reboot", "--model", "m", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("unknown action 'reboot'"), r.err());
    }

    @Test
    void shouldRejectMissingOptionsBadTimesAndBadTimeouts() {
        CliRun ack = CliRun.of("ctl", "ack", "--model", "m", "--version", "1", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, ack.exit());
        assertTrue(ack.err().contains("ack needs --alert-id"), ack.err());
        CliRun time = CliRun.of("ctl", "capture-baseline", "--model", "m", "--version", "1", "--from", "yesterday",
                "--to", "0", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, time.exit());
        assertTrue(time.err().contains("--from 'yesterday' is not a time"), time.err());
        CliRun timeout = CliRun.of("ctl", "unmute", "--model", "m", "--timeout", "forever",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, timeout.exit());
        assertTrue(timeout.err().contains("--timeout 'forever'"), timeout.err());
        CliRun noPolicy = CliRun.of("ctl", "set-policy", "--policy-version", "2", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, noPolicy.exit());
        assertTrue(noPolicy.err().contains("--param"), noPolicy.err());
    }
}
