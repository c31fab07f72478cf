package dev.agentchat.client.room;

import dev.agentchat.client.ApiClient;
import dev.agentchat.client.ApiException;
import dev.agentchat.client.api.AgentsApi;
import dev.agentchat.client.api.GuideApi;
import dev.agentchat.client.api.MessagesApi;
import dev.agentchat.client.api.SystemApi;
import dev.agentchat.client.model.JoinRequest;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.NewMessage;
import dev.agentchat.client.model.PollResult;
import dev.agentchat.client.testkit.LiveRoom;
import dev.agentchat.client.testkit.LiveServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated Java client and RoomStream against a live embedded server, over real HTTP. */
class JavaClientTest {

    private static LiveRoom room;
    private static ApiClient client;
    private static MessagesApi messages;

    @BeforeAll
    static void startRoom() {
        room = LiveRoom.start();
        client = Rooms.connect(room.url(), room.password());
        messages = new MessagesApi(client);
    }

    @AfterAll
    static void stopRoom() {
        room.close();
    }

    @Test
    void healthNeedsNoPassword() throws ApiException {
        assertEquals("ok", new SystemApi(Rooms.connect(room.url(), "not the password")).getHealth().getStatus());
    }

    @Test
    void theRoomsGuideIsReadAsTextWithoutPassword() throws ApiException {
        String guide = new GuideApi(Rooms.connect(room.url(), "not the password")).getRoomGuide();
        assertTrue(guide.startsWith("---\n") && guide.contains(room.url() + "/mcp"), guide);
    }

    @Test
    void aMessageSentAgainWithItsIdempotencyKeyIsTheFirstOne() throws ApiException {
        NewMessage message = new NewMessage().agent("careful").text("sent once").idempotencyKey(java.util.UUID.randomUUID().toString());
        long first = messages.sendMessage(message).getMessage().getId();
        assertEquals(first, messages.sendMessage(message).getMessage().getId());
        assertEquals(1, messages.listMessages(null, null, null, "sent once", "careful").getMessages().size());
    }

    @Test
    void sentMessageIsListedWithItsIdAndMentions() throws ApiException {
        Message sent = send("planner", "hello @coder").getMessage();

        List<Message> listed = messages.listMessages(sent.getId() - 1, null, null, null, null).getMessages();

        assertEquals(1, listed.size());
        assertEquals(sent.getId(), listed.get(0).getId());
        assertEquals("planner", listed.get(0).getAgent());
        assertEquals("hello @coder", listed.get(0).getText());
        assertEquals(List.of("coder"), listed.get(0).getMentions());
        assertEquals(sent.getTimestamp(), listed.get(0).getTimestamp());
    }

    @Test
    void longPollWithWaitWakesWhenAMessageIsPosted() throws Exception {
        long newest = messages.pollMessages(0L, null, null, null, null).getNext();
        CompletableFuture<PollResult> poll = CompletableFuture.supplyAsync(() -> pollWaiting(newest));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());

