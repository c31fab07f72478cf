package dev.agentchat.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * P long-polls wait on {@code /messages/poll?after=N&wait=30}; one POST wakes them all. Wake-up
 * latency is from the start of that POST to each poll's answer. A round opens P fresh connections
 * (as one-shot clients do). The first rounds warm the server up unmeasured: the long-poll path runs
 * once per wake-up, so the JIT compiles it only after some thousands of them, as any server that has
 * been in service a while has; the first (cold) round is reported on its own. The measured rounds
 * are pooled.
 */
final class LongPollWake {
    private static final int WAIT_SECONDS = 30;

    /** One round: P polls parked, one POST. */
    record Round(int polls, int waiting, int answeredEarly, int woken, int errors, long[] wake,
                 CpuMeter.Usage cpu) {
        Percentiles percentiles() {
            return Percentiles.of(wake, woken);
        }
    }

    /** The measured rounds, pooled, and the cold first round. */
    record Result(int polls, int warmUpRounds, List<Round> rounds, Round cold) {
        int woken() {
            return rounds.stream().mapToInt(Round::woken).sum();
        }

        int expected() {
            return polls * rounds.size();
        }

        int answeredEarly() {
            return rounds.stream().mapToInt(Round::answeredEarly).sum();
        }

        int errors() {
            return rounds.stream().mapToInt(Round::errors).sum();
        }

        /** Every measured wake-up, pooled. */
        Percentiles wake() {
            long[] all = new long[woken()];
            int at = 0;
            for (Round round : rounds) {
                System.arraycopy(round.wake(), 0, all, at, round.woken());
                at += round.woken();
            }
            return Percentiles.of(all, at);
        }

        /** The highest p99 of a single measured round. */
        double worstRoundP99() {
            return rounds.stream().mapToDouble(r -> r.percentiles().p99()).max().orElse(Double.NaN);
        }

        CpuMeter.Usage cpu() {
            return rounds.stream().map(Round::cpu).reduce(CpuMeter.Usage::plus).orElseThrow();
        }

        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("polls", polls);
            map.put("warm_up_rounds", warmUpRounds);
            map.put("measured_rounds", rounds.size());
            map.put("answered_early", answeredEarly());
            map.put("woken", woken());
            map.put("errors", errors());
            map.put("wake_latency", wake().json());
            map.put("round_p99_ms", rounds.stream().map(r -> r.percentiles().p99()).toList());
            map.put("cold_round_wake_latency", cold.percentiles().json());
            map.put("cold_round_server_cpu_us_per_wake_up", cold.cpu().serverMicrosEach(cold.woken()));
            CpuMeter.Usage cpu = cpu();
            map.put("cpu", cpu.json());
            map.put("server_cpu_us_per_wake_up", cpu.serverMicrosEach(woken()));
            return map;
        }
    }

    private final long[] answered;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answers = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    private LongPollWake(int polls) {
        answered = new long[polls];
    }

    /**
     * @param warmUp unmeasured rounds first (at least one: the cold round)
     * @param rounds measured rounds after them
     */
    static Result run(Http http, Control control, MeasuredProcess server, int polls, int warmUp, int rounds) {
        Round cold = new LongPollWake(polls).run(http, control, server);
        for (int i = 1; i < warmUp; i++) {
            new LongPollWake(polls).run(http, control, server);
        }
        List<Round> measured = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            measured.add(new LongPollWake(polls).run(http, control, server));
        }
        return new Result(polls, Math.max(1, warmUp), measured, cold);
    }

    private Round run(Http http, Control control, MeasuredProcess server) {
        int polls = answered.length;
        long last = control.post("bench long-poll cursor");
        String path = "/messages/poll?after=" + last + "&wait=" + WAIT_SECONDS;
        int[] next = {0};
        Http.Opened opened = http.open(polls, () -> {
            int index;
            synchronized (next) {
                index = next[0]++;
            }
            Poll poll = new Poll(index, http, path);
            return pipeline -> pipeline.addLast(new HttpObjectAggregator(1 << 20)).addLast(poll);
        }).orTimeout(60, TimeUnit.SECONDS).join();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sent.get() < opened.channels().size() && System.nanoTime() < deadline) {
                ServerProcess.sleep(10);
            }
            // give the server time to read every request and park it
            ServerProcess.sleep(500 + polls / 2);
            int early = answers.get();
            CpuMeter cpu = CpuMeter.start(server);
            long posted = System.nanoTime();
            control.post("bench long-poll wake-up");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS + 5);
            while (answers.get() + errors.get() < opened.channels().size() && System.nanoTime() < until) {
                ServerProcess.sleep(1);
            }
            CpuMeter.Usage usage = cpu.stop();
            long[] wake = new long[polls];
            int woken = 0;
            for (long at : answered) {
                if (at > posted) {
                    wake[woken++] = at - posted;
                }
            }
            return new Round(polls, sent.get() - early, early, woken, errors.get() + opened.failures(), wake, usage);
        } finally {
            Http.closeAll(opened.channels());
        }
    }

    /** One waiting poll. */
    private final class Poll extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final int index;
        private final Http http;
        private final String path;

        Poll(int index, Http http, String path) {
            this.index = index;
            this.http = http;
            this.path = path;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(http.get(path)).addListener(f -> {
                if (f.isSuccess()) {
                    sent.incrementAndGet();
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            long now = System.nanoTime();
            if (response.status().code() == 200) {
                answered[index] = now;
                answers.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.incrementAndGet();
            ctx.close();
        }
    }
}
