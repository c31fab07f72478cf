package dev.agentchat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * agent-chat's figures beside a peer's from the same run, each as a ratio (ours / theirs; below 1.0
 * is better for us). The judged ones carry the target of ≤ 1.0 × the peer.
 */
final class Comparison {
    /** The fan-out sizes whose CPU per delivery is judged against the peer: the targets' 1,000 to 10,000 (larger ones show that every stream connects). */
    static final int JUDGED_CPU_FROM = 1_000;
    static final int JUDGED_CPU_TO = 10_000;

    /** One figure of both servers. */
    record Line(String metric, String unit, double ours, double peer, boolean judged) {
        double ratio() {
            return peer > 0 ? ours / peer : Double.NaN;
        }

        boolean met() {
            return !Double.isNaN(ratio()) && ratio() <= 1.0;
        }

        Map<String, Object> json(String peerName) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("metric", metric);
            map.put("unit", unit);
            map.put("agent_chat", ours);
            map.put(peerName, peer);
            map.put("ratio", ratio());
            map.put("target", judged ? "<= 1.0" : null);
            map.put("met", judged ? met() : null);
            return map;
        }
    }

    private final ServerFigures ours;
    private final ServerFigures peer;
    private final List<Line> lines = new ArrayList<>();

    Comparison(ServerFigures ours, ServerFigures peer) {
        this.ours = ours;
        this.peer = peer;
        ours.idle().ifPresent(a -> peer.idle().ifPresent(b ->
            lines.add(new Line("memory per idle SSE stream", "KiB", a.kibPerConnection(), b.kibPerConnection(), true))));
        for (FanOut.Result a : ours.fanOuts()) {
            peer.fanOut(a.subscribers()).ifPresent(b -> {
                String name = "fan-out " + a.subscribers() + ": ";
                lines.add(new Line(name + "server CPU per delivery", "us", a.cpu().serverMicrosEach(a.delivered()),
                    b.cpu().serverMicrosEach(b.delivered()), a.subscribers() >= JUDGED_CPU_FROM && a.subscribers() <= JUDGED_CPU_TO));
                lines.add(new Line(name + "  of which in the kernel", "us", a.cpu().serverSystemMicrosEach(a.delivered()),
                    b.cpu().serverSystemMicrosEach(b.delivered()), false));
                lines.add(new Line(name + "  less the JIT compiler's", "us",
                    a.cpu().serverWarmMicrosEach(a.delivered()), b.cpu().serverWarmMicrosEach(b.delivered()), false));
                lines.add(new Line(name + "latency p50", "ms", a.latency().p50(), b.latency().p50(), false));
                lines.add(new Line(name + "latency p99", "ms", a.latency().p99(), b.latency().p99(), true));
            });
        }
        ours.longPoll().ifPresent(a -> peer.longPoll().ifPresent(b -> {
            lines.add(new Line("long-poll wake-up p50", "ms", a.wake().p50(), b.wake().p50(), false));
            lines.add(new Line("long-poll wake-up p99", "ms", a.wake().p99(), b.wake().p99(), true));
            lines.add(new Line("long-poll server CPU per wake-up", "us", a.cpu().serverMicrosEach(a.woken()),
                b.cpu().serverMicrosEach(b.woken()), false));
            lines.add(new Line("long-poll server CPU per wake-up, less the JIT compiler's", "us",
                a.cpu().serverWarmMicrosEach(a.woken()), b.cpu().serverWarmMicrosEach(b.woken()), false));
        }));
    }

    List<Line> lines() {
        return lines;
    }

    String peerName() {
        return peer.name();
    }

    /** Rows for the console table: ours, theirs, the ratio and, where judged, the verdict. */
    void addTo(Table table) {
        for (Line line : lines) {
            String value = String.format(Locale.ROOT, "%s vs %s %s = %s x", number(line.ours()), number(line.peer()),
                line.unit(), number(line.ratio()));
            String metric = "vs " + peer.name() + ": " + line.metric();
            if (line.judged()) {
                table.add(metric, value, "<= 1.0 x " + peer.name(), line.met());
            } else {
                table.add(metric, value);
            }
        }
    }

    List<Object> json() {
        List<Object> json = new ArrayList<>();
        for (Line line : lines) {
            json.add(line.json(peer.name()));
        }
        return json;
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "?";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }
}
