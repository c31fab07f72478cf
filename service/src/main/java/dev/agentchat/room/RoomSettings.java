package dev.agentchat.room;

import dev.agentchat.settings.InvalidSetting;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the room ({@code agent-chat.*}; {@code serve} flags set them). The defaults are here and
 * nowhere else: {@code serve}'s help shows these constants, and a test checks the docs against them.
 *
 * @param password        the room password
 * @param maxHistory      how many of the newest messages are kept
 * @param keepalive       interval of the stream's keepalive comment
 * @param maxWait         the longest a long-poll may wait
 * @param maxMessageBytes the largest message text, in UTF-8 bytes
 * @param streamBuffer    messages a stream subscriber may fall behind before it is cut off (in bytes, its room's history budget)
 * @param maxAgentTurns   agent messages in a row, without a human one, after which agents are braked (0: never)
 * @param maxAnswerBytes  the most messages one poll or read answers with, by the size of their JSON (at
 *                        least one message); the answer's cursor then stops at its last message
 * @param topic           the server's own room's topic at start ({@code serve --topic}); none when null or
 *                        blank; held to the rule of a topic the host sets ({@link RoomTopics}), however it was given
 */
@ConfigurationProperties("agent-chat")
public record RoomSettings(
    String password,
    @Bindable(defaultValue = RoomSettings.DEFAULT_MAX_HISTORY) int maxHistory,
    @Bindable(defaultValue = "15s") Duration keepalive,
    @Bindable(defaultValue = "60s") Duration maxWait,
    @Bindable(defaultValue = RoomSettings.DEFAULT_MAX_MESSAGE_BYTES) int maxMessageBytes,
    @Bindable(defaultValue = "1024") int streamBuffer,
    @Bindable(defaultValue = RoomSettings.DEFAULT_MAX_AGENT_TURNS) int maxAgentTurns,
    @Bindable(defaultValue = RoomSettings.DEFAULT_MAX_ANSWER_BYTES) int maxAnswerBytes,
    @Nullable String topic) {
    public static final String DEFAULT_MAX_AGENT_TURNS = "25";
    public static final String DEFAULT_MAX_HISTORY = "10000";
    public static final String DEFAULT_MAX_MESSAGE_BYTES = "65536";
    public static final String DEFAULT_MAX_ANSWER_BYTES = "1048576";
    public static final String TOPIC = "agent-chat.topic";

    /**
     * A topic too long, or a history of no message, is refused when the server starts, whether it came
     * from {@code serve}, a property or the environment.
     */
    public RoomSettings {
        if (maxHistory < 1) {
            throw InvalidSetting.of("agent-chat.max-history", Integer.toString(maxHistory), "at least 1");
        }
        if (topic != null && !RoomTopics.fits(topic)) {
            throw new InvalidSetting(RoomTopics.tooLong(TOPIC, topic), null);
        }
        topic = topic == null || RoomTopics.line(topic).isEmpty() ? null : RoomTopics.line(topic);
    }

    /**
     * The first of {@code messages} that fit in one answer ({@link AnswerBudget}): as many as
     * {@link #maxAnswerBytes} of their JSON holds, and at least one.
     */
    public List<ChatMessage> firstAnswer(List<ChatMessage> messages) {
        return firstAnswer(messages, maxAnswerBytes);
    }

    /** The same, within {@code maxBytes} too when that is less (an answer of its own kind, an MCP tool result). */
    public List<ChatMessage> firstAnswer(List<ChatMessage> messages, long maxBytes) {
        return AnswerBudget.first(messages, Math.min(maxAnswerBytes, maxBytes), message -> message.json().length());
    }
}
