package dev.agentchat.room;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the room ({@code agent-chat.*} in application.yml; {@code serve} flags set them).
 *
 * @param password        the room password
 * @param maxHistory      how many of the newest messages are kept
 * @param keepalive       interval of the stream's keepalive comment
 * @param maxWait         the longest a long-poll may wait
 * @param maxMessageBytes the largest message text, in UTF-8 bytes
 * @param streamBuffer    messages a stream subscriber may fall behind before it is cut off
 */
@ConfigurationProperties("agent-chat")
public record RoomSettings(
    String password,
    @Bindable(defaultValue = "10000") int maxHistory,
    @Bindable(defaultValue = "15s") Duration keepalive,
    @Bindable(defaultValue = "60s") Duration maxWait,
    @Bindable(defaultValue = "65536") int maxMessageBytes,
    @Bindable(defaultValue = "1024") int streamBuffer) {
}
