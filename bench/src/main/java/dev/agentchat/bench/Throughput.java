package dev.agentchat.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load: {@code concurrency} keep-alive connections, each sending its next request as
 * soon as the previous answer arrives; counted over a window after a warm-up.
 */
final class Throughput {
    record Result(String name, int concurrency, int subscribers, double seconds, long ok, long errors,
                  double perSecond, double subscriberFramesPerSecond, int subscribersDropped, String problems,
                  CpuMeter.Usage cpu) {
        Map<String, Object> json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", name);
            map.put("concurrency", concurrency);
            map.put("subscribers", subscribers);
            map.put("seconds", seconds);
            map.put("ok", ok);
            map.put("errors", errors);
            map.put("per_second", perSecond);
            map.put("subscriber_events_per_second", subscriberFramesPerSecond);
            map.put("subscribers_dropped_by_server", subscribersDropped);
            map.put("problems", problems == null || problems.isEmpty() ? null : problems);
            map.put("cpu", cpu.json());
            map.put("server_cpu_us_per_request", cpu.serverMicrosEach(ok));
            return map;
        }
    }

    private final FullHttpRequest template;
    private final LongAdder ok = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile boolean running = true;

    private Throughput(FullHttpRequest template) {
        this.template = template;
    }

    /**
     * @param subscribers SSE subscribers attached during the run (they only count events)
     */
    static Result run(Http http, MeasuredProcess server, String name, FullHttpRequest request, int concurrency,
                      int subscribers, Duration warmup, Duration measure) {
        Throughput load = new Throughput(request);
        try (SubscriberSet listeners = SubscriberSet.open(http, subscribers, false, (s, d, t) -> { },
            Duration.ofSeconds(30 + subscribers / 200))) {
            Http.Opened opened = http.open(concurrency,
                () -> pipeline -> pipeline.addLast(new HttpObjectAggregator(1 << 20)).addLast(load.new Loop()))
                .orTimeout(30, TimeUnit.SECONDS).join();
            try {
                if (opened.channels().isEmpty()) {
                    throw new BenchException(name + ": no connection could be opened: " + opened.firstError());
                }
                ServerProcess.sleep(warmup.toMillis());
                long ok0 = load.ok.sum();
                long errors0 = load.errors.sum();
                long frames0 = listeners.frames();
                long started = System.nanoTime();
                CpuMeter cpu = CpuMeter.start(server);
                ServerProcess.sleep(measure.toMillis());
                long okCount = load.ok.sum() - ok0;
                long errorCount = load.errors.sum() - errors0;
                long frames = listeners.frames() - frames0;
                double seconds = (System.nanoTime() - started) / 1e9;
                CpuMeter.Usage usage = cpu.stop();
                load.running = false;
                String problems = listeners.problems()
                    + (opened.failures() > 0 ? opened.failures() + " load connections failed; " : "");
                return new Result(name, opened.channels().size(), listeners.connected(), seconds, okCount, errorCount,
                    okCount / seconds, frames / seconds, listeners.dropped(), problems, usage);
            } finally {
                load.running = false;
                Http.closeAll(opened.channels());
                load.template.release();
            }
        }
    }

    /** One connection's loop. */
    private final class Loop extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.status().code() / 100 == 2) {
                ok.increment();
            } else {
                errors.increment();
            }
            if (running) {
                send(ctx);
            }
        }

        private void send(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(template.retainedDuplicate());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (running) {
                errors.increment();
            }
            ctx.close();
        }
    }
}
