package dev.agentchat.client.room;

import dev.agentchat.client.ApiClient;

/**
 * The one line that points the generated client at a room: base URL plus the room password,
 * sent as {@code X-Room-Password} (security scheme {@code roomPassword}) on every request.
 */
public final class Rooms {

    public static final String PASSWORD_HEADER = "X-Room-Password";

    private Rooms() {
    }

    /** A generated {@link ApiClient} for the room at {@code baseUrl}, e.g. {@code http://localhost:8765}. */
    public static ApiClient connect(String baseUrl, String password) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        client.setRequestInterceptor(request -> request.setHeader(PASSWORD_HEADER, password));
        return client;
    }
}
