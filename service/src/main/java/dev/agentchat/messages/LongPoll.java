package dev.agentchat.messages;

import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Room;
import dev.agentchat.transport.EventLoops;
import io.micronaut.core.annotation.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.List;

/**
 * One long-poll: answers at once when there is something newer than the cursor (for the reader, if
 * filtered), otherwise waits for the next post until the time is up.
 */
final class LongPoll {
    private final Room room;
    @Nullable
    private final String forName;

    LongPoll(Room room, @Nullable String forName) {
        this.room = room;
        this.forName = forName;
    }

    /** The answer: the messages, and the cursor for the next call. */
    record Result(List<ChatMessage> messages, long next) {
    }

    Mono<Result> poll(long after, Duration hold) {
        long deadline = System.nanoTime() + hold.toNanos();
        // the post that wakes every waiting poll runs on one thread; each answer is made on its own loop
        Scheduler loop = EventLoops.current();
        return Mono.defer(() -> attempt(after, deadline, loop));
    }

    private Mono<Result> attempt(long after, long deadline, @Nullable Scheduler loop) {
        return Mono.defer(() -> {
            // take the wake-up signal before reading, so a post in between is not missed
            Mono<Void> nextPost = room.nextAfter(after);
            Result result = read(after);
            long remaining = deadline - System.nanoTime();
            if (!result.messages().isEmpty() || remaining <= 0) {
                return Mono.just(result);
            }
            Duration left = Duration.ofNanos(remaining);
            // on a loop, the wake-up moves there before the timer sees it: its timer is then set and
            // cancelled by the loop that owns it, with no lock shared by every waiting poll
            Mono<Void> woken = loop == null
                ? nextPost.timeout(left, Mono.empty())
                : nextPost.publishOn(loop).timeout(left, Mono.empty(), loop);
            return woken.then(attempt(result.next(), deadline, loop));
        });
    }

    private Result read(long after) {
        long last = room.lastId();
        // a cursor beyond the newest id comes from before a restart: everything retained is new to it
        long from = after > last ? 0 : after;
        List<ChatMessage> messages = room.after(from, Integer.MAX_VALUE);
        long next = messages.isEmpty() ? Math.max(from, last) : messages.get(messages.size() - 1).id();
        if (forName != null) {
            messages = messages.stream().filter(m -> m.concerns(forName)).toList();
        }
        return new Result(messages, next);
    }
}
