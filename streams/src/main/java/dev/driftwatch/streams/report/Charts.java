package dev.driftwatch.streams.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * The report's charts, drawn here as inline SVG (no script library, nothing fetched). Every chart has
 * the class {@code chart}, which the page's load check counts.
 */
public final class Charts {
    public static final String REFERENCE_COLOUR = "#4c78a8";
    public static final String CURRENT_COLOUR = "#f58518";
    public static final String FIRE_COLOUR = "#c0392b";
    public static final String RESOLVE_COLOUR = "#2e7d32";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** One line of a time chart: a value per window, NaN where there is none. */
    public record Series(String name, String colour, double[] values) {
    }

    /** A horizontal line across a time chart (a threshold or level). */
    public record Level(String name, String colour, double value) {
    }

    /** An alert drawn on a time chart at the window of index {@code window}. */
    public record Marker(int window, boolean firing, String title) {
    }

    private Charts() {
    }

    /** Reference vs current shares per bin, as side-by-side bars, the y axis in percent. */
    public static void histogram(StringBuilder h, Histogram hist, String caption, String currentName) {
        int n = hist.labels().size();
        int longest = hist.labels().stream().mapToInt(String::length).max().orElse(1);
        boolean rotate = n > 6 || longest * 6.5 > 420.0 / Math.max(1, n);
        int width = Math.max(460, Math.min(900, 40 * n + 100));
        int bottom = rotate ? 14 + (int) (Math.min(longest, 18) * 5.2) : 26;
        int top = 38;
        int left = 44;
        int plotW = width - left - (rotate ? 10 + (int) (Math.min(longest, 18) * 4.3) : 10);
        int plotH = 150;
        int height = top + plotH + bottom;
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.max(hist.reference()[i], hist.current()[i]));
        }
        max = niceCeiling(max <= 0 ? 1 : max * 1.05);
        h.append("<svg class=\"chart histogram\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(caption)).append("\">");
        h.append(text(left, 13, caption, "start", "title"));
        h.append(rect(left, 20, 10, 10, REFERENCE_COLOUR, "reference"))
                .append(text(left + 14, 29, "reference", "start", null))
                .append(rect(left + 90, 20, 10, 10, CURRENT_COLOUR, currentName))
                .append(text(left + 104, 29, currentName, "start", null));
        int ticks = ticks(max);
        for (int k = 0; k <= ticks; k++) {
            double v = max * k / ticks;
            double y = top + plotH - v / max * plotH;
            h.append(line(left, y, left + plotW, y, k == 0 ? "#999" : "#eee", false));
            h.append(text(left - 4, y + 4, ShortNumbers.percent(v), "end", null));
        }
        double slot = plotW / (double) Math.max(1, n);
        double bar = Math.max(1, Math.min(28, slot / 2 - 2));
        for (int i = 0; i < n; i++) {
            double centre = left + slot * (i + 0.5);
            double rh = hist.reference()[i] / max * plotH;
            double ch = hist.current()[i] / max * plotH;
            String label = hist.labels().get(i);
            h.append(rect(centre - bar - 0.5, top + plotH - rh, bar, rh, REFERENCE_COLOUR,
                    label + ": reference " + ShortNumbers.percent(hist.reference()[i])));
            h.append(rect(centre + 0.5, top + plotH - ch, bar, ch, CURRENT_COLOUR,
                    label + ": " + currentName + " " + ShortNumbers.percent(hist.current()[i])));
            String shown = label.length() > 18 ? label.substring(0, 17) + "…" : label;
            if (rotate) {
                h.append("<text transform=\"translate(").append(fmt(centre - 2)).append(',').append(top + plotH + 10)
                        .append(") rotate(35)\">").append(esc(shown)).append("<title>").append(esc(label))
                        .append("</title></text>");
            } else {
                h.append(text(centre, top + plotH + 16, shown, "middle", null));
            }
        }
        h.append("</svg>");
    }

    /**
     * Values per window over time, with horizontal levels (dashed), the windows in {@code shaded}
     * shaded, and alerts marked: a red triangle for FIRING, a green circle for RESOLVED.
     *
     * @param cap the top of the y axis at most (values above it are drawn on the top edge, their tooltip
     *            gives the value), so that the levels stay readable; NaN for no cap
     */
    public static void overTime(StringBuilder h, String caption, List<Instant> windows, List<Series> series,
                                List<Level> levels, boolean[] shaded, List<Marker> markers, double cap) {
        int width = 560;
        int height = 230;
        int left = 44;
        int top = 24;
        int plotW = width - left - 160;
        int plotH = height - top - 34;
        int n = windows.size();
        double max = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        for (Level l : levels) {
            max = Math.max(max, l.value() * 1.3);
        }
        max = niceCeiling(max <= 0 ? 1 : max * 1.05);
        boolean capped = !Double.isNaN(cap) && max > cap;
        if (capped) {
            max = niceCeiling(cap);
        }
        double step = plotW / (double) Math.max(1, n);
        h.append("<svg class=\"chart over-time\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(caption)).append("\">");
        h.append(text(left, 13, capped ? caption + " (axis cut at " + ShortNumbers.format(max) + ")" : caption,
                "start", "title"));
        for (int i = 0; i < n && shaded != null; i++) {
            if (shaded[i]) {
                h.append(rect(left + i * step, top, step, plotH, "#fdecea", "window over the fire level"));
            }
        }
        int ticks = ticks(max);
        for (int k = 0; k <= ticks; k++) {
            double v = max * k / ticks;
            double y = top + plotH - v / max * plotH;
            h.append(line(left, y, left + plotW, y, k == 0 ? "#999" : "#eee", false));
            h.append(text(left - 4, y + 4, ShortNumbers.format(v), "end", null));
        }
        int legendY = top + 8;
        for (Level l : levels) {
            double y = top + plotH - l.value() / max * plotH;
            h.append(line(left, y, left + plotW, y, l.colour(), true));
            h.append(line(left + plotW + 10, legendY - 4, left + plotW + 24, legendY - 4, l.colour(), true))
                    .append(text(left + plotW + 28, legendY, l.name() + " " + ShortNumbers.format(l.value()), "start",
                            null));
            legendY += 15;
        }
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < n; i++) {
                double v = s.values()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                double x = left + step * (i + 0.5);
                double y = top + plotH - Math.min(v, max) / max * plotH;
                points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
                h.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"2.5\" fill=\"")
                        .append(s.colour()).append("\"><title>").append(esc(s.name() + " " + ShortNumbers.format(v, 4)
                                + ", window " + windows.get(i))).append("</title></circle>");
            }
            if (points.length() > 0) {
                h.append("<polyline fill=\"none\" stroke=\"").append(s.colour()).append("\" stroke-width=\"2\" points=\"")
                        .append(points.toString().trim()).append("\"/>");
            }
            h.append(rect(left + plotW + 12, legendY - 9, 10, 10, s.colour(), null))
                    .append(text(left + plotW + 28, legendY, s.name(), "start", null));
            legendY += 15;
        }
        for (Marker m : markers) {
            double x = left + step * (m.window() + 0.5);
            double y = top + 2;
            if (m.firing()) {
                h.append("<path class=\"alert-marker firing\" d=\"M").append(fmt(x - 6)).append(',').append(fmt(y))
                        .append(" L").append(fmt(x + 6)).append(',').append(fmt(y)).append(" L").append(fmt(x))
                        .append(',').append(fmt(y + 10)).append(" Z\" fill=\"").append(FIRE_COLOUR).append("\"><title>")
                        .append(esc(m.title())).append("</title></path>");
            } else {
                h.append("<circle class=\"alert-marker resolved\" cx=\"").append(fmt(x)).append("\" cy=\"")
                        .append(fmt(y + 5)).append("\" r=\"5\" fill=\"").append(RESOLVE_COLOUR).append("\"><title>")
                        .append(esc(m.title())).append("</title></circle>");
            }
        }
        if (!markers.isEmpty()) {
            h.append("<path d=\"M").append(left + plotW + 11).append(',').append(legendY - 9).append(" l10,0 l-5,9 Z\" fill=\"")
                    .append(FIRE_COLOUR).append("\"/>").append(text(left + plotW + 28, legendY, "FIRING", "start", null));
            legendY += 15;
            h.append("<circle cx=\"").append(left + plotW + 16).append("\" cy=\"").append(legendY - 4)
                    .append("\" r=\"5\" fill=\"").append(RESOLVE_COLOUR).append("\"/>")
                    .append(text(left + plotW + 28, legendY, "RESOLVED", "start", null));
        }
        if (n > 0) {
            DateTimeFormatter f = windows.get(0).getEpochSecond() / 86_400 == windows.get(n - 1).getEpochSecond() / 86_400
                    ? TIME : DAY_TIME;
            int every = Math.max(1, (int) Math.ceil(n / 6.0));
            for (int i = 0; i < n; i += every) {
                h.append(text(left + step * (i + 0.5), top + plotH + 14, f.format(windows.get(i)), "middle", null));
            }
            h.append(text(left + plotW / 2.0, top + plotH + 29, "window start (UTC)", "middle", "axis"));
        }
        h.append("</svg>");
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Grid lines for an axis up to a {@link #niceCeiling} value, so that every tick is a round number. */
    static int ticks(double niceMax) {
        double m = niceMax / Math.pow(10, Math.floor(Math.log10(niceMax)));
        return Math.abs(m - 2.5) < 1e-9 || Math.abs(m - 5) < 1e-9 ? 5 : 4;
    }

    private static String rect(double x, double y, double w, double h, String fill, String title) {
        String r = "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(Math.max(0, w)) + "\" height=\""
                + fmt(Math.max(0, h)) + "\" fill=\"" + fill + "\"";
        return title == null ? r + "/>" : r + "><title>" + esc(title) + "</title></rect>";
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, boolean dashed) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2)
                + "\" stroke=\"" + colour + "\"" + (dashed ? " stroke-width=\"1.5\" stroke-dasharray=\"6,4\"" : "") + "/>";
    }

    private static String text(double x, double y, String s, String anchor, String cssClass) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\""
                + (cssClass == null ? "" : " class=\"" + cssClass + "\"") + ">" + esc(s) + "</text>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
