package dev.agentchat.sse;

/**
 * One piece of a Server-Sent Events stream, already in its wire form. Ids and event names come from
 * the server and the data is one line of JSON, so nothing a client sends can inject SSE fields.
 */
public record SseFrame(String wire) {
    public static final String MESSAGE = "message";
    public static final String TRUNCATED = "truncated";
    public static final String PRESENCE = "presence";
    public static final String KEEPALIVE = "keepalive";
    public static final String TOPIC = "topic";

    public static SseFrame comment(String text) {
        return new SseFrame(": " + text + "\n\n");
    }

    public static SseFrame event(long id, String name, String json) {
        return new SseFrame("id: " + id + "\nevent: " + name + "\ndata: " + json + "\n\n");
    }

    /** An event without an id, so it does not move the client's Last-Event-ID. */
    public static SseFrame event(String name, String json) {
        return new SseFrame("event: " + name + "\ndata: " + json + "\n\n");
    }
}
