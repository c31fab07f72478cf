package dev.agentchat.hosting;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.error.OversizedBody;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.room.RoomSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * A message posted to a room ({@code POST {base}/messages}) whose body is over the server's request
 * size is refused before the room sees its text; when the room's message limit is the lower one, the
 * text is over that limit (unless the body is mostly JSON escapes), so it is told
 * {@code message_too_large} with the room's limit, as a text the room has read is, rather than the
 * request size, which is no size a message may have.
 */
@Singleton
final class OversizedMessage implements OversizedBody {
    private final RoomSettings settings;

    OversizedMessage(RoomSettings settings) {
        this.settings = settings;
    }

    @Override
    @Nullable
    public ApiException refusal(HttpRequest<?> request, long maxRequestSize) {
        String path = request.getPath();
        boolean message = request.getMethod() == HttpMethod.POST && path.endsWith("/messages")
            && RoomAccessFilter.roomOf(path) != null;
        return message && settings.maxMessageBytes() < maxRequestSize
            ? ApiError.MESSAGE_TOO_LARGE.limit(NewMessageValidator.tooLarge(settings.maxMessageBytes()), settings.maxMessageBytes())
            : null;
    }
}
