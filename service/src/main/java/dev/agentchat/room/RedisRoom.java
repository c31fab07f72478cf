package dev.agentchat.room;

import dev.agentchat.redis.RedisKeys;
import dev.agentchat.redis.RedisScript;
import dev.agentchat.redis.SharedRead;

import dev.agentchat.api.model.Message;
import dev.agentchat.error.ApiError;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A room kept in Redis, shared by every instance on the same Redis. One Lua script gives a message
 * the room's next id (INCR), appends it to the capped stream and publishes it, so ids are one
 * sequence per room and the stream and the channel see messages in id order. Each instance fans the
 * published messages out to its own subscribers; a subscriber registers before it reads the stream,
 * then drops what it already replayed, so replay and live feed meet without gap or duplicate.
 */
public final class RedisRoom implements Room {
    /**
     * Posts into a live room only: a named room whose keys expired is gone, not silently re-created.
     * The server's own room (ARGV[6] = 1) is never gone: its keys are re-created. The id exists only
     * inside this script (allocating it in a separate call could leave a gap, or store ids out of
     * order), so what is stored is the message Java encoded without an id (ARGV[1]), unchanged, under
     * the stream entry id {@code <id>-0}; the channel carries {@code <id>\n<that JSON>}. Each instance
     * encodes the whole message once it has the id. The oldest messages are dropped while the room
     * keeps more than its max-history of them (set when it was created, so that no instance cuts the
     * history for all; ARGV[2] for a room stored without one) or more than ARGV[8] bytes of JSON (the
     * byte count lives in the room's hash). A message with its sender's key (ARGV[9] = 1; KEYS[6] holds
     * the id it was posted under, for ARGV[10] ms) that was posted before and is still kept is not
     * posted again. Returns the id, -2 - the id of the message posted before under the key, or -1.
     */
    private static final RedisScript POST = new RedisScript("""
        if redis.call('EXISTS', KEYS[3]) == 0 then
          if ARGV[6] ~= '1' then return {-1} end
          redis.call('HSET', KEYS[3], 'created', ARGV[7], 'max-history', ARGV[2])
        end
        if ARGV[9] == '1' then
          local sent = redis.call('GET', KEYS[6])
          if sent and #redis.call('XRANGE', KEYS[2], sent .. '-0', sent .. '-0') > 0 then return -2 - tonumber(sent) end
        end
        local max = tonumber(redis.call('HGET', KEYS[3], 'max-history') or ARGV[2])
        local id = redis.call('INCR', KEYS[1])
        redis.call('XADD', KEYS[2], id .. '-0', 'm', ARGV[1])
        if ARGV[9] == '1' then redis.call('SET', KEYS[6], id, 'PX', ARGV[10]) end
        local bytes = redis.call('HINCRBY', KEYS[3], 'bytes', #ARGV[1])
        local len = redis.call('XLEN', KEYS[2])
        while len > 1 and (len > max or bytes > tonumber(ARGV[8])) do
          local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
          redis.call('XDEL', KEYS[2], oldest[1])
          bytes = redis.call('HINCRBY', KEYS[3], 'bytes', -#oldest[2][2])
          len = len - 1
        end
        redis.call('PUBLISH', KEYS[4], id .. '\\n' .. ARGV[1])
        for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
        redis.call('ZADD', KEYS[5], 'XX', ARGV[4], ARGV[5])
        return id
        """);

    /** Messages read from Redis at a time while a search looks through the history. */
    private static final int FIND_BATCH = 500;

    /**
     * Sets (ARGV[1] non-empty) or clears the topic in the room's hash and publishes
     * {@code topic\n<topic>} on its channel; -1 when a named room's keys are gone (the server's own
     * room, ARGV[3] = 1, is re-created).
     */
    private static final RedisScript SET_TOPIC = new RedisScript("""
        if redis.call('EXISTS', KEYS[1]) == 0 then
          if ARGV[3] ~= '1' then return -1 end
          redis.call('HSET', KEYS[1], 'created', ARGV[4])
        end
        if ARGV[1] == '' then redis.call('HDEL', KEYS[1], 'topic') else redis.call('HSET', KEYS[1], 'topic', ARGV[1]) end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PUBLISH', KEYS[2], 'topic\\n' .. ARGV[1])
        return 1
        """);
    /** What a published topic change starts with (a message starts with its id). */
    private static final String TOPIC_PREFIX = "topic\n";

    private final String name;
    private final Supplier<RedisCommands<String, String>> commands;
    private final boolean revive;
    private final JsonMapper json;
    private final Function<ChatMessage, String> encoder;
    private final Function<ChatMessage, String> withoutId;
    private final int maxHistory;
    private final long maxHistoryBytes;
    private final long ttlMillis;
    private final Clock clock;
    private final Object lock = new Object();
    private final Subscribers subscribers;
    private final NextPost nextPost = new NextPost();
    /**
     * Counts what may be newer than a read of the room: each message delivered here, and each time a
     * poll found the room's newest id ahead of what it read (a message stored and not yet delivered).
     * A read shared by woken polls begins after the latest of them.
     */
    private final AtomicLong arrivals = new AtomicLong();
    private final SharedRead<Long, List<ChatMessage>> wakeReads = new SharedRead<>();
    private final Sinks.Many<String> topicChanges = Sinks.many().multicast().directBestEffort();

