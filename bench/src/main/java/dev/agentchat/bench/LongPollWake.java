package dev.agentchat.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * P long-polls wait on {@code /messages/poll?after=N&wait=30}; one POST wakes them all. Wake-up
 * latency is from the start of that POST to each poll's answer.
 */
final class LongPollWake {
    private static final int WAIT_SECONDS = 30;

    record Result(int polls, int waiting, int answeredEarly, int woken, int errors, Percentiles wake,
                  CpuMeter.Usage cpu) {
        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("polls", polls);
            map.put("waiting", waiting);
            map.put("answered_early", answeredEarly);
            map.put("woken", woken);
            map.put("errors", errors);
            map.put("wake_latency", wake.json());
            map.put("cpu", cpu.json());
            map.put("server_cpu_us_per_wake_up", cpu.serverMicrosEach(woken));
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

    /** One unmeasured round first, so the measured one does not run the poll path cold. */
    static Result run(Http http, Control control, LocalProcess server, int polls) {
        new LongPollWake(polls).run(http, control, server);
        return new LongPollWake(polls).run(http, control, server);
    }

    private Result run(Http http, Control control, LocalProcess server) {
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
            ServerProcess.sleep(1000 + polls);
            int early = answers.get();
            CpuMeter cpu = CpuMeter.start(server);
            long posted = System.nanoTime();
            control.post("bench long-poll wake-up");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS + 5);
            while (answers.get() + errors.get() < opened.channels().size() && System.nanoTime() < until) {
                ServerProcess.sleep(5);
            }
            CpuMeter.Usage usage = cpu.stop();
            long[] wake = new long[polls];
            int woken = 0;
            for (long at : answered) {
                if (at > posted) {
                    wake[woken++] = at - posted;
                }
            }
            return new Result(polls, sent.get() - early, early, woken, errors.get() + opened.failures(),
                Percentiles.of(wake, woken), usage);
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
