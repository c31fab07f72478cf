package dev.agentchat.system;

import dev.agentchat.api.SystemApi;
import dev.agentchat.api.model.Health;
import dev.agentchat.redis.HealthRoute;
import io.micronaut.http.annotation.Controller;
import reactor.core.publisher.Mono;

/** The {@code system} operations of the API document. */
@Controller
public class HealthController implements SystemApi {
    private static final Health OK = new Health("ok");

    @Override
    @HealthRoute
    public Mono<Health> getHealth() {
        return Mono.just(OK);
    }
}
