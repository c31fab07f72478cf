package dev.agentchat.stream;

import dev.agentchat.sse.SseFrame;
import dev.agentchat.presence.Presence;
import dev.agentchat.presence.PresenceChange;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.Room;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.transport.EventLoops;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The room as a Server-Sent Events stream: an opening comment, a {@code truncated} event when the
 * client asked for messages no longer retained, the replay, the live messages, and keepalives.
 */
@Singleton
public class EventStream {
    static final SseFrame CONNECTED = SseFrame.comment("connected");
    /** The kind of extra events that asks for the room's acknowledgements and claims. */
    public static final String COORDINATION = "coordination";
    static final SseFrame KEEPALIVE = SseFrame.comment("keepalive");
    /** The keepalive as an event, for clients that cannot see comments (a browser's EventSource). */
    static final SseFrame KEEPALIVE_EVENT = SseFrame.event(SseFrame.KEEPALIVE, "{}");

    private final RoomSettings settings;
    private final JsonMapper json;
    private final MessageFrames frames = new MessageFrames();
    private final Keepalives keepalives;

    public EventStream(RoomSettings settings, JsonMapper json, Keepalives keepalives) {
        this.json = json;
        this.settings = settings;
        this.keepalives = keepalives;
    }

    /**
     * @param room       the room to follow
     * @param presence   the room's presence
     * @param after      replay messages after this id; -1 for live messages only
     * @param agent      who is listening, for presence (may be null); throws {@code too_many_agents} when
     *                   the room cannot remember one more name
     * @param forName    only messages that concern this name (may be null)
     * @param extraKinds comma-separated extra event kinds: "presence", "topic" (the room's topic
     *                   when it changes), "keepalive" to receive each keepalive as an event instead of a
     *                   comment, "coordination" for {@code announcements}
     * @param seen       told the id of each message sent (the listener's read receipt)
     * @param announcements the room's acknowledgements and claims, as frames
     */
    public Flux<SseFrame> stream(Room room, Presence presence, long after, @Nullable String agent, @Nullable String forName,
                                 @Nullable String extraKinds, LongConsumer seen, Flux<SseFrame> announcements) {
        // admitted here, not when the stream starts: a refusal (too_many_agents) is then thrown to the
        // controller and answered with its status, where an error of the started stream would be a 500
        Presence.Listener listener = presence.connected(agent);
        return Flux.defer(() -> {
            List<SseFrame> opening = new ArrayList<>();
            opening.add(CONNECTED);
            long last = room.lastId();
            long from = after < 0 ? last : after > last ? 0 : after;
            long oldest = room.oldestId();
            if (after >= 0 && from < oldest - 1) {
                opening.add(SseFrame.event(SseFrame.TRUNCATED,
                    "{\"requested\":" + from + ",\"oldest\":" + oldest + "}"));
            }
            Sinks.Empty<Void> ended = Sinks.empty();
            Flux<ChatMessage> messages = onThisConnectionsThread(room.follow(from, settings.streamBuffer()));
            if (forName != null) {
                messages = messages.filter(m -> m.concerns(forName));
            }
            Flux<SseFrame> messageFrames = messages
                .map(m -> {
                    seen.accept(m.id());
                    return frames.of(m);
                })
                .doOnTerminate(ended::tryEmitEmpty)
                .doOnCancel(ended::tryEmitEmpty);
            SseFrame keepalive = wants(extraKinds, SseFrame.KEEPALIVE) ? KEEPALIVE_EVENT : KEEPALIVE;
            Flux<SseFrame> keepalives = this.keepalives.ticks()
                .map(tick -> keepalive)
                .takeUntilOther(ended.asMono());
            // prefetch 1: the subscriber's buffer in the room is the only place messages queue up,
            // so a client that stops reading is cut off after stream-buffer messages, not hundreds more
            Flux<SseFrame> live = Flux.merge(1, messageFrames, keepalives);
            if (wants(extraKinds, SseFrame.PRESENCE)) {
                live = Flux.merge(1, live, presence.changes()
                    .map(change -> SseFrame.event(SseFrame.PRESENCE, json(change)))
                    .takeUntilOther(ended.asMono()));
            }
            if (wants(extraKinds, SseFrame.TOPIC)) {
                live = Flux.merge(1, live, room.topics()
                    .map(topic -> SseFrame.event(SseFrame.TOPIC, topicJson(topic)))
                    .takeUntilOther(ended.asMono()));
            }
            if (wants(extraKinds, COORDINATION)) {
                live = Flux.merge(1, live, announcements.takeUntilOther(ended.asMono()));
            }
            return Flux.concat(Flux.fromIterable(opening), live);
        }).doFinally(signal -> listener.close());
    }

    /**
     * The room's delivering thread only hands each message over; turning it into a frame and writing
     * it runs on the connection's own event loop (when the stream starts on one), so a fan-out uses
     * every core instead of the one thread that delivers. Prefetch 1 keeps the room's buffer the
     * place where messages queue up, and an error (a cut-off) does not wait behind the one in hand.
     */
    private Flux<ChatMessage> onThisConnectionsThread(Flux<ChatMessage> messages) {
        Scheduler loop = EventLoops.current();
        return loop == null ? messages : messages.publishOn(loop, false, 1);
    }

    private static boolean wants(@Nullable String kinds, String kind) {
        return kinds != null && Arrays.stream(kinds.split(",")).map(String::trim).anyMatch(kind::equals);
    }

    /** A topic event's data: {@code {"topic":"..."}}, or {@code {"topic":null}} when it was cleared. */
    private String topicJson(String topic) {
        try {
            return "{\"topic\":" + (topic.isEmpty() ? "null" : json.writeValueAsString(topic)) + "}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A presence event's data, on one line. */
    private String json(PresenceChange change) {
        try {
            return json.writeValueAsString(change);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
