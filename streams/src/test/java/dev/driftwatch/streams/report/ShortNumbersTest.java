package dev.driftwatch.streams.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShortNumbersTest {

    @Test
    void shouldWriteIntegersAsIntegers() {
        assertEquals("22", ShortNumbers.format(22.0));
        assertEquals("-3", ShortNumbers.format(-3.0));
        assertEquals("1500", ShortNumbers.format(1500.0));
        assertEquals("0", ShortNumbers.format(0.0));
    }

    @Test
    void shouldShortenLargeAndSmallNumbers() {
        assertEquals("1.23k", ShortNumbers.format(1234.5));
        assertEquals("1.2k", ShortNumbers.format(1200.5));
        assertEquals("25.7k", ShortNumbers.format(25_712.4));
        assertEquals("3.4M", ShortNumbers.format(3_400_000.0));
        assertEquals("0.35", ShortNumbers.format(0.35));
        assertEquals("28.4", ShortNumbers.format(28.42));
        assertEquals("1.2e-5", ShortNumbers.format(0.000012));
        assertEquals("—", ShortNumbers.format(Double.NaN));
    }

    @Test
    void shouldLabelIntegerBinsWithoutDecimals() {
        assertEquals(List.of("< 22", "22–27", "27–31", "≥ 31"), ShortNumbers.binLabels(new double[] {22, 27, 31}));
    }

    @Test
    void shouldAddDigitsUntilNeighbouringEdgesDiffer() {
        assertEquals(List.of("< 0.1001", "0.1001–0.1002", "≥ 0.1002"),
                ShortNumbers.binLabels(new double[] {0.10011, 0.10021}));
        assertEquals(List.of("< 25.7k", "25.7k–32.1k", "≥ 32.1k"), ShortNumbers.binLabels(new double[] {25_712, 32_104}));
    }

    @Test
    void shouldWritePValuesBelowTheDoubleRangeAsSuch() {
        assertEquals("<1e-300", ShortNumbers.pValue(0.0));
        assertEquals("0.035", ShortNumbers.pValue(0.0349));
        assertEquals("—", ShortNumbers.pValue(null));
    }

    @Test
    void shouldWriteSharesAsPercentages() {
        assertEquals("50%", ShortNumbers.percent(0.5));
        assertEquals("33.3%", ShortNumbers.percent(1 / 3.0));
        assertEquals("0.53%", ShortNumbers.percent(0.0053));
    }
}
