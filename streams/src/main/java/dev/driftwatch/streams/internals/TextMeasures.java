package dev.driftwatch.streams.internals;

/**
 * What the pipeline keeps of a text: a few numbers, never the text. The subjects {@code text.NAME.*} of an event's
 * named texts are these measures (see {@link EventFeatures}); a baseline built from training texts must use them too.
 *
 * @param chars    length in Unicode code points
 * @param words    runs of non-whitespace code points
 * @param nonAscii share of code points above 127, in [0, 1]; NaN (missing) for an empty text
 * @param empty    1 for a text without a word (empty or blank), else 0
 */
public record TextMeasures(int chars, int words, double nonAscii, int empty) {
    /** The measures of a text (null reads as empty). */
    public static TextMeasures of(String text) {
        String t = text == null ? "" : text;
        int chars = 0;
        int nonAscii = 0;
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            chars++;
            if (cp > 127) {
                nonAscii++;
            }
            boolean space = Character.isWhitespace(cp);
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return new TextMeasures(chars, words, chars == 0 ? Double.NaN : (double) nonAscii / chars, words == 0 ? 1 : 0);
    }
}
