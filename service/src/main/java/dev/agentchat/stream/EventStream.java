package dev.agentchat.stream;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ErrorBody;
import dev.agentchat.sse.SseFrame;
import dev.agentchat.presence.Presence;
import dev.agentchat.room.ChatMessage;
import dev.agentchat.room.HistoryBudget;
import dev.agentchat.room.Room;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.room.Subscriber;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * The room as a Server-Sent Events stream: an opening comment, a {@code truncated} event when the
 * client asked for messages no longer retained, the replay, the live messages, and keepalives.
 */
@Singleton
public class EventStream {
    static final SseFrame CONNECTED = SseFrame.comment("connected");
    /** The kind of extra events that asks for the room's acknowledgements and claims. */
    public static final String COORDINATION = "coordination";
    /** The kind, and the event, of what the host did to a name (kicked, muted, unmuted). */
    public static final String MODERATION = "moderation";
    /**
     * The kind, and the event, that says why a stream ends for good (its room ended, its listener was
     * kicked): data the error the next request would be answered with.
     */
    static final String END = "end";
    /** The extra kinds a stream may ask for ({@code events}). */
    static final List<String> EXTRA_KINDS = List.of(SseFrame.PRESENCE, SseFrame.TOPIC, SseFrame.KEEPALIVE, COORDINATION,
        MODERATION, END);
    static final SseFrame KEEPALIVE = SseFrame.comment("keepalive");
    /** The keepalive as an event, for clients that cannot see comments (a browser's EventSource). */
    static final SseFrame KEEPALIVE_EVENT = SseFrame.event(SseFrame.KEEPALIVE, "{}");

    private final RoomSettings settings;
    private final JsonMapper json;
    private final MessageFrames frames = new MessageFrames();
    private final Keepalives keepalives;
    private final Subscriber.Limit buffer;

    public EventStream(RoomSettings settings, HistoryBudget budget, JsonMapper json, Keepalives keepalives) {
        this.json = json;
        this.settings = settings;
        this.keepalives = keepalives;
        // a reader may fall as far behind as its room's history may reach, in bytes as in messages: beyond
        // that, what it missed is dropped from the history anyway, and readers that stop reading cannot
        // hold more than the rooms may
        this.buffer = new Subscriber.Limit(settings.streamBuffer(), budget.perRoom());
    }

    /**
     * @param room       the room to follow
     * @param presence   the room's presence
     * @param after      replay messages after this id; -1 for live messages only
     * @param agent      who is listening, for presence (may be null); throws {@code too_many_agents} when
     *                   the room cannot remember one more name
     * @param holder     whether {@code agent} is the name's verified holder (never refused so)
     * @param forName    only messages that concern this name (may be null)
     * @param extraKinds comma-separated extra event kinds: "presence", "topic" (the room's topic
     *                   when it changes), "keepalive" to receive each keepalive as an event instead of a
     *                   comment, "coordination" and "moderation" for those of {@code roomEvents}, "end"
     *                   for the reason a stream ends for good
     * @param seen       told the id of each message sent (the listener's read receipt)
     * @param roomEvents the room's coordination and moderation events, as frames
     * @param replayed   the replayed messages as they are now, with the acknowledgements made since they were posted
     */
    public Flux<SseFrame> stream(Room room, Presence presence, long after, @Nullable String agent, boolean holder,
                                 @Nullable String forName,
                                 @Nullable String extraKinds, LongConsumer seen, RoomEvents roomEvents,
                                 UnaryOperator<List<ChatMessage>> replayed) {
        // checked and admitted here, not when the stream starts: a refusal (an unknown kind, too_many_agents)
        // is then thrown to the controller and answered with its status, where an error of the started stream would be a 500
        Set<String> kinds = kinds(extraKinds);
        Presence.Listener listener = presence.connected(agent, holder);
        List<Flux<SseFrame>> extras = new ArrayList<>();
        if (kinds.contains(SseFrame.PRESENCE)) {
            extras.add(presence.changes().map(change -> SseFrame.event(SseFrame.PRESENCE, json(change))));
        }
        if (kinds.contains(SseFrame.TOPIC)) {
            extras.add(room.topics().map(topic -> SseFrame.event(SseFrame.TOPIC, topicJson(topic))));
        }
        if (kinds.contains(COORDINATION)) {
            extras.add(roomEvents.coordination());
        }
        if (kinds.contains(MODERATION)) {
            extras.add(roomEvents.moderation());
        }
        SseFrame keepalive = kinds.contains(SseFrame.KEEPALIVE) ? KEEPALIVE_EVENT : KEEPALIVE;
        FrameFeed.Endings endings = new FrameFeed.Endings(
            kinds.contains(END) ? reason -> SseFrame.event(END, json(ErrorBody.of(reason))) : null, roomEvents.removal(),
            roomEvents.handedOver());
        FrameFeed.Plan plan = new FrameFeed.Plan(frames, forName, seen, keepalive,
            extras.isEmpty() ? null : Flux.merge(extras), keepalives, listener, replayed, endings);
        return Flux.from(new FrameFeed(room, after, buffer, plan));
    }

    /** The extra kinds asked for ({@code events}, comma-separated); one the server does not send is refused. */
    private static Set<String> kinds(@Nullable String asked) {
        if (asked == null) {
            return Set.of();
        }
        Set<String> kinds = new HashSet<>();
        for (String kind : asked.split(",")) {
            String trimmed = kind.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!EXTRA_KINDS.contains(trimmed)) {
                throw ApiError.INVALID_PARAMETER.exception("'events' asks for '" + trimmed
                    + "', which this server does not send: it sends " + String.join(", ", EXTRA_KINDS));
            }
            kinds.add(trimmed);
        }
        return kinds;
    }

    /** A topic event's data: {@code {"topic":"..."}}, or {@code {"topic":null}} when it was cleared. */
    private String topicJson(String topic) {
        try {
            return "{\"topic\":" + (topic.isEmpty() ? "null" : json.writeValueAsString(topic)) + "}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event's data, on one line. */
    private String json(Object change) {
        try {
            return json.writeValueAsString(change);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
