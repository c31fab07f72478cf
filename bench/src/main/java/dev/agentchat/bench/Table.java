package dev.agentchat.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The console summary: one row per figure, with the target it is judged against. */
final class Table {
    record Row(String metric, String value, String target, String verdict) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(String metric, String value) {
        rows.add(new Row(metric, value, "", ""));
    }

    void add(String metric, String value, String target, boolean met) {
        rows.add(new Row(metric, value, target, met ? "met" : "MISSED"));
    }

    List<Row> rows() {
        return rows;
    }

    void print(PrintStream out) {
        int[] widths = {6, 5, 6};
        for (Row row : rows) {
            widths[0] = Math.max(widths[0], row.metric().length());
            widths[1] = Math.max(widths[1], row.value().length());
            widths[2] = Math.max(widths[2], row.target().length());
        }
        String format = "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s%n";
        out.printf(format, "metric", "result", "target", "");
        out.printf(format, "-".repeat(widths[0]), "-".repeat(widths[1]), "-".repeat(widths[2]), "");
        for (Row row : rows) {
            out.printf(format, row.metric(), row.value(), row.target(), row.verdict());
        }
    }
}
