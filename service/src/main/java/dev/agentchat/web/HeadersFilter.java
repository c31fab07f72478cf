package dev.agentchat.web;

import dev.agentchat.auth.RoomPassword;
import dev.agentchat.transport.HttpDate;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;


/**
 * Headers every answer carries: CORS as the original protocol had it (any origin, auth by header),
 * a preflight answer, the headers that stop proxies from buffering the stream, the security
 * headers of the web UI, and {@code Date}. The framework's own {@code Date} is switched off
 * ({@code micronaut.server.date-header}): it formats the time afresh for every answer, where one
 * text serves every answer within the same second ({@link HttpDate}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class HeadersFilter implements Ordered {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors 'none'";
    /** Preflight requests are answered here, before routing, for every path. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> preflight(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.OPTIONS) {
            return null;
        }
        // answered here, it skips the response filter below
        return HttpResponse.ok()
            .header(HttpHeaders.DATE, HttpDate.now())
            .header("Access-Control-Allow-Origin", "*")
            .header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
            .header("Access-Control-Allow-Headers", "Content-Type, Content-Encoding, " + RoomPassword.HEADER
                + ", X-Observer-Password, Last-Event-ID, X-Agent-Name, Authorization, Mcp-Session-Id, Mcp-Protocol-Version")
            .header("Access-Control-Max-Age", "600");
    }

    @ResponseFilter
    public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header(HttpHeaders.DATE, HttpDate.now());
        response.header("Access-Control-Allow-Origin", "*");
        response.header("Access-Control-Expose-Headers", "Mcp-Session-Id");
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        String path = request.getPath();
        if (path.endsWith("/stream")) {
            response.header("Cache-Control", "no-cache, no-transform");
            response.header("X-Accel-Buffering", "no");
        } else if (path.startsWith("/swagger-ui") || path.equals("/openapi.yaml")) {
            // Swagger UI runs scripts of its own: only kept out of other sites' frames (clickjacking)
            response.header("Content-Security-Policy", "frame-ancestors 'none'");
            response.header("X-Frame-Options", "DENY");
        } else {
            response.header("Content-Security-Policy", CSP);
        }
        if (path.equals("/") || path.endsWith(".html")) {
            response.header("Cache-Control", "no-store");
        }
    }

    @Override
    public int getOrder() {
        return -10;
    }
}