    /**
     * @param commands  the Redis commands (asked for on each use: Redis may be away when the room is made)
     * @param revive    whether a post re-creates the room's keys when they expired (the server's own room)
     * @param encoder   makes a message's JSON, once its id is known (its {@code json} component is empty when called)
     * @param withoutId encodes a message's JSON without its id: what is stored and published
     * @param maxHistory the messages kept in a room stored without its own max-history (and stored with
     *                   one that a post re-creates)
     * @param maxHistoryBytes the most bytes of message JSON the room keeps
     */
    public RedisRoom(String name, Supplier<RedisCommands<String, String>> commands, boolean revive, JsonMapper json,
              Function<ChatMessage, String> encoder, Function<ChatMessage, String> withoutId, int maxHistory,
              long maxHistoryBytes, long ttlMillis, Clock clock) {
        this.name = name;
        this.commands = commands;
        this.revive = revive;
        this.json = json;
        this.encoder = encoder;
        this.withoutId = withoutId;
        this.maxHistory = maxHistory;
        this.maxHistoryBytes = maxHistoryBytes;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
        this.subscribers = new Subscribers(clock);
    }

    @Override
    public ChatMessage post(Draft draft) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        ChatMessage bare = ChatMessage.of(0, draft, now);
        String body = withoutId.apply(bare);
        boolean keyed = draft.key() != null;
        String[] keys = {RedisKeys.sequence(name), RedisKeys.log(name), RedisKeys.meta(name), RedisKeys.channel(name),
            RedisKeys.ROOMS, RedisKeys.sent(name, keyed ? SentKeys.of(draft.agent(), draft.key()) : "")};
        long nowMillis = clock.millis();
        long id = POST.<Long>run(commands.get(), ScriptOutputType.INTEGER, keys, body, Integer.toString(maxHistory),
            Long.toString(ttlMillis), Long.toString(nowMillis + ttlMillis), name, revive ? "1" : "0",
            Long.toString(nowMillis), Long.toString(maxHistoryBytes), keyed ? "1" : "0",
            Long.toString(SentKeys.KEPT.toMillis()));
        if (id <= -2) {
            ChatMessage earlier = kept(-2 - id);
            if (earlier == null) {
                return post(draft); // dropped from the history since: forgotten, so posted now
            }
            SentKeys.requireSameText(earlier, draft);
            return earlier;
        }
        if (id < 0) {
            throw ApiError.ROOM_NOT_FOUND.exception();
        }
        return withId(id, bare);
    }

    @Override
    public ChatMessage sent(String agent, String key) {
        String id = commands.get().get(RedisKeys.sent(name, SentKeys.of(agent, key)));
        return id == null ? null : kept(Long.parseLong(id));
    }

    /** The message with this id, if the room still keeps it. */
    @Nullable
    private ChatMessage kept(long id) {
        List<ChatMessage> found = after(id - 1, 1);
        return found.isEmpty() || found.get(0).id() != id ? null : found.get(0);
    }

    @Override
    public List<ChatMessage> after(long afterId, int limit) {
        Range<String> range = Range.from(Range.Boundary.including((afterId + 1) + "-0"), Range.Boundary.unbounded());
        List<StreamMessage<String, String>> entries = limit == Integer.MAX_VALUE
            ? commands.get().xrange(RedisKeys.log(name), range)
            : commands.get().xrange(RedisKeys.log(name), range, Limit.from(limit));
        List<ChatMessage> messages = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> entry : entries) {
            String entryId = entry.getId();
            messages.add(parse(Long.parseLong(entryId.substring(0, entryId.indexOf('-'))), entry.getBody().get("m")));
        }
        return messages;
    }

    /**
     * A read begun after a message reached this instance holds it and every message before it (a
     * message is stored before it is published), so the polls it woke at the same cursor share one.
     */
    @Override
    public List<ChatMessage> afterWake(long afterId) {
        return wakeReads.get(arrivals.get(), afterId, () -> List.copyOf(after(afterId, Integer.MAX_VALUE)));
    }

    @Override
    public List<ChatMessage> find(HistoryQuery query) {
        long low = query.after() + 1;
        long high = query.before() - 1;
        List<ChatMessage> found = new ArrayList<>();
        // unfiltered, one read of exactly the page; filtered, the range in batches until the page is full
        int batch = query.unfiltered() ? query.limit() : Math.max(FIND_BATCH, query.limit());
        while (low <= high && found.size() < query.limit()) {
            Range<String> range = Range.create(low + "-0", high + "-0");
            Limit count = batch == Integer.MAX_VALUE ? Limit.unlimited() : Limit.from(batch);
            List<StreamMessage<String, String>> entries = query.newest()
                ? commands.get().xrevrange(RedisKeys.log(name), range, count)
                : commands.get().xrange(RedisKeys.log(name), range, count);
            for (StreamMessage<String, String> entry : entries) {
                long id = idOf(entry);
                ChatMessage bare = bare(id, entry.getBody().get("m"));
                if (query.matches(bare) && found.size() < query.limit()) {
                    found.add(withId(id, bare));
                }
                if (query.newest()) {
                    high = id - 1;
                } else {
                    low = id + 1;
                }
            }
            if (entries.size() < batch) {
                break;
            }
        }
        if (query.newest()) {
            Collections.reverse(found);
        }
        return found;
    }

    private static long idOf(StreamMessage<String, String> entry) {
        String entryId = entry.getId();
        return Long.parseLong(entryId.substring(0, entryId.indexOf('-')));
    }

    @Override
    public long lastId() {
        String last = commands.get().get(RedisKeys.sequence(name));
        return last == null ? 0 : Long.parseLong(last);
    }

    @Override
    public long oldestId() {
        List<StreamMessage<String, String>> first = commands.get().xrange(RedisKeys.log(name), Range.unbounded(), Limit.from(1));
        if (first.isEmpty()) {
            return lastId() + 1;
        }
        String id = first.get(0).getId();
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    @Override
    public List<ChatMessage> follow(long afterId, Subscriber follower) {
        // registered before the replay is read, so nothing posted in between is missed
        subscribers.add(follower);
        List<ChatMessage> replay;
        try {
            replay = after(afterId, Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            subscribers.remove(follower);
            throw e;
        }
        follower.skipThrough(replay.isEmpty() ? afterId : replay.get(replay.size() - 1).id());
        return replay;
    }

    @Override
    public void unfollow(Subscriber follower) {
        subscribers.remove(follower);
    }

    @Override
    public long lastFollowed() {
        return subscribers.lastFollowed();
    }

    @Override
    public void pollWaiting() {
        subscribers.pollWaiting();
    }

    @Override
    public void pollDone() {
        subscribers.pollDone();
    }

    @Override
    public Disposable nextAfter(long afterId, Runnable wake) {
        return nextPost.after(() -> {
            if (afterId < lastId()) {
                // the read the poll shares next must begin now, not before this message was stored
                arrivals.incrementAndGet();
                return true;
            }
            return false;
        }, wake);
    }

    @Override
    @Nullable
    public String topic() {
        return commands.get().hget(RedisKeys.meta(name), "topic");
    }

    @Override
    public void topic(@Nullable String topic) {
        long done = SET_TOPIC.<Long>run(commands.get(), ScriptOutputType.INTEGER,
            new String[] {RedisKeys.meta(name), RedisKeys.channel(name)}, topic == null ? "" : topic,
            Long.toString(ttlMillis), revive ? "1" : "0", Long.toString(clock.millis()));
        if (done < 0) {
            throw ApiError.ROOM_NOT_FOUND.exception();
        }
    }

    @Override
    public Flux<String> topics() {
        return topicChanges.asFlux();
    }

    /**
     * A message ({@code <id>\n<JSON without id>}) or a topic change ({@code topic\n<topic>})
     * published on the room's channel, by any instance.
     */
    public void deliver(String message) {
        if (message.startsWith(TOPIC_PREFIX)) {
            topicChanges.tryEmitNext(message.substring(TOPIC_PREFIX.length()));
            return;
        }
        int newline = message.indexOf('\n');
        if (newline < 1) {
            throw new IllegalStateException("not a published message of room " + name);
        }
        ChatMessage parsed = parse(Long.parseLong(message.substring(0, newline)), message.substring(newline + 1));
        synchronized (lock) {
            subscribers.deliver(parsed);
            arrivals.incrementAndGet();
        }
        nextPost.posted();
    }

    @Override
    public void end() {
        nextPost.end(this::close);
    }

    @Override
    public boolean ended() {
        return nextPost.ended();
    }

    /** Ends every open subscription; their clients reconnect and resume by id. */
    @Override
    public void close() {
        topicChanges.tryEmitComplete();
        synchronized (lock) {
            subscribers.completeAll();
        }
    }

    /** The message with its id and its JSON, encoded now that the id is known. */
    private ChatMessage withId(long id, ChatMessage bare) {
        ChatMessage message = bare.withId(id);
        return message.withJson(encoder.apply(message));
    }

    private ChatMessage parse(long id, String body) {
        return withId(id, bare(id, body));
    }

    /** A stored message without its JSON (made only for the messages an answer keeps). */
    private ChatMessage bare(long id, String body) {
        try {
            Message m = json.readValue(body, Message.class);
            return new ChatMessage(id, m.getAgent(), m.getText(), m.getTimestamp(),
                m.getMentions() == null ? List.of() : m.getMentions(), m.getTo() == null ? List.of() : m.getTo(),
                m.getReplyTo(), m.getKind() == null ? Draft.AGENT : m.getKind().getValue(),
                Boolean.TRUE.equals(m.getVerified()), Boolean.TRUE.equals(m.getAckRequested()),
                // judged once, by the instance the message was posted on
                Boolean.TRUE.equals(m.getAckOnly()), "");
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("unreadable message in room " + name, e);
        }
    }
}
