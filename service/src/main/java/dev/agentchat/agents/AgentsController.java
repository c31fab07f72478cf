package dev.agentchat.agents;

import dev.agentchat.api.AgentsApi;
import dev.agentchat.api.model.Agent;
import dev.agentchat.api.model.AgentList;
import io.micronaut.http.annotation.Controller;
import reactor.core.publisher.Mono;

import java.time.ZoneOffset;
import java.util.List;

/** The {@code agents} operations of the API document. */
@Controller
public class AgentsController implements AgentsApi {
    private final Presence presence;

    public AgentsController(Presence presence) {
        this.presence = presence;
    }

    @Override
    public Mono<AgentList> listAgents() {
        return Mono.just(list(presence.list()));
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
