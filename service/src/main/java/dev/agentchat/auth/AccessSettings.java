package dev.agentchat.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Who besides the room password's holders may use the server ({@code agent-chat.*}; {@code serve}
 * flags set them). Both are off unless set.
 *
 * @param hostKey the host's key ({@code --host-key}, env {@code AGENT_CHAT_HOST_KEY}): sent as
 *                {@code Authorization: Bearer <host key>} it opens every room and the host's operations
 * @param observerPassword the observer password of every room ({@code --observer-password}): it opens
 *                every read and no write
 */
@ConfigurationProperties("agent-chat")
public record AccessSettings(@Nullable String hostKey, @Nullable String observerPassword) {
}
