package dev.agentchat.redis;

import dev.agentchat.api.model.Health;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * With Redis configured, {@code /health} reports 503 {@code {"status":"unavailable"}} while Redis
 * is unreachable, so a load balancer sends clients to an instance that can serve them. Bound to the
 * route ({@link HealthRoute}), other routes skip it without matching their path.
 */
@HealthRoute
@ServerFilter("/health")
@Requires(property = RedisConnections.URL_PROPERTY)
public class RedisHealthFilter {
    private static final Health UNAVAILABLE = new Health("unavailable");

    private final RedisConnections redis;

    public RedisHealthFilter(RedisConnections redis) {
        this.redis = redis;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<Health> check() {
        return redis.healthy() ? null : HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(UNAVAILABLE);
    }
}
