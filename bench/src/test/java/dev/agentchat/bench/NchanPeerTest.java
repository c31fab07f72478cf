package dev.agentchat.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The generator against nginx with nchan at toy scale: it must count right against the peer too; no
 * timings are judged. Skipped with a notice where nginx or its nchan module is not installed (CI
 * does not install them; the benchmark never does).
 */
class NchanPeerTest {
    @Test
    void configurationListensOnLoopbackOnlyAndKeepsItsFilesInItsDirectory(@TempDir Path dir) {
        String conf = NginxProcess.configuration(Path.of("/m/ngx_nchan_module.so"), dir, 18_080, 2, 20_000);
        assertTrue(conf.contains("listen 127.0.0.1:18080;"), conf);
        assertTrue(conf.contains("daemon off;"), conf);
        assertTrue(conf.contains("worker_processes 2;"), conf);
        assertTrue(conf.contains("pid " + dir + "/nginx.pid;"), conf);
        assertTrue(conf.contains("error_log " + dir + "/error.log"), conf);
        assertTrue(conf.contains("nchan_message_buffer_length 10000;"), conf);
        assertFalse(conf.contains("/etc/nginx"), conf);
        assertFalse(conf.contains("/var/log"), conf);
    }

    @Test
    void everyNchanSubscriberReceivesEveryMessageOnce(@TempDir Path dir) throws IOException {
        try (NginxProcess nginx = startNginx(dir); Http http = new Http(nginx.target(), 1)) {
            FanOut.Result result = FanOut.run(http, new Control(nginx.target()), nginx.processes(), 5, 10, 2,
                Duration.ofMillis(5));
            assertEquals(5, result.connected());
            assertEquals(50, result.delivered());
            assertEquals(1.0, result.deliveryRatio());
            assertEquals(0, result.duplicates());
            assertEquals(10, result.warmUpDelivered());
            assertFalse(Double.isNaN(result.cpu().serverCores()), "nginx's CPU is read from /proc");
            assertFalse(Double.isNaN(result.cpu().serverSystemCores()), "and its kernel part");
        }
    }

    @Test
    void oneNchanMessageWakesEveryWaitingPoll(@TempDir Path dir) throws IOException {
        try (NginxProcess nginx = startNginx(dir); Http http = new Http(nginx.target(), 1)) {
            LongPollWake.Result result = LongPollWake.run(http, new Control(nginx.target()), nginx.processes(), 5, 1, 2);
            assertEquals(10, result.woken());
            assertEquals(5, result.cold().woken());
            assertEquals(0, result.errors());
        }
    }

    @Test
    void nginxMemoryAndCpuCountTheMasterAndEveryWorker(@TempDir Path dir) throws IOException {
        try (NginxProcess nginx = startNginx(dir); Http http = new Http(nginx.target(), 1)) {
            ProcessGroup group = nginx.processes();
            assertEquals(2, group.children().size(), "two workers");
            assertEquals(3, group.processes().size());
            assertTrue(group.memoryBytes().isPresent());
            assertTrue(group.cpuNanos().isPresent());
            assertTrue(group.systemCpuNanos().getAsLong() <= group.cpuNanos().getAsLong(), "the kernel's part of the whole");
            assertEquals(0, group.compilerCpuNanos().getAsLong(), "nginx has no JIT compiler");
            IdleCost.Result idle = IdleCost.run(http, group, 5, 10);
            assertEquals(5, idle.warmUpConnected());
            assertEquals(10, idle.connected());
        }
        assertNoNginxLeft();
    }

    @Test
    void commandWithPeerWritesBothSidesAndTheReport(@TempDir Path dir) throws IOException {
        assumeNchan();
        Map<String, Object> properties = new HashMap<>(Bench.LIFTED_LIMITS);
        properties.put("agent-chat.password", "pw");
        properties.put("micronaut.server.port", -1);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
            Path results = dir.resolve("results.json");
            int exit = Bench.execute("--url", "http://localhost:" + server.getPort(), "--password", "pw",
                "--peer", "nchan", "--only", "idle,fanout,longpoll", "--subscribers", "3", "--messages", "4",
                "--warm-up-messages", "1", "--interval", "PT0.005S", "--idle-connections", "5", "--idle-warm-up", "2",
                "--long-polls", "3", "--long-poll-warm-up", "1", "--long-poll-rounds", "2", "-o", results.toString());
            assertEquals(Bench.EXIT_OK, exit);
            String json = Files.readString(results);
            assertTrue(json.contains("\"nchan\": {"), json);
            assertTrue(json.contains("\"versus_nchan\": ["), json);
            assertTrue(json.contains("\"metric\": \"fan-out 3: latency p99\""), json);
            assertEquals(2, json.split("\"delivery_ratio\": 1.0").length - 1, "both servers delivered everything");
            assertTrue(Files.isRegularFile(dir.resolve("nginx.conf")), "the peer's configuration is kept beside");
            String html = Files.readString(dir.resolve("results.html"));
            assertTrue(html.contains("agent-chat benchmark beside nchan"), html);
            assertTrue(html.contains("<svg"), html);
            BenchSmokeTest.assertSelfContained(html);
        }
        assertNoNginxLeft();
    }

    private static NginxProcess startNginx(Path dir) throws IOException {
        assumeNchan();
        return NginxProcess.start(NginxProcess.find().orElseThrow(), dir.resolve("nginx"), 2, 2048);
    }

    private static void assumeNchan() {
        boolean installed = NginxProcess.find().isPresent();
        if (!installed) {
            System.out.println("NchanPeerTest: skipped, no nginx with the nchan module at " + NginxProcess.NGINX
                + " and " + NginxProcess.NCHAN_MODULE + " (Debian: nginx, libnginx-mod-nchan)");
        }
        assumeTrue(installed, "nginx with the nchan module is not installed");
    }

    private static void assertNoNginxLeft() {
        long left = ProcessHandle.current().descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("nginx")).orElse(false)).count();
        assertEquals(0, left, "every nginx the benchmark started has stopped");
    }
}
