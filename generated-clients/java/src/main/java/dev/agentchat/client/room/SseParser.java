package dev.agentchat.client.room;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads Server-Sent Events line by line (the subset agent-chat sends: {@code id}, {@code event},
 * one {@code data} line, comments). Returns null at the end of the stream.
 */
final class SseParser {

    record Event(String id, String type, String data) {
    }

    private final BufferedReader reader;

    SseParser(BufferedReader reader) {
        this.reader = reader;
    }

    Event next() throws IOException {
        String id = null;
        String type = "message";
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(id, type, data.toString());
                }
                id = null;
                type = "message";
                continue;
            }
            if (line.startsWith(":")) {
                continue;
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
        }
        return null;
    }
}
