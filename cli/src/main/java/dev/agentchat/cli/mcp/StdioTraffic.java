package dev.agentchat.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;
import io.micronaut.core.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Stands between stdio and the SDK's transport, one JSON-RPC line at a time:
 * <ul>
 *   <li>a line that is not JSON is answered with a parse error ({@code -32700}), one that is JSON but
 *       not a JSON-RPC message with an invalid-request error ({@code -32600}), a {@code tools/call}
 *       without a tool's name or with arguments that are not an object with an invalid-params error
 *       ({@code -32602}, as the room's {@code /mcp} answers them), and one calling a tool there is not
 *       likewise; none reaches the SDK, which would stop reading after the first two and answer the
 *       others with its own exception's text;</li>
 *   <li>an {@code initialize} the room cannot be used for (a wrong password, no such room, the server
 *       unreachable: {@link Admission}) is answered with that reason as an error ({@link #ROOM_REFUSED}),
 *       so the host shows it at once rather than at the first tool call; the host may try again;
 *       {@link #awaitAdmission()} waits for the first one admitted, after which the server knows which
 *       tools to offer (until then a {@code ping} is answered here);</li>
 *   <li>a {@code tools/call} of a tool the session is not offered (an observer's call of a tool that
 *       writes: {@link Admission#withheld}) is answered with a tool error saying why, as the room's
 *       {@code /mcp} answers it;</li>
 *   <li>a request before {@code initialize} is refused ({@code -32600}); one after it but before the
 *       host said {@code notifications/initialized} is answered as the room's {@code /mcp} answers it,
 *       the notification being passed on first (the SDK would drop the request and never answer);</li>
 *   <li>lines out are written whole, so the answers of concurrent calls never interleave;</li>
 *   <li>at the end of stdin the answers still due go out while they keep coming, at most
 *       {@link #GRACE} apart (a call just made is answered); then {@link #awaitEnd()} returns whatever
 *       is still running (a long wait), so the command never outlives its host.</li>
 * </ul>
 */
final class StdioTraffic {
    /** How long a closed stdin waits for the answers still due. */
    static final Duration GRACE = Duration.ofMillis(1500);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIALIZED = "notifications/initialized";
    private static final String CANCELLED = "notifications/cancelled";
    /** The JSON-RPC error of an {@code initialize} the room refused (a server error of the implementation's range). */
    static final int ROOM_REFUSED = -32000;

    private final Object writing = new Object();
    private final Cancellations cancellations = new Cancellations();
    private final OutputStream stdout;
    private final Admission admission;
    private long asked;
    private long answered;
    private boolean ended;
    private long deadline;
    /** Whether an {@code initialize}, and then its {@code notifications/initialized}, have been passed on. */
    private boolean initializing;
    private boolean initialized;
    /** Whether an {@code initialize} has been admitted ({@link #awaitAdmission}). */
    private boolean admitted;

    /**
     * @param stdout    where the protocol goes
     * @param admission asked at each {@code initialize} whether the room can be used
     */
    StdioTraffic(OutputStream stdout, Admission admission) {
        this.stdout = stdout;
        this.admission = admission;
    }

    /** The calls the host has cancelled, as they went by. */
    Cancellations cancellations() {
        return cancellations;
    }

    /** Whether the room can be used: checked when a session initializes. */
    interface Admission {
        /** Why the room cannot be used, in one line; null when it can. */
        @Nullable
        String refusal();

        /** Why the admitted session is not offered tool {@code name} (one of the catalogue's), in one line; null when it is. */
        @Nullable
        String withheld(String name);
    }

    /**
     * Standard input as the transport should read it: only JSON-RPC messages, fed by a thread that
     * reads {@code stdin} and answers what is not one.
     */
    InputStream in(InputStream stdin) {
        PipedInputStream forSdk = new PipedInputStream(1 << 16);
        PipedOutputStream toSdk;
        try {
            toSdk = new PipedOutputStream(forSdk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread pump = new Thread(() -> pump(stdin, toSdk), "mcp-stdin");
        pump.setDaemon(true);
        pump.start();
        return forSdk;
    }

    /** Standard output as the transport should write it: whole lines, answers counted. */
    OutputStream out() {
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) throws IOException {
                if (b != '\n') {
                    line.write(b);
                    return;
                }
                byte[] bytes = line.toByteArray();
                line.reset();
                writeLine(bytes);
                sent(bytes);
            }

            @Override
            public synchronized void write(byte[] buffer, int offset, int length) throws IOException {
                for (int i = 0; i < length; i++) {
                    write(buffer[offset + i]);
                }
            }

            @Override
            public void flush() {
                // lines are flushed as they are completed
            }
        };
    }

    /**
     * Blocks until an {@code initialize} has been admitted (what the room answered then says which
     * tools the session is offered), or until stdin has ended without one.
     */
    synchronized void awaitAdmission() throws InterruptedException {
        while (!admitted && !ended) {
            wait();
        }
    }

    /**
     * Blocks until stdin has ended and then until the answers due are out, or until none has gone out
     * for {@link #GRACE} (counted from the end of stdin, or from this call if the server started later).
     */
    synchronized void awaitEnd() throws InterruptedException {
        while (!ended) {
            wait();
        }
        deadline = System.nanoTime() + GRACE.toNanos();
        while (answered < asked && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    private void pump(InputStream stdin, PipedOutputStream toSdk) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (stdin) {
            int n;
            while ((n = stdin.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        line.write(buffer[i]);
                        continue;
                    }
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    received(bytes, toSdk);
                }
            }
            if (line.size() > 0) {
                received(line.toByteArray(), toSdk);
            }
        } catch (IOException e) {
            // stdin is gone: as good as its end
        }
        // the pipe to the SDK stays open: at its end the SDK would drop the answers still due
        synchronized (this) {
            ended = true;
            notifyAll();
        }
        // and its writing thread alive: a pipe whose writer has ended is "dead" to the SDK's next read,
        // which ends the session with the answers still due (the process ends without this daemon)
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One line from the host: passed on when it is a JSON-RPC message, else answered here. */
    private void received(byte[] bytes, PipedOutputStream toSdk) throws IOException {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            reject(null, -32700, "Parse error: the line is not JSON");
            return;
        }
        JsonNode id = message == null ? null : message.get("id");
        // MCP allows no null id (the SDK would end the session on one)
        boolean validId = id == null || id.isTextual() || id.isIntegralNumber();
        if (message == null || !message.isObject() || !"2.0".equals(message.path("jsonrpc").asText(null)) || !validId
            || (message.has("method") ? !message.get("method").isTextual()
                : !(message.has("id") && (message.has("result") || message.has("error"))))) {
            reject(validId ? id : null, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
            return;
        }
        String unfit = "tools/call".equals(message.get("method").asText()) ? unfitCall(message.get("params")) : null;
        if (unfit != null) {
            if (id != null) {
                reject(id, -32602, unfit);
            }
            return;
        }
        String method = message.path("method").asText("");
        if ("ping".equals(method) && id != null && !admitted()) {
            answer(id, JSON.createObjectNode()); // no server yet to answer it
            return;
        }
        if (message.has("id") && message.has("method") && !"initialize".equals(method) && !"ping".equals(method)) {
            if (!initializing) {
                reject(id, -32600, "Invalid Request: send initialize first");
                return;
            }
            if (!initialized) {
                pass("{\"jsonrpc\":\"2.0\",\"method\":\"" + INITIALIZED + "\"}", toSdk);
            }
        }
        if (INITIALIZED.equals(method) && !initializing) {
            return; // the initialize it follows was refused: the SDK has no session to start
        }
        if ("initialize".equals(method) && id != null) {
            String refusal = admission.refusal();
            if (refusal != null) {
                reject(id, ROOM_REFUSED, refusal);
                return;
            }
            synchronized (this) {
                admitted = true;
                notifyAll();
            }
        }
        String withheld = id != null && "tools/call".equals(method) ? admission.withheld(message.get("params").get("name").asText())
            : null;
        if (withheld != null) {
            refuse(id, withheld);
            return;
        }
        initializing |= "initialize".equals(method);
        initialized |= INITIALIZED.equals(method);
        if (message.has("id") && message.has("method")) {
            synchronized (this) {
                asked++;
            }
        }
        if (CANCELLED.equals(method)) {
            cancellations.cancel(message.path("params").path("requestId").asText());
        }
        pass(id != null && "tools/call".equals(method) ? withOwnId((ObjectNode) message, id) : text, toSdk);
    }

    /** The call with its own id in its {@code _meta} ({@link Cancellations#META}), by which it asks whether it was cancelled. */
    private static String withOwnId(ObjectNode call, JsonNode id) throws IOException {
        ObjectNode params = (ObjectNode) call.get("params");
        ObjectNode meta = params.get("_meta") instanceof ObjectNode given ? given : params.putObject("_meta");
        meta.put(Cancellations.META, id.asText());
        return JSON.writeValueAsString(call);
    }

    private static void pass(String line, PipedOutputStream toSdk) throws IOException {
        toSdk.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toSdk.flush();
    }

    /** Why a {@code tools/call}'s params cannot be a call; null when they can. */
    private static String unfitCall(JsonNode params) {
        if (params == null || !params.isObject() || !params.path("name").isTextual()) {
            return ToolText.NO_TOOL_NAME;
        }
        if (!ToolCatalog.NAMES.contains(params.get("name").asText())) {
            return ToolText.unknownTool(params.get("name").asText());
        }
        JsonNode arguments = params.get("arguments");
        return arguments == null || arguments.isNull() || arguments.isObject() ? null : ToolText.ARGUMENTS_NOT_OBJECT;
    }

    /** A tool call answered with a tool error ({@code isError}), as the tool itself would fail. */
    private void refuse(JsonNode id, String why) throws IOException {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", ToolText.error(why));
        result.put("isError", true);
        answer(id, result);
    }

    private void answer(JsonNode id, JsonNode result) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("jsonrpc", "2.0");
        answer.set("id", id);
        answer.set("result", result);
        writeLine(JSON.writeValueAsBytes(answer));
    }

    private synchronized boolean admitted() {
        return admitted;
    }

    private void reject(JsonNode id, int code, String why) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.put("jsonrpc", "2.0");
        error.set("id", id == null ? JSON.nullNode() : id);
        error.putObject("error").put("code", code).put("message", why);
        writeLine(JSON.writeValueAsBytes(error));
    }

    private void writeLine(byte[] bytes) throws IOException {
        synchronized (writing) {
            stdout.write(bytes);
            stdout.write('\n');
            stdout.flush();
        }
    }

    private void sent(byte[] bytes) {
        try {
            JsonNode message = JSON.readTree(bytes);
            if (message != null && message.has("id") && !message.has("method")) {
                synchronized (this) {
                    answered++;
                    deadline = System.nanoTime() + GRACE.toNanos(); // progress: the next answer gets its grace too
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // not ours to judge what the SDK writes
        }
    }
}
