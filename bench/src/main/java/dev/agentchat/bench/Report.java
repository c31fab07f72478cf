package dev.agentchat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The run as one self-contained HTML page beside results.json: fan-out latency per subscriber count,
 * server CPU per delivery, memory per idle stream and long-poll wake-up, ours beside the peer's when
 * there is one. Inline SVG and CSS only: no script, no external asset, so it opens anywhere, offline.
 */
final class Report {
    private static final String OURS_COLOUR = "#2563eb";
    private static final String PEER_COLOUR = "#ea580c";
    /** Ours less the JIT compiler's share: a lighter shade of ours. */
    private static final String OURS_WARM_COLOUR = "#93c5fd";
    private static final int WIDTH = 640;
    private static final int LABEL_WIDTH = 150;
    private static final int VALUE_WIDTH = 90;
    private static final int BAR_HEIGHT = 16;

    private final Map<String, Object> machine;
    private final ServerFigures ours;
    private final ServerFigures peer;
    private final Comparison comparison;

    /**
     * @param peer       the peer's figures, or null when the run had none
     * @param comparison ours against the peer's, or null
     */
    Report(Map<String, Object> machine, ServerFigures ours, ServerFigures peer, Comparison comparison) {
        this.machine = machine;
        this.ours = ours;
        this.peer = peer;
        this.comparison = comparison;
    }

    /** One series of a bar chart: a server's values, one per category (NaN where it has none). */
    private record Series(String name, String colour, double[] values) {
    }

    String html() {
        StringBuilder html = new StringBuilder();
        String title = "agent-chat benchmark" + (peer == null ? "" : " beside " + peer.name());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<style>\n")
            .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:760px;color:#111;padding:0 1em}\n")
            .append("h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}\n")
            .append("table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;")
            .append("text-align:right}td:first-child,th:first-child{text-align:left}\n")
            .append(".met{color:#15803d}.missed{color:#b91c1c;font-weight:600}.note{color:#555}\n")
            .append(".key span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:-.1em}\n")
            .append("svg{display:block;margin:.4em 0 1em}svg text{font:12px system-ui,sans-serif;fill:#111}\n")
            .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        html.append("<p class=\"note\">").append(escape(describeMachine())).append("</p>\n");
        if (busy(machine)) {
            html.append("<p class=\"missed\">The machine was busy when the run started (load average above half its ")
                .append("cores): these figures are not representative. Take them again on a quiet machine.</p>\n");
        }
        html.append("<p class=\"key\">").append(key(ours.name(), OURS_COLOUR));
        if (peer != null) {
            html.append(key(peer.name(), PEER_COLOUR));
        }
        html.append("</p>\n");
        if (comparison != null && !comparison.lines().isEmpty()) {
            sideBySide(html);
        }
        fanOutLatency(html);
        fanOutCpu(html);
        idleMemory(html);
        longPoll(html);
        html.append("<p class=\"note\">Written by agent-chat-bench; every figure is in results.json beside this page. ")
            .append("Latencies move with whatever else the machine is doing; CPU per unit of work moves least.</p>\n");
        return html.append("</body>\n</html>\n").toString();
    }

    private String describeMachine() {
        return "Run " + machine.get("date") + " on " + machine.get("cpu") + ", " + machine.get("cores") + " cores, "
            + machine.get("java") + "; load average at the start "
            + String.format(Locale.ROOT, "%.2f", ((Number) machine.getOrDefault("load_average_at_start", Double.NaN)).doubleValue())
            + ".";
    }

    /**
     * Whether the run started with a load average above 1.5 per core: other work was competing for the
     * CPU. (The tail of a previous run alone keeps the 1-minute average near one per core for a while.)
     */
    static boolean busy(Map<String, Object> machine) {
        double load = ((Number) machine.getOrDefault("load_average_at_start", -1.0)).doubleValue();
        int cores = ((Number) machine.getOrDefault("cores", 1)).intValue();
        return load > 1.5 * cores;
    }

