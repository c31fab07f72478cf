package dev.agentchat.agents;

import dev.agentchat.api.AgentsApi;
import dev.agentchat.api.model.Agent;
import dev.agentchat.api.model.AgentList;
import dev.agentchat.rooms.RoomStore;
import io.micronaut.http.annotation.Controller;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.ZoneOffset;
import java.util.List;

/** The {@code agents} operations of the API document, on the server's own room. */
@Controller
public class AgentsController implements AgentsApi {
    private final RoomStore rooms;

    public AgentsController(RoomStore rooms) {
        this.rooms = rooms;
    }

    @Override
    public Mono<AgentList> listAgents() {
        Mono<AgentList> agents = Mono.fromCallable(() -> list(rooms.agents(rooms.serverRoom())));
        return rooms.remote() ? agents.subscribeOn(Schedulers.boundedElastic()) : agents;
    }

    /** The agents of a room as the API shows them. */
    public static AgentList list(List<AgentView> agents) {
        return new AgentList(agents.stream().map(AgentsController::toApi).toList());
    }

    private static Agent toApi(AgentView view) {
        Agent agent = new Agent(view.name(), view.online(), view.connections());
        agent.setLastSeen(view.lastSeen().atOffset(ZoneOffset.UTC));
        return agent;
    }
}
