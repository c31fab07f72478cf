package dev.agentchat.room;

import io.micronaut.core.annotation.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * One chat room: an ordered, bounded history of messages and the subscribers following it.
 * In memory by default ({@link MemoryRoom}); a distributed store can implement the same contract.
 */
public interface Room {

    /**
     * Stores the message with the next id and delivers it to every subscriber; a draft with a key
     * ({@link SentKeys}) that was sent before under its name and is still kept is not stored again:
     * the first one is returned.
     */
    ChatMessage post(Draft draft);

    /** The kept message {@code agent} sent under {@code key}, or null ({@link SentKeys}). */
    @Nullable
    ChatMessage sent(String agent, String key);

    /**
     * Completes once the message with this id has been offered to every subscriber on this instance
     * (at once where delivery happens inside {@link #post}): a post is answered after its delivery,
     * so posters cannot run ahead of the fan-out.
     */
    default Mono<Void> delivered(long id) {
        return Mono.empty();
    }

    /** Retained messages with an id greater than {@code afterId}, oldest first, at most {@code limit}. */
    List<ChatMessage> after(long afterId, int limit);

    /**
     * {@link #after} for a long-poll that {@link #nextAfter} woke: every retained message after
     * {@code afterId} up to at least the newest one this instance has been told of. A room in Redis
     * reads it once for all the polls one message wakes at the same cursor.
     */
    default List<ChatMessage> afterWake(long afterId) {
        return after(afterId, Integer.MAX_VALUE);
    }

    /**
     * The retained messages the query asks for, oldest first: a page of history before or after an
     * id, one author's, or those whose text contains a search term.
     */
    List<ChatMessage> find(HistoryQuery query);

    /** The id of the newest message, 0 when none was ever posted. */
    long lastId();

    /** The id of the oldest retained message, or {@code lastId() + 1} when none is retained. */
    long oldestId();

    /**
     * Registers {@code follower} for every new message and returns every retained message after
     * {@code afterId}: no gap and no duplicate between the two (the follower skips live deliveries the
     * replay already holds). The follower is cut off when it falls its buffer behind, and completed
     * when the room closes. Call {@link #unfollow} when done with it.
     */
    List<ChatMessage> follow(long afterId, Subscriber follower);

    /** Stops offering messages to {@code follower}. */
    void unfollow(Subscriber follower);

    /**
     * When a follower last followed the room on this instance (epoch millis): now while one does, 0
     * when none ever did. An open stream and a waiting long-poll are activity: they keep a room alive
     * as requests do.
     */
    long lastFollowed();

    /** A long-poll begins to wait for the next post: it follows the room until {@link #pollDone}. */
    void pollWaiting();

    /** A poll counted by {@link #pollWaiting} was answered or its client left. */
    void pollDone();

    /**
     * Runs {@code wake} when the next message is posted (on the posting thread, or a Redis client's
     * thread), or at once on this thread if one newer than {@code afterId} exists. Disposing the
     * answer lets go of {@code wake}.
     */
    Disposable nextAfter(long afterId, Runnable wake);

    /** The room's topic (what it is for), or null when it has none. */
    @Nullable
    String topic();

    /**
     * Sets the topic, or clears it with null, and announces the change to {@link #topics()} on every
     * instance sharing the room.
     */
    void topic(@Nullable String topic);

    /** Each new topic as it is set ("" when it was cleared), for the streams that announce it. */
    Flux<String> topics();

    /** Ends every open subscription (used at shutdown so clients see the end of their stream). */
    void close();

    /**
     * Ends the room for good (its host ended it, or its TTL passed): {@link #close}, and every poll
     * waiting for its next post is woken, to be answered at once ({@link #ended}).
     */
    void end();

    /** Whether {@link #end} ran: a waiting poll gives what it has, or is answered {@code room_not_found}, instead of waiting on. */
    boolean ended();
}
