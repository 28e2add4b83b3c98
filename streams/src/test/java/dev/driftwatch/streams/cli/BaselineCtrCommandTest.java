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

    @Test
    void shouldBuildOutcomeRateBaselinesAndRefuseUnknownSubjectsOrImpossibleCounts() {
        CliRun r = CliRun.of("baseline", "--model", "m", "--version", "3", "--outcome-rate",
                "business.success=800/1000", "--outcome-rate", "business.feedback.negative=50/400", "--dry-run");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("business.success            categorical  n=1000"), r.out());
        assertTrue(r.out().contains("business.feedback.negative  categorical  n=400"), r.out());
        assertTrue(r.out().contains("dry run: 2 baselines of model m version 3 built"), r.out());
        CliRun unknown = CliRun.of("baseline", "--model", "m", "--version", "3", "--outcome-rate",
                "business.revenue=1/2", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, unknown.exit());
        assertTrue(unknown.err().contains("no outcome rate has subject business.revenue"), unknown.err());
        CliRun more = CliRun.of("baseline", "--model", "m", "--version", "3", "--outcome-rate",
                "business.success=11/10", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, more.exit());
        assertTrue(more.err().contains("need 1 <= N and K <= N, got 11/10"), more.err());
    }
}
