package dev.agentchat.coordination;

/**
 * One announcement on the stream, in its wire form: the SSE event's name ({@link #ACK}, {@link #CLAIM}, {@link #BRAKE})
 * and its data, one line of JSON.
 */
public record CoordinationEvent(String name, String json) {
    public static final String ACK = "ack";
    public static final String CLAIM = "claim";
    public static final String BRAKE = "brake";

    /** {@code name\njson}: how it crosses Redis pub/sub. */
    public String encoded() {
        return name + "\n" + json;
    }

    public static CoordinationEvent decode(String encoded) {
        int newline = encoded.indexOf('\n');
        if (newline < 1) {
            throw new IllegalArgumentException("not a coordination event");
        }
        return new CoordinationEvent(encoded.substring(0, newline), encoded.substring(newline + 1));
    }
}