        long started = System.nanoTime();
        Message sent = send("waker", "wake up").getMessage();
        PollResult result = poll.get(5, TimeUnit.SECONDS);

        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "the poll woke on the post");
        assertEquals(List.of(sent.getId()), result.getMessages().stream().map(Message::getId).toList());
        assertEquals(sent.getId(), result.getNext());
    }

    @Test
    void roomStreamDeliversLiveMessagesInOrder() throws ApiException {
        List<Message> received = new CopyOnWriteArrayList<>();
        try (RoomStream stream = RoomStream.builder(client).agent("java-follower").onMessage(received::add).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> isOnline("java-follower"));
            Message first = send("a", "one").getMessage();
            Message second = send("b", "two").getMessage();

            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 2);
            assertEquals(List.of(first.getId(), second.getId()), ids(received));
            assertEquals(RoomStream.Transport.STREAM, stream.transport());
        }
    }

    @Test
    void roomStreamResumesWithLastEventIdAfterTheConnectionIsCut() throws ApiException {
        List<Message> received = new CopyOnWriteArrayList<>();
        Message before = send("a", "before the follower").getMessage();
        ApiClient throughProxy = Rooms.connect(room.proxyUrl(), room.password());
        int streamsBefore = room.proxy().streamsOpened();
        try (RoomStream stream = RoomStream.builder(throughProxy).after(before.getId()).onMessage(received::add)
                 .backoff(Duration.ofMillis(50), Duration.ofMillis(200)).start()) {
            Message first = send("a", "first").getMessage();
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);

            room.proxy().down();
            Message missedOne = send("a", "sent while cut off").getMessage();
            Message missedTwo = send("a", "also sent while cut off").getMessage();
            room.proxy().up();

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
            assertEquals(List.of(first.getId(), missedOne.getId(), missedTwo.getId()), ids(received));
            assertTrue(room.proxy().streamsOpened() >= streamsBefore + 2, "it reconnected");
            assertEquals(RoomStream.Transport.STREAM, stream.transport());
        }
    }

    @Test
    void roomStreamFallsBackToLongPollWhenTheStreamIsNotAvailable() throws ApiException {
        LiveRoom blocked = LiveRoom.start();
        try (blocked) {
            blocked.proxy().hideStream();
            ApiClient throughProxy = Rooms.connect(blocked.proxyUrl(), blocked.password());
            MessagesApi direct = new MessagesApi(Rooms.connect(blocked.url(), blocked.password()));
            direct.sendMessage(new NewMessage().agent("a").text("history"));
            List<Message> received = new CopyOnWriteArrayList<>();
            try (RoomStream stream = RoomStream.builder(throughProxy).onMessage(received::add)
                     .pollWait(Duration.ofSeconds(5)).start()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> stream.transport() == RoomStream.Transport.LONG_POLL);
                await().atMost(Duration.ofSeconds(5)).until(() -> stream.lastId() == 1);
                Message live = direct.sendMessage(new NewMessage().agent("a").text("live")).getMessage();

                await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 1);
                assertEquals(List.of(live.getId()), ids(received), "history skipped, live message delivered once");
            }
        }
    }

    @Test
    void wrongPasswordIsA401ApiException() {
        MessagesApi wrong = new MessagesApi(Rooms.connect(room.url(), "wrong"));

        ApiException error = assertThrows(ApiException.class, () -> wrong.sendMessage(new NewMessage().text("hi")));

        assertEquals(401, error.getCode());
        assertTrue(error.getResponseBody().contains("\"code\":\"invalid_password\""), error.getResponseBody());
    }

    @Test
    void roomStreamHandsAWrongPasswordToOnErrorAndStopsSayingWhy() {
        // started live (its first request a list) and from a cursor (its first request the stream)
        for (boolean fromCursor : new boolean[] {false, true}) {
            AtomicReference<ApiException> failure = new AtomicReference<>();
            RoomStream.Builder builder = RoomStream.builder(Rooms.connect(room.url(), "wrong")).onError(failure::set);
            try (RoomStream stream = (fromCursor ? builder.after(0) : builder).start()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> failure.get() != null && !stream.isRunning());
                assertEquals(401, failure.get().getCode());
                assertTrue(String.valueOf(failure.get().getResponseBody()).contains("\"code\":\"invalid_password\""),
                    "the answer's reason, from a cursor " + fromCursor + ": " + failure.get().getResponseBody());
            }
        }
    }

    @Test
    void aClientWithANamesTokenPostsAndFollowsAsItsHolder() throws Exception {
        String token = new AgentsApi(client).claimName(new JoinRequest().agent("java-holder")).getToken();
        ApiClient holder = Rooms.connectWithBearer(room.url(), token);
        Message own = new MessagesApi(holder).sendMessage(new NewMessage().text("as my name's holder")).getMessage();
        assertEquals("java-holder", own.getAgent());
        assertEquals(Boolean.TRUE, own.getVerified());

        List<Message> received = new CopyOnWriteArrayList<>();
        try (RoomStream stream = RoomStream.builder(holder).after(own.getId()).onMessage(received::add).start()) {
            AgentsApi agents = new AgentsApi(client);
            await().atMost(Duration.ofSeconds(5)).until(() -> agents.listAgents().getAgents().stream()
                .anyMatch(a -> a.getName().equals("java-holder") && Boolean.TRUE.equals(a.getOnline())));
            long id = send("java-poster", "for the holder").getMessage().getId();
            await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().anyMatch(m -> m.getId() == id));
            await().atMost(Duration.ofSeconds(5)).until(() -> agents.listAgents().getAgents().stream()
                .anyMatch(a -> a.getName().equals("java-holder") && a.getReadUpTo() != null && a.getReadUpTo() >= id));
        }
    }

    @Test
    void aHolderKickedWhileItFollowsStopsWithTheKickAndNoLossAndIsNoLongerRunningInOnError() throws Exception {
        String token = new AgentsApi(client).claimName(new JoinRequest().agent("java-kicked")).getToken();
        AtomicReference<ApiException> failure = new AtomicReference<>();
        AtomicBoolean runningInOnError = new AtomicBoolean(true);
        AtomicBoolean lost = new AtomicBoolean();
        RoomStream[] started = new RoomStream[1];
        try (RoomStream stream = RoomStream.builder(Rooms.connectWithBearer(room.url(), token)).after(0)
                 .onError(e -> {
                     runningInOnError.set(started[0].isRunning());
                     failure.set(e);
                 })
                 .listener(new RoomStream.Listener() {
                     @Override
                     public void lost(String why) {
                         lost.set(true);
                     }
                 })
                 .start()) {
            started[0] = stream;
            AgentsApi agents = new AgentsApi(client);
            await().atMost(Duration.ofSeconds(5)).until(() -> agents.listAgents().getAgents().stream()
                .anyMatch(a -> a.getName().equals("java-kicked") && Boolean.TRUE.equals(a.getOnline())));

            new AgentsApi(Rooms.connectWithBearer(room.url(), LiveServer.HOST_KEY)).kickAgent("java-kicked");

            await().atMost(Duration.ofSeconds(5)).until(() -> failure.get() != null);
            assertEquals(403, failure.get().getCode());
            assertTrue(failure.get().getResponseBody().contains("\"code\":\"kicked\""), failure.get().getResponseBody());
            assertTrue(failure.get().getResponseBody().contains("\"blocked_until\""), failure.get().getResponseBody());
            assertFalse(lost.get(), "the stream said why it ended: no loss reported first");
            assertFalse(runningInOnError.get(), "stopped before onError is told why");
        }
    }

    // fixtures

    private static dev.agentchat.client.model.SendResult send(String agent, String text) throws ApiException {
        return messages.sendMessage(new NewMessage().agent(agent).text(text));
    }

    private static PollResult pollWaiting(long after) {
        try {
            return messages.pollMessages(after, 30.0, null, null, null);
        } catch (ApiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isOnline(String agent) throws ApiException {
        return new AgentsApi(client).listAgents().getAgents().stream()
            .anyMatch(a -> agent.equals(a.getName()) && Boolean.TRUE.equals(a.getOnline()));
    }

    private static List<Long> ids(List<Message> messages) {
        return messages.stream().map(Message::getId).toList();
    }
}
