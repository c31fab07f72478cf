package dev.agentchat.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process read through {@code /proc}: its CPU time, and the JIT compiler's part of it. */
class LocalProcessTest {
    @Test
    void aJvmsCompilerThreadsArePartOfItsCpuTime() {
        LocalProcess jvm = new LocalProcess(ProcessHandle.current().pid());
        Random random = new Random(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            // new code to compile: sorting with a comparator not used before
            long[] work = random.longs(50_000).toArray();
            Long[] boxed = Arrays.stream(work).boxed().sorted((a, b) -> Long.compare(b % 1000, a % 1000)).toArray(Long[]::new);
            return boxed.length > 0 && jvm.compilerCpuNanos().getAsLong() > 0;
        });
        assertTrue(jvm.compilerCpuNanos().getAsLong() <= jvm.cpuNanos().getAsLong(), "a part of the whole");
    }

    @Test
    void aProcessWithoutAJitCompilerHasNoCompilerTime() throws IOException {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(0, new LocalProcess(sleeper.pid()).compilerCpuNanos().getAsLong());
        } finally {
            LocalProcess.stop(sleeper);
        }
    }

    @Test
    void aProcessThatIsGoneHasNoFigures() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        LocalProcess gone = new LocalProcess(done.pid());
        assertTrue(gone.compilerCpuNanos().isEmpty());
        assertTrue(gone.cpuNanos().isEmpty());
    }
}
