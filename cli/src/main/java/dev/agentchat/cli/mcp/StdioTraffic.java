package dev.agentchat.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Watches the JSON-RPC lines going in and out of the stdio transport so that the command ends
 * cleanly when the host closes stdin. The SDK drops the answers of tool calls still running when
 * it sees the end of its input, and its threads would keep the process alive: so the end of
 * stdin is passed on to the SDK only once every request read has been answered (or after
 * {@link #GRACE}), and then {@link #awaitEnd()} returns.
 */
final class StdioTraffic {
    /** How long a closed stdin waits for the answers still due. */
    static final Duration GRACE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private long asked;
    private long answered;
    private boolean ended;

    /** Standard input as the transport should read it. */
    InputStream in(InputStream stdin) {
        Lines lines = new Lines(this::received);
        return new FilterInputStream(stdin) {
            @Override
            public int read() throws IOException {
                int b = readOrEnd(super::read);
                if (b >= 0) {
                    lines.accept((byte) b);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = readOrEnd(() -> super.read(buffer, offset, length));
                for (int i = 0; i < n; i++) {
                    lines.accept(buffer[offset + i]);
                }
                return n;
            }
        };
    }

    /** Standard output as the transport should write it. */
    OutputStream out(OutputStream stdout) {
        Lines lines = new Lines(this::sent);
        return new FilterOutputStream(stdout) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                lines.accept((byte) b);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                for (int i = 0; i < length; i++) {
                    lines.accept(buffer[offset + i]);
                }
            }
        };
    }

    /** Blocks until stdin has ended and the SDK has been told so. */
    synchronized void awaitEnd() throws InterruptedException {
        while (!ended) {
            wait();
        }
    }

    private int readOrEnd(IoRead read) throws IOException {
        try {
            int n = read.run();
            if (n < 0) {
                end();
            }
            return n;
        } catch (IOException e) {
            end();
            throw e;
        }
    }

    /** Holds the end of input back until the answers due are out (or the grace is over). */
    private synchronized void end() {
        long deadline = System.nanoTime() + GRACE.toNanos();
        try {
            while (answered < asked && System.nanoTime() < deadline) {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ended = true;
        notifyAll();
    }

    private synchronized void received(JsonNode message) {
        if (message.has("id") && message.has("method")) {
            asked++;
        }
    }

    private synchronized void sent(JsonNode message) {
        if (message.has("id") && !message.has("method")) {
            answered++;
            notifyAll();
        }
    }

    @FunctionalInterface
    private interface IoRead {
        int run() throws IOException;
    }

    /** Splits a byte stream into lines and hands each JSON object on; anything else is ignored. */
    private static final class Lines {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final Consumer<JsonNode> consumer;

        Lines(Consumer<JsonNode> consumer) {
            this.consumer = consumer;
        }

        synchronized void accept(byte b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            byte[] bytes = line.toByteArray();
            line.reset();
            try {
                JsonNode node = JSON.readTree(bytes);
                if (node != null && node.isObject()) {
                    consumer.accept(node);
                }
            } catch (IOException e) {
                // not JSON: the SDK reports it; nothing to count
            }
        }
    }
}
