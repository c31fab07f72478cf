package dev.agentchat.hosting;

import dev.agentchat.auth.Caller;
import dev.agentchat.presence.AgentView;
import dev.agentchat.api.AgentsApi;
import dev.agentchat.api.MessagesApi;
import dev.agentchat.api.RoomApi;
import dev.agentchat.api.model.RoomInfo;
import dev.agentchat.api.model.RoomTopic;
import dev.agentchat.api.model.Agent;
import dev.agentchat.api.model.AgentList;
import dev.agentchat.api.model.MessageList;
import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.PollResult;
import dev.agentchat.api.model.ReadCursor;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import dev.agentchat.messages.MessageOperations;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.messages.Transcript;
import dev.agentchat.messages.UnreadMessages;
import dev.agentchat.sse.SseFrame;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.server.types.files.FileCustomizableResponseType;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@code messages}, {@code agents} and {@code room} operations of the API document, on any room: one
 * subclass serves the server's own room at the root, the other every named room under
 * {@code /rooms/{room}}. The room was opened by {@link RoomAccessFilter}, on the thread its
 * threading policy chose.
 */
public abstract class RoomController implements MessagesApi, AgentsApi, RoomApi {
    private final MessageOperations operations;
    private final UnreadMessages unread;
    private final JsonMapper json;

    protected RoomController(MessageOperations operations, UnreadMessages unread, JsonMapper json) {
        this.operations = operations;
        this.unread = unread;
        this.json = json;
    }

    @Override
    public Mono<SendResult> sendMessage(NewMessage newMessage) {
        return inRoom((hosted, caller) -> operations.send(hosted.room(), hosted.presence(), caller, newMessage));
    }

    /**
     * The original server read every POST body as JSON whatever its content type, so agents post with
     * {@code curl -d '{...}'}, which labels the JSON as a form. Such a body is read as JSON here;
     * other non-JSON content types are refused with 415.
     */
    @Post(value = "/messages", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public Mono<SendResult> sendFormLabelledJson(@Body byte[] body) {
        NewMessage newMessage;
        try {
            newMessage = json.readValue(body, NewMessage.class);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ApiError.INVALID_JSON.exception();
        }
        return sendMessage(newMessage);
    }

    @Override
    public Mono<MessageList> listMessages(@Nullable Long after, @Nullable Long before, @Nullable Integer limit,
                                          @Nullable String q, @Nullable String agent) {
        return inRoom(hosted -> operations.list(hosted.room(), after, before, limit, q, agent));
    }

    @Override
    public Mono<FileCustomizableResponseType> exportMessages(@Nullable String format) {
        Transcript.Format chosen = Transcript.Format.of(format);
        return inRoom(hosted -> Mono.just(new StreamedFile(
                new Transcript(hosted.room(), json, chosen, RoomName.title(hosted.name()), hosted.room().topic(),
                    Instant.now()),
                chosen.mediaType())
            .attach(chosen.fileName(hosted.name()))));
    }

    @Override
    public Mono<PollResult> pollMessages(@Nullable Long after, @Nullable BigDecimal wait, @Nullable String agent,
                                         @Nullable String forName) {
        return inRoom(hosted -> operations.poll(hosted.room(), hosted.presence(), after, wait, agent, forName));
    }

    @Override
    public Flux<SseFrame> streamMessages(@Nullable String lastEventID, @Nullable Long after, @Nullable String agent,
                                         @Nullable String forName, @Nullable String events) {
        return inRoom(hosted ->
            operations.stream(hosted.room(), hosted.presence(), lastEventID, after, agent, forName, events));
    }

    @Override
    public Mono<AgentList> listAgents() {
        return inRoom(hosted -> Mono.just(agentList(hosted.presence().everyone())));
    }

    @Override
    public Mono<ReadCursor> getReadCursor(String agent, @Nullable Boolean mentionsOnly) {
        String name = agentName(agent);
        return inRoom(hosted -> Mono.just(new ReadCursor(
            unread.cursor(hosted.room(), hosted.cursors(), name, Boolean.TRUE.equals(mentionsOnly)))));
    }

    @Override
    public Mono<ReadCursor> setReadCursor(String agent, ReadCursor readCursor, @Nullable Boolean mentionsOnly) {
        String name = agentName(agent);
        if (readCursor == null || readCursor.getAfter() == null) {
            throw ApiError.INVALID_FIELD.exception("Invalid field 'after': a message id from 0");
        }
        return inRoom(hosted -> {
            unread.markRead(hosted.cursors(), name, Boolean.TRUE.equals(mentionsOnly), readCursor.getAfter());
            return Mono.just(new ReadCursor(readCursor.getAfter()));
        });
    }

    @Override
    public Mono<RoomInfo> getRoom() {
        return inRoom(hosted -> Mono.just(roomInfo(hosted)));
    }

    @Override
    public Mono<RoomInfo> setRoomTopic(RoomTopic roomTopic) {
        if (roomTopic == null || roomTopic.getTopic() == null) {
            throw ApiError.INVALID_FIELD.exception("Invalid field 'topic': a text of at most " + RoomTopics.MAX_LENGTH
                + " characters, empty to clear the topic");
        }
        String topic = RoomTopics.check(roomTopic.getTopic());
        return inRoom((hosted, caller) -> {
            if (!caller.isHost()) {
                throw ApiError.HOST_ONLY.exception();
            }
            hosted.room().topic(topic);
            return Mono.just(roomInfo(hosted));
        });
    }

    private static RoomInfo roomInfo(HostedRoom hosted) {
        RoomInfo info = new RoomInfo(hosted.name());
        info.setTopic(hosted.room().topic());
        return info;
    }

    private static String agentName(String agent) {
        if (!NewMessageValidator.isValidName(agent)) {
            throw ApiError.INVALID_AGENT.exception();
        }
        return agent;
    }

    private static <T> T inRoom(Function<HostedRoom, T> operation) {
        return inRoom((hosted, caller) -> operation.apply(hosted));
    }

    private static <T> T inRoom(BiFunction<HostedRoom, Caller, T> operation) {
        HttpRequest<?> request = ServerRequestContext.currentRequest()
            .orElseThrow(() -> new IllegalStateException("no current request"));
        return operation.apply(RoomAccessFilter.room(request), Caller.of(request));
    }

    private static AgentList agentList(List<AgentView> agents) {
        return new AgentList(agents.stream().map(RoomController::toApi).toList());
    }

    private static Agent toApi(AgentView view) {
        Agent agent = new Agent(view.name(), view.online(), view.connections());
        agent.setLastSeen(view.lastSeen().atOffset(ZoneOffset.UTC));
        return agent;
    }
}
