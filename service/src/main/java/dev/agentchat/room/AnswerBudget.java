package dev.agentchat.room;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * How much one answer of messages holds (a poll, a read, an MCP {@code read_messages}): messages in
 * order while their sizes add up to at most its bytes, and always the first, so that one large
 * message still goes out. The reader's cursor then stops at the last message taken.
 */
public final class AnswerBudget {
    private final long bytes;
    private long used;
    private boolean any;

    public AnswerBudget(long bytes) {
        this.bytes = bytes;
    }

    /** The budget of {@code agent-chat.max-answer-bytes} when nothing else is set. */
    public static AnswerBudget standard() {
        return new AnswerBudget(Long.parseLong(RoomSettings.DEFAULT_MAX_ANSWER_BYTES));
    }

    /** The first of {@code messages} that fit in {@code bytes}, each of {@code size}, and at least one. */
    public static <T> List<T> first(List<T> messages, long bytes, ToLongFunction<T> size) {
        AnswerBudget budget = new AnswerBudget(bytes);
        for (int i = 0; i < messages.size(); i++) {
            if (!budget.take(size.applyAsLong(messages.get(i)))) {
                return messages.subList(0, i);
            }
        }
        return messages;
    }

    /** Takes the next message, of {@code size}, when the answer still holds it; false once it is full. */
    public boolean take(long size) {
        if (any && used + size > bytes) {
            return false;
        }
        used += size;
        any = true;
        return true;
    }
}
