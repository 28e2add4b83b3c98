package dev.driftwatch.detectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinEdgesTest {

    @Test
    void shouldPlaceEdgesAtLinearlyInterpolatedQuantiles() {
        // numpy.quantile([1..5], [0.25, 0.5, 0.75]) = [2, 3, 4]; 0.1 of 0..10 = 1.0 etc.
        BinEdges e = BinEdges.fromReference(new double[] {1, 2, 3, 4, 5}, 4);
        assertArrayEquals(new double[] {2, 3, 4}, e.edges(), 0.0);
        BinEdges interpolated = BinEdges.fromReference(new double[] {0, 10}, 4);
        assertArrayEquals(new double[] {2.5, 5, 7.5}, interpolated.edges(), 1e-15);
    }

    @Test
    void shouldCountAValueOnAnEdgeInTheBinAbove() {
        BinEdges e = BinEdges.of(1.0, 2.0);
        assertEquals(0, e.binOf(0.999));
        assertEquals(1, e.binOf(1.0));
        assertEquals(2, e.binOf(2.0));
        assertEquals(2, e.binOf(1e300));
    }

    @Test
    void shouldCollapseDuplicateEdgesOfAConstantReference() {
        BinEdges e = BinEdges.fromReference(new double[] {3, 3, 3, 3}, 10);
        assertArrayEquals(new double[] {3}, e.edges(), 0.0);
        assertEquals(2, e.binCount());
    }

    @Test
    void shouldRejectBadEdgesAndBinCountsWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinEdges.of(1, 1));
        assertEquals(true, e.getMessage().contains("strictly increasing"), e.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> BinEdges.checkBins(0));
        assertEquals(true, b.getMessage().contains("got 0"), b.getMessage());
        assertThrows(EmptySampleException.class, () -> BinEdges.fromReference(new double[0], 10));
    }
}
