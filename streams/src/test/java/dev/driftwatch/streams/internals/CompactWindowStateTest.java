package dev.driftwatch.streams.internals;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CompactWindowStateTest {
    @Test
    void writeFixture() throws Exception {
        if (Boolean.getBoolean("driftwatch.fixtures.write")) {
            OldWindowStateFixture.write();
        }
        assertTrue(true);
    }
}
