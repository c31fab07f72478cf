package dev.agentchat.client.room;

import dev.agentchat.client.ApiClient;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.api.MessagesApi;
import dev.agentchat.client.api.SystemApi;
import dev.agentchat.client.model.NewMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A call that gets no answer says which call failed and why, so a server that is down is told from a wrong address. */
class UnansweredCallTest {

    private static String closed;

    @BeforeAll
    static void findAClosedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void aCallToAServerThatIsDownSaysWhichCallAndThatTheConnectionWasRefused() {
        MessagesApi messages = new MessagesApi(Rooms.connect(closed, "SECRET"));

        ApiException e = assertThrows(ApiException.class, () -> messages.sendMessage(new NewMessage().agent("planner").text("hi")));

        assertEquals(0, e.getCode());
        assertEquals("POST " + closed + "/messages failed: connection refused", e.getMessage());
    }

    @Test
    void aCallSentAsynchronouslyFailsWithTheSameWords() {
        HttpClient http = Rooms.connect(closed, "SECRET").getHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(closed + "/health?verbose=1")).build();

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS));

        assertInstanceOf(Unanswered.class, e.getCause());
        assertEquals("GET " + closed + "/health failed: connection refused", e.getCause().getMessage());
    }

    @Test
    void theCallIsNamedWithoutItsQuery() {
        ApiClient holder = Rooms.connectWithBearer(closed + "/", "a-token");

        ApiException e = assertThrows(ApiException.class, () -> new MessagesApi(holder).pollMessages(7L, null, null, "coder", null));

        assertEquals("GET " + closed + "/messages/poll failed: connection refused", e.getMessage());
    }

    @Test
    void aCallToANameThatDoesNotResolveSaysUnknownHost() {
        SystemApi system = new SystemApi(Rooms.connect("http://nowhere.invalid:8765", "SECRET"));

        ApiException e = assertThrows(ApiException.class, system::getHealth);

        assertEquals(0, e.getCode());
        assertEquals("GET http://nowhere.invalid:8765/health failed: unknown host nowhere.invalid", e.getMessage());
    }
}
