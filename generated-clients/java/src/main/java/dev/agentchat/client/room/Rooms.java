package dev.agentchat.client.room;

import dev.agentchat.client.ApiClient;

import java.nio.charset.StandardCharsets;

/**
 * The one line that points the generated client at a room: base URL plus the room password,
 * sent as {@code X-Room-Password} (security scheme {@code roomPassword}) on every request. A call
 * that gets no answer is an {@code ApiException} with status 0 saying which call and why
 * ({@code POST http://localhost:8765/messages failed: connection refused}).
 */
public final class Rooms {

    public static final String PASSWORD_HEADER = "X-Room-Password";

    private Rooms() {
    }

    /** A generated {@link ApiClient} for the room at {@code baseUrl}, e.g. {@code http://localhost:8765}. */
    public static ApiClient connect(String baseUrl, String password) {
        String header = passwordHeader(password);
        return at(baseUrl, PASSWORD_HEADER, header);
    }

    /**
     * A generated {@link ApiClient} for the room at {@code baseUrl} that sends {@code bearer} as
     * {@code Authorization: Bearer}: a name's token ({@code AgentsApi.claimName}), which posts and
     * follows as that name's holder, or the host key (at the server's URL: {@code RoomsApi}, which creates,
     * lists and ends rooms; at a room's: {@code RoomApi.endRoom}, the agents' kick and mute).
     */
    public static ApiClient connectWithBearer(String baseUrl, String bearer) {
        return at(baseUrl, "Authorization", "Bearer " + bearer);
    }

    /**
     * A client for {@code baseUrl} (a trailing slash left out) sending one credential header on every request;
     * a call that gets no answer says which and why ({@link Unanswered}).
     */
    private static ApiClient at(String baseUrl, String header, String value) {
        ApiClient client = new ApiClient();
        client.setHttpClientBuilder(ReportingHttpClient.reportingBuilder());
        client.updateBaseUri(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        client.setRequestInterceptor(request -> request.setHeader(header, value));
        return client;
    }

    /**
     * The password as {@code X-Room-Password} carries it. Java's HTTP client writes headers as ASCII
     * (any other char becomes {@code ?}), so a password beyond ASCII goes as RFC 8187 writes it,
     * {@code UTF-8''} and its UTF-8 bytes percent-encoded, which the server reads back.
     */
    public static String passwordHeader(String password) {
        if (password.chars().allMatch(c -> c >= 0x20 && c < 0x7F) && !password.regionMatches(true, 0, "UTF-8''", 0, 7)) {
            return password;
        }
        StringBuilder encoded = new StringBuilder("UTF-8''");
        for (byte b : password.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return encoded.toString();
    }
}
