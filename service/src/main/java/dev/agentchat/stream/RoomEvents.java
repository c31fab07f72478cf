package dev.agentchat.stream;

import dev.agentchat.error.ApiException;
import dev.agentchat.sse.SseFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The room's events a stream sends when it asks for them ({@code events}), as frames, and the one
 * that ends it.
 *
 * @param coordination acknowledgements, claims and the loop brake ({@code events=coordination})
 * @param moderation   what the host did to a name: kicked, muted, unmuted ({@code events=moderation})
 * @param removal      the listener let go (kicked), with the refusal its next request would get: the
 *                     stream ends, saying so first with {@code events=end}; never, without a listener
 * @param handedOver   the name the listener gave, held by nobody when it came, claimed by someone: the
 *                     stream ends as a loss, so that only the holder is present and moves the name's read
 *                     receipt from then on (the client comes back, and listens as nobody under the held
 *                     name); never, for a holder, the host or no listener
 */
public record RoomEvents(Flux<SseFrame> coordination, Flux<SseFrame> moderation, Mono<ApiException> removal,
                         Mono<?> handedOver) {
}
