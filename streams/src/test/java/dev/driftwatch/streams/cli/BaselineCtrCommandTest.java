package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code driftwatch baseline --ctr-impressions N --ctr-clicks K}: the CTR baseline of a model version. */
class BaselineCtrCommandTest {

    @Test
    void shouldBuildACtrBaselineWithoutATrainingFile() {
        CliRun r = CliRun.of("baseline", "--model", "m", "--version", "3", "--ctr-impressions", "1000",
                "--ctr-clicks", "80", "--dry-run");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("business.ctr  categorical  n=1000"), r.out());
        assertTrue(r.out().contains("dry run: 1 baselines of model m version 3 built"), r.out());
    }

    @Test
    void shouldRefuseImpossibleOrIncompleteCounts() {
        CliRun none = CliRun.of("baseline", "--model", "m", "--version", "3", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, none.exit());
        assertTrue(none.err().contains("give --input TRAIN.csv, or --ctr-impressions N --ctr-clicks K"), none.err());
        CliRun half = CliRun.of("baseline", "--model", "m", "--version", "3", "--ctr-impressions", "10", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, half.exit());
        assertTrue(half.err().contains("--ctr-impressions and --ctr-clicks go together"), half.err());
        CliRun more = CliRun.of("baseline", "--model", "m", "--version", "3", "--ctr-impressions", "10",
                "--ctr-clicks", "11", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, more.exit());
        assertTrue(more.err().contains("11 clicks of 10 impressions"), more.err());
    }
}
