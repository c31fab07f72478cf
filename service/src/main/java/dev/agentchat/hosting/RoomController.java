package dev.agentchat.hosting;

import dev.agentchat.auth.Caller;
import dev.agentchat.presence.AgentView;
import dev.agentchat.api.AgentsApi;
import dev.agentchat.api.MessagesApi;
import dev.agentchat.api.ClaimsApi;
import dev.agentchat.api.model.AckRequest;
import dev.agentchat.api.model.AckResult;
import dev.agentchat.api.model.Claim;
import dev.agentchat.api.model.ClaimList;
import dev.agentchat.api.model.ClaimRequest;
import dev.agentchat.coordination.CoordinationOperations;
import dev.agentchat.messages.ReadCursors;
import dev.agentchat.api.RoomApi;
import dev.agentchat.api.model.RoomInfo;
import dev.agentchat.api.model.AgentKind;
import dev.agentchat.api.model.Brake;
import dev.agentchat.api.model.BrakeRelease;
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
import dev.agentchat.messages.UnreadMessages;
import dev.agentchat.sse.SseFrame;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.math.BigDecimal;
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
public abstract class RoomController implements MessagesApi, AgentsApi, RoomApi, ClaimsApi {
    private final MessageOperations operations;
    private final UnreadMessages unread;
    private final CoordinationOperations coordination;
    private final JsonMapper json;

    protected RoomController(MessageOperations operations, UnreadMessages unread, CoordinationOperations coordination,
                             JsonMapper json) {
        this.operations = operations;
        this.unread = unread;
        this.coordination = coordination;
        this.json = json;
    }

    @Override
    public Mono<SendResult> sendMessage(NewMessage newMessage) {
        return inRoom((hosted, caller) -> operations.send(hosted.room(), hosted.presence(), caller, newMessage,
            draft -> coordination.admit(hosted.coordination(), draft)));
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
    public Mono<MessageList> listMessages(@Nullable Long after, @Nullable Integer limit) {
        return inRoom(hosted -> operations.list(hosted.room(), after, limit)
            .map(list -> list.messages(coordination.withAcks(hosted.coordination(), list.getMessages()))));
    }

    @Override
    public Mono<PollResult> pollMessages(@Nullable Long after, @Nullable BigDecimal wait, @Nullable String agent,
                                         @Nullable String forName) {
        return inRoom(hosted -> operations.poll(hosted.room(), hosted.presence(), hosted.cursors(), after, wait, agent, forName)
            .map(result -> result.messages(coordination.withAcks(hosted.coordination(), result.getMessages()))));
    }

    @Override
    public Flux<SseFrame> streamMessages(@Nullable String lastEventID, @Nullable Long after, @Nullable String agent,
                                         @Nullable String forName, @Nullable String events) {
        return inRoom(hosted ->
            operations.stream(hosted.room(), hosted.presence(), hosted.cursors(), lastEventID, after, agent, forName, events,
                hosted.coordination().events().map(e -> SseFrame.event(e.name(), e.json()))));
    }

    @Override
    public Mono<AckResult> ackMessage(Long id, AckRequest ackRequest) {
        return inRoom(hosted -> Mono.just(coordination.ack(hosted.room(), hosted.coordination(), id,
            ackRequest == null ? null : ackRequest.getAgent())));
    }

    @Override
    public Mono<Claim> takeClaim(ClaimRequest request) {
        if (request == null) {
            throw ApiError.INVALID_JSON.exception();
        }
        return inRoom(hosted -> Mono.just(coordination.take(hosted.coordination(), request.getAgent(), request.getResource(),
            request.getTtlSeconds(), request.getNote())));
    }

    @Override
    public Mono<ClaimList> listClaims() {
        return inRoom(hosted -> Mono.just(coordination.list(hosted.coordination())));
    }

    @Override
    public Mono<Claim> releaseClaim(String id, String agent) {
        return inRoom(hosted -> Mono.just(coordination.release(hosted.coordination(), id, agent)));
    }

    @Override
    public Mono<AgentList> listAgents() {
        return inRoom(hosted -> Mono.just(new AgentList(hosted.presence().everyone().stream()
            .map(view -> toApi(view, hosted.cursors())).toList())));
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
        return inRoom(hosted -> Mono.just(new RoomInfo(hosted.name()).brake(coordination.brake(hosted.coordination()))));
    }

    @Override
    public Mono<Brake> releaseBrake(@Nullable BrakeRelease release) {
        boolean human = release != null && release.getKind() == AgentKind.HUMAN;
        return inRoom((hosted, caller) -> Mono.just(coordination.releaseBrake(hosted.coordination(), caller, human)));
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

    /** An agent with its read receipt, and whether a poll or stream of its is open now ({@code waiting}). */
    private static Agent toApi(AgentView view, ReadCursors cursors) {
        Agent agent = new Agent(view.name(), view.online(), view.connections());
        agent.setLastSeen(view.lastSeen().atOffset(ZoneOffset.UTC));
        cursors.readUpTo(view.name()).ifPresent(agent::setReadUpTo);
        agent.setWaiting(view.connections() > 0);
        return agent;
    }
}
