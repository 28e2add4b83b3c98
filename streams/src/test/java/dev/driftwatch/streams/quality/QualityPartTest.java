package dev.driftwatch.streams.quality;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QualityPartTest {
    private static QualityPart roundTrip(QualityPart p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.write(new DataOutputStream(bytes));
        return QualityPart.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static QualityPart part(String... unseen) {
        QualityPart p = new QualityPart();
        QualityPart.Counts c = p.subject("colour");
        c.present = 10;
        c.missing = 2;
        c.infinite = 1;
        c.countMismatch("7");
        for (String u : unseen) {
            c.countUnseen(u, 1);
        }
        return p;
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        QualityPart p = part("green", "green", "pink");
        QualityPart.Counts c = roundTrip(p).subjects().get("colour");
        assertEquals(10, c.present());
        assertEquals(2, c.missing());
        assertEquals(1, c.infinite());
        assertEquals(1, c.typeMismatch());
        assertEquals("7", c.typeExample());
        assertEquals(3, c.unseen());
        assertEquals(List.of(Map.entry("green", 2L), Map.entry("pink", 1L)), c.topUnseen(5));
        assertEquals(20 - 10 - 2 - 1 - 1, c.absent(20));
    }

    @Test
    void shouldMergeCountsExactlyAndKeepTheSmallestExample() throws IOException {
        QualityPart a = part("green");
        QualityPart b = part("green", "teal");
        b.subjects().get("colour").countMismatch("1.0");
        a.merge(roundTrip(b));
        QualityPart.Counts c = a.subjects().get("colour");
        assertEquals(20, c.present());
        assertEquals(3, c.typeMismatch());
        assertEquals("1.0", c.typeExample());
        assertEquals(3, c.unseen());
        assertEquals(List.of(Map.entry("green", 2L), Map.entry("teal", 1L)), c.topUnseen(5));
    }

    @Test
    void shouldKeepABoundedNumberOfUnseenCategoriesButCountThemAll() {
        QualityPart p = new QualityPart();
        QualityPart.Counts c = p.subject("colour");
        for (int i = 0; i < 3 * QualityPart.MAX_UNSEEN_KEPT; i++) {
            c.countUnseen("v" + i, 1);
        }
        assertEquals(3L * QualityPart.MAX_UNSEEN_KEPT, c.unseen());
        assertEquals(QualityPart.MAX_UNSEEN_KEPT, c.topUnseen(1000).size());
    }

    @Test
    void shouldFindASubjectsCountsByPositionOnlyForTheShapeThatPutThemThere() {
        QualityPart p = new QualityPart();
        // events of shape 1 name (a, b); events of shape 2 name (c, a): a position is remembered per shape
        p.subjectAt(0, "a", 1).present++;
        p.subjectAt(1, "b", 1).present++;
        p.subjectAt(0, "c", 2).missing++;
        p.subjectAt(1, "a", 2).missing++;
        p.subjectAt(0, "a", 3).present++;
        p.subjectAt(0, "x", -1).present++; // no shape: by name only
        assertEquals(2, p.subjects().get("a").present());
        assertEquals(1, p.subjects().get("a").missing());
        assertEquals(1, p.subjects().get("b").present());
        assertEquals(0, p.subjects().get("b").missing());
        assertEquals(1, p.subjects().get("c").missing());
        assertEquals(0, p.subjects().get("c").present());
        assertEquals(1, p.subjects().get("x").present());
        assertEquals(4, p.subjects().size());
    }

    @Test
    void shouldCountEveryValueLeftOutWhenFullWhetherFoundByPositionOrNot() {
        QualityPart p = new QualityPart();
        for (int i = 0; i < QualityPart.MAX_SUBJECTS; i++) {
            p.subject("s" + i);
        }
        assertEquals(null, p.subjectAt(0, "late", 1));
        assertEquals(null, p.subjectAt(0, "late", 1));
        assertEquals(p.subjects().get("s0"), p.subjectAt(1, "s0", 1));
        assertEquals(2, p.overflow());
    }

    @Test
    void shouldRefuseAnUnknownFormat() {
        assertThrows(IOException.class, () -> QualityPart.read(new DataInputStream(new ByteArrayInputStream(new byte[] {9}))));
    }

    @Test
    void shouldRefuseBadBoundsInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QualitySettings.parseBounds(List.of("age:zero:120")));
        assertEquals("quality.range.bounds item 'age:zero:120' has the bound 'zero', not a number (SUBJECT:LOW:HIGH,"
                + " e.g. age:0:120)", e.getMessage());
        assertEquals(new QualitySettings.Range(Double.NEGATIVE_INFINITY, 120),
                QualitySettings.parseBounds(List.of("a:b::120")).get("a:b"));
    }
}
