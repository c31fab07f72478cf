package dev.agentchat.stream;

import dev.agentchat.sse.SseFrame;
import reactor.core.publisher.Flux;

/**
 * The room's events a stream sends when it asks for them ({@code events}), as frames.
 *
 * @param coordination acknowledgements, claims and the loop brake ({@code events=coordination})
 * @param moderation   what the host did to a name: kicked, muted, unmuted ({@code events=moderation})
 */
public record RoomEvents(Flux<SseFrame> coordination, Flux<SseFrame> moderation) {
}
