package dev.agentchat.memory;

import dev.agentchat.error.ApiException;
import dev.agentchat.error.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Refuses every request but {@code /health} with {@code 503 low_memory} while the {@link HeapGuard}
 * finds the heap nearly full: the requests already in progress and the open streams go on.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class LowMemoryFilter implements Ordered {
    private static final String HEALTH = "/health";

    private final HeapGuard guard;

    public LowMemoryFilter(HeapGuard guard) {
        this.guard = guard;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> refuseWhenLow(HttpRequest<?> request) {
        if (!guard.low() || request.getMethod() == HttpMethod.OPTIONS || request.getPath().equals(HEALTH)) {
            return null;
        }
        try {
            guard.refuseIfLow();
            return null;
        } catch (ApiException e) {
            return ErrorBody.response(e);
        }
    }

    @Override
    public int getOrder() {
        // before the room is opened: a refused request costs no password check
        return -100;
    }
}
