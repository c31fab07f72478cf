package dev.agentchat.cli.client;

import dev.agentchat.client.model.Message;
import dev.agentchat.room.AnswerBudget;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Fills one bounded answer ({@link AnswerBudget}) from messages in order, the wanted ones taken while
 * they fit; remembers the last message read past (taken, or not wanted), where the cursor may go.
 */
final class AnswerTaker {
    private final AnswerBudget budget;
    private final ToLongFunction<Message> size;
    private final Predicate<Message> wanted;
    private final List<Message> taken = new ArrayList<>();
    @Nullable
    private Message passed;
    private boolean full;

    AnswerTaker(AnswerBudget budget, ToLongFunction<Message> size, Predicate<Message> wanted) {
        this.budget = budget;
        this.size = size;
        this.wanted = wanted;
    }

    /** Takes what fits of {@code messages}; false once the answer is full. */
    boolean take(List<Message> messages) {
        for (Message message : messages) {
            if (wanted.test(message)) {
                if (!budget.take(size.applyAsLong(message))) {
                    full = true;
                    return false;
                }
                taken.add(message);
            }
            passed = message;
        }
        return true;
    }

    List<Message> taken() {
        return taken;
    }

    /** The last message read past; null when none was. */
    @Nullable
    Message passed() {
        return passed;
    }

    boolean full() {
        return full;
    }
}
