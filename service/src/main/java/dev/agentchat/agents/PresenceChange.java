package dev.agentchat.agents;

/** An agent came online or went offline. */
public record PresenceChange(String agent, String state) {
    public static final String JOINED = "joined";
    public static final String LEFT = "left";

    /** The event's data; names are validated, but escape them anyway. */
    public String json() {
        return "{\"agent\":\"" + escape(agent) + "\",\"state\":\"" + state + "\"}";
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
