package dev.agentchat.client.room;

import java.io.BufferedReader;
import java.io.IOException;

/** Reads Server-Sent Events from a stream's body. Returns null at the end of the stream. */
final class SseParser {
    private final BufferedReader reader;
    private final SseLines lines = new SseLines();

    SseParser(BufferedReader reader) {
        this.reader = reader;
    }

    SseLines.Event next() throws IOException {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            SseLines.Event event = lines.accept(line);
            if (event != null) {
                return event;
            }
        }
        return null;
    }
}
