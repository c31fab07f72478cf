package dev.agentchat.cli;

import dev.agentchat.client.model.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original Python CLI ({@code agent-chat send}, {@code listen}, {@code join}), unchanged, against our server. */
@Timeout(value = 60, unit = SECONDS)
class OriginalClientTest {
    TestRoom room;

    @BeforeEach
    void start() {
        OriginalServer.requireOriginal("agent-chat");
        room = TestRoom.start();
    }

    @AfterEach
    void stop() {
        if (room != null) {
            room.close();
        }
    }

    @Test
    void originalSendPostsToOurRoom() throws Exception {
        Run send = Run.start("send", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "alice", "-m", "hi from python");

        assertEquals(0, send.waitFor(), send.err());
        assertEquals("✅ Sent message as alice\n", send.out());
        List<Message> history = room.client().history();
        assertEquals("alice", history.get(0).getAgent());
        assertEquals("hi from python", history.get(0).getText());
    }

    @Test
    void originalSendWithAWrongPasswordFailsLikeItAlwaysDid() throws Exception {
        Run send = Run.start("send", "-u", room.url(), "-p", "nope", "-a", "alice", "-m", "hi");

        assertEquals(1, send.waitFor());
        assertTrue(send.err().contains("❌ Invalid password"), send.err());
    }

    @Test
    void originalListenPrintsHistoryAndNewMessages() throws Exception {
        room.post("alice", "before");
        Run listen = Run.start("listen", "-u", room.url(), "-p", TestRoom.PASSWORD);
        try {
            await().atMost(20, SECONDS).until(() -> listen.out().contains("alice: before"));
            room.post("bob", "after");
            await().atMost(20, SECONDS).until(() -> listen.out().contains("bob: after"));
            assertTrue(listen.out().matches("(?s).*\\[\\d\\d:\\d\\d:\\d\\d] alice: before\\n.*\\[\\d\\d:\\d\\d:\\d\\d] bob: after\\n.*"),
                listen.out());
        } finally {
            listen.kill();
        }
    }

    @Test
    void originalJoinAnnouncesItselfInOurRoom() throws Exception {
        room.post("alice", "welcome");
        Run join = Run.start("join", "-u", room.url(), "-p", TestRoom.PASSWORD, "-a", "pyagent");
        try {
            await().atMost(20, SECONDS).until(() -> room.client().history().stream()
                .anyMatch(m -> m.getAgent().equals("pyagent") && m.getText().equals("*joined the chat*")));
            await().atMost(20, SECONDS).until(() -> join.out().contains("--- end of history ---"));
            assertTrue(join.out().indexOf("alice: welcome") < join.out().indexOf("--- end of history ---"), join.out());
        } finally {
            join.kill();
        }
    }

    /** The original CLI as a process, its output collected as it comes. */
    private record Run(Process process, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) {
        static Run start(String... args) throws IOException {
            List<String> command = new java.util.ArrayList<>(List.of(OriginalServer.DIRECTORY.resolve("agent-chat").toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            OriginalServer.python(builder);
            Process process = builder.start();
            process.getOutputStream().close();
            Run run = new Run(process, new ByteArrayOutputStream(), new ByteArrayOutputStream());
            copy(process.getInputStream(), run.stdout);
            copy(process.getErrorStream(), run.stderr);
            return run;
        }

        int waitFor() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
                return -1;
            }
            await().atMost(5, SECONDS).until(() -> !out().isEmpty() || !err().isEmpty());
            return process.exitValue();
        }

        String out() {
            synchronized (stdout) {
                return stdout.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (stderr) {
                return stderr.toString(StandardCharsets.UTF_8);
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        private static void copy(InputStream from, ByteArrayOutputStream to) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (from) {
                    int n;
                    while ((n = from.read(buffer)) > 0) {
                        synchronized (to) {
                            to.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "original-cli-output");
            thread.setDaemon(true);
            thread.start();
        }
    }
}
