package dev.agentchat.client.room;

/**
 * Assembles Server-Sent Events from the lines of a stream, the way an {@code EventSource} reads them
 * (the subset agent-chat sends: {@code id}, {@code event}, {@code data}, comments). Shared by every
 * Java reader of the stream, whatever it reads its lines from.
 */
public final class SseLines {
    /** The event type of an event that names none. */
    public static final String MESSAGE = "message";

    /** One event; {@code id} is null when the server sent none (the original server). */
    public record Event(String id, String type, String data) {
    }

    private String id;
    private String type;
    private StringBuilder data;

    /** Takes one line, without its line break; returns the event a blank line completes, else null. */
    public Event accept(String line) {
        if (line.isEmpty()) {
            Event event = data == null ? null : new Event(id, type == null ? MESSAGE : type, data.toString());
            id = null;
            type = null;
            data = null;
            return event;
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
        }
        return null;
    }
}