    private static String unit(String unit) {
        return "us".equals(unit) ? "µs" : unit;
    }

    private static String key(String name, String colour) {
        return "<span style=\"background:" + colour + "\"></span>" + escape(name);
    }

    private void sideBySide(StringBuilder html) {
        html.append("<h2>Side by side</h2>\n<table>\n<tr><th>figure</th><th>").append(escape(ours.name()))
            .append("</th><th>").append(escape(peer.name())).append("</th><th>ratio</th><th>target</th></tr>\n");
        for (Comparison.Line line : comparison.lines()) {
            html.append("<tr><td>").append(escape(line.metric())).append("</td><td>")
                .append(Comparison.number(line.ours())).append(' ').append(unit(line.unit())).append("</td><td>")
                .append(Comparison.number(line.peer())).append(' ').append(unit(line.unit())).append("</td><td>")
                .append(Comparison.number(line.ratio())).append(" ×</td><td>");
            if (line.judged()) {
                html.append(line.met() ? "<span class=\"met\">≤ 1.0 × met</span>" : "<span class=\"missed\">≤ 1.0 × missed</span>");
            }
            html.append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private void fanOutLatency(StringBuilder html) {
        if (ours.fanOuts().isEmpty()) {
            return;
        }
        html.append("<h2>Fan-out latency: POST start to each subscriber</h2>\n");
        for (FanOut.Result mine : ours.fanOuts()) {
            FanOut.Result theirs = peer == null ? null : peer.fanOut(mine.subscribers()).orElse(null);
            String caption = String.format(Locale.ROOT, "%,d subscribers, %d messages: delivery %s", mine.subscribers(),
                mine.messages(), ratio(mine)) + (theirs == null ? "" : " (" + peer.name() + " " + ratio(theirs) + ")");
            List<String> categories = List.of("p50", "p99", "max");
            List<Series> series = new ArrayList<>();
            series.add(new Series(ours.name(), OURS_COLOUR, percentiles(mine.latency())));
            if (theirs != null) {
                series.add(new Series(peer.name(), PEER_COLOUR, percentiles(theirs.latency())));
            }
            html.append(chart(caption, "ms", categories, series));
        }
    }

    private void fanOutCpu(StringBuilder html) {
        if (ours.fanOuts().isEmpty()) {
            return;
        }
        List<String> categories = new ArrayList<>();
        for (FanOut.Result fan : ours.fanOuts()) {
            categories.add(String.format(Locale.ROOT, "%,d subscribers", fan.subscribers()));
        }
        List<Series> series = new ArrayList<>();
        series.add(new Series(ours.name(), OURS_COLOUR, perFanOut(ours, f -> f.cpu().serverMicrosEach(f.delivered()))));
        double[] warm = perFanOut(ours, f -> f.cpu().serverWarmMicrosEach(f.delivered()));
        String warmName = ours.name() + " less its JIT compiler's";
        boolean withWarm = Arrays.stream(warm).anyMatch(value -> !Double.isNaN(value));
        if (withWarm) {
            series.add(new Series(warmName, OURS_WARM_COLOUR, warm));
        }
        if (peer != null) {
            series.add(new Series(peer.name(), PEER_COLOUR, perFanOut(peer, f -> f.cpu().serverMicrosEach(f.delivered()))));
        }
        html.append("<h2>Server CPU per delivery</h2>\n");
        if (withWarm) {
            html.append("<p class=\"key\">").append(key(warmName, OURS_WARM_COLOUR))
                .append(" (the compiler's threads: work a young JVM does once)</p>\n");
        }
        html.append(chart("CPU time of every server process over the measured messages, per event delivered", "µs",
            categories, series));
    }

    private void idleMemory(StringBuilder html) {
        if (ours.idle().isEmpty() && (peer == null || peer.idle().isEmpty())) {
            return;
        }
        List<Series> series = new ArrayList<>();
        series.add(new Series(ours.name(), OURS_COLOUR,
            new double[] {ours.idle().map(IdleCost.Result::kibPerConnection).orElse(Double.NaN)}));
        String caption = ours.idle().map(i -> String.format(Locale.ROOT, "%,d idle SSE streams", i.connections())).orElse("idle SSE streams");
        if (peer != null) {
            series.add(new Series(peer.name(), PEER_COLOUR,
                new double[] {peer.idle().map(IdleCost.Result::kibPerConnection).orElse(Double.NaN)}));
            caption = peer.idle().map(i -> String.format(Locale.ROOT, "%,d idle SSE streams", i.connections())).orElse(caption);
        }
        html.append("<h2>Memory per idle SSE stream</h2>\n")
            .append(chart(caption + ": memory after opening them less memory before, per stream", "KiB",
                List.of("per stream"), series));
    }

    private void longPoll(StringBuilder html) {
        if (ours.longPoll().isEmpty()) {
            return;
        }
        LongPollWake.Result mine = ours.longPoll().get();
        List<Series> series = new ArrayList<>();
        series.add(new Series(ours.name(), OURS_COLOUR, percentiles(mine.wake())));
        if (peer != null && peer.longPoll().isPresent()) {
            series.add(new Series(peer.name(), PEER_COLOUR, percentiles(peer.longPoll().get().wake())));
        }
        html.append("<h2>Long-poll wake-up</h2>\n")
            .append(chart(String.format(Locale.ROOT, "%,d waiting polls woken by one POST, %d measured rounds pooled",
                mine.polls(), mine.rounds().size()), "ms", List.of("p50", "p99", "max"), series));
    }

    private static String ratio(FanOut.Result fan) {
        return String.format(Locale.ROOT, "%.4f", fan.deliveryRatio());
    }

    private static double[] percentiles(Percentiles p) {
        return new double[] {p.p50(), p.p99(), p.max()};
    }

    private double[] perFanOut(ServerFigures figures, ToDoubleFunction<FanOut.Result> value) {
        double[] values = new double[ours.fanOuts().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = figures.fanOut(ours.fanOuts().get(i).subscribers()).map(value::applyAsDouble).orElse(Double.NaN);
        }
        return values;
    }

    /** A horizontal grouped bar chart: one group per category, one bar per series, each labelled with its value. */
    static String chart(String caption, String unit, List<String> categories, List<Series> series) {
        double max = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        int groupHeight = series.size() * (BAR_HEIGHT + 2) + 10;
        int height = 24 + categories.size() * groupHeight;
        double scale = max <= 0 ? 0 : (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
            .append("\" role=\"img\"><title>").append(escape(caption)).append("</title>\n");
        svg.append("<text x=\"0\" y=\"14\" font-weight=\"600\">").append(escape(caption)).append("</text>\n");
        for (int c = 0; c < categories.size(); c++) {
            int top = 24 + c * groupHeight;
            svg.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"")
                .append(top + series.size() * (BAR_HEIGHT + 2) / 2 + 4).append("\" text-anchor=\"end\">")
                .append(escape(categories.get(c))).append("</text>\n");
            for (int s = 0; s < series.size(); s++) {
                double value = series.get(s).values()[c];
                int y = top + s * (BAR_HEIGHT + 2);
                double width = Double.isNaN(value) ? 0 : Math.max(1, value * scale);
                svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s %s</title></rect>\n",
                    LABEL_WIDTH, y, width, BAR_HEIGHT, series.get(s).colour(), escape(series.get(s).name()),
                    Comparison.number(value), escape(unit)));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s %s</text>\n",
                    LABEL_WIDTH + width + 4, y + BAR_HEIGHT - 4,
                    Double.isNaN(value) ? "not measured" : Comparison.number(value), Double.isNaN(value) ? "" : escape(unit)));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
