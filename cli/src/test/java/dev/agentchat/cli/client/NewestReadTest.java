package dev.agentchat.cli.client;

import dev.agentchat.client.model.Message;
import dev.agentchat.client.testkit.LiveServer;
import dev.agentchat.room.AnswerBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A read of the newest few unread messages ({@code read --last N}, {@code read_messages} with
 * {@code last}) against a live room where others post while it reads: the agent's read receipt and its
 * cursor stop at the last message it was shown, and what was posted meanwhile stays unread.
 */
class NewestReadTest {
    private static final String PASSWORD = "pw";
    private static final int HISTORY = 30;

    @TempDir
    Path state;
    LiveServer server;
    RoomClient poster;
    CursorStore cursors;

    @BeforeEach
    void start() {
        server = LiveServer.start(PASSWORD);
        poster = new RoomClient(RoomAddress.parse(server.url()), PASSWORD);
        for (int i = 1; i <= HISTORY; i++) {
            poster.send("alice", "old " + i, null, null);
        }
        cursors = new CursorStore(state.resolve("cursors"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readLastStopsTheReceiptAndTheCursorAtTheLastMessagePrintedThoughMoreWerePostedDuringTheRead() {
        List<Message> printed = new ArrayList<>();

        new Inbox(postingWhileItReads(), cursors, "coder", false).read(false, 2, printed::addAll);

        assertEquals(List.of("old 29", "old 30"), texts(printed));
        assertEquals(HISTORY, readUpTo("coder"), "the receipt reaches the last message printed, no further");
        assertEquals(List.of("posted during the read"), texts(nextRead()));
    }

    @Test
    void readMessagesWithLastStopsTheReceiptAndTheCursorAtTheLastMessageReturnedThoughMoreWerePostedDuringTheRead() {
        Inbox.Answer answer = new Inbox(postingWhileItReads(), cursors, "coder", false)
            .read(2, AnswerBudget.standard(), message -> message.getText().length(), notice -> { });

        assertEquals(List.of("old 29", "old 30"), texts(answer.messages()));
        assertEquals(HISTORY, readUpTo("coder"), "the receipt reaches the last message returned, no further");
        assertEquals(List.of("posted during the read"), texts(nextRead()));
    }

    /** A reader as coder whose reading of the newest messages is followed, before the read ends, by bob's post. */
    private RoomClient postingWhileItReads() {
        return new RoomClient(RoomAddress.parse(server.url()), PASSWORD) {
            @Override
            public Newest newest(long after, int count, Predicate<Message> wanted) {
                Newest found = super.newest(after, count, wanted);
                poster.send("bob", "posted during the read", null, null);
                return found;
            }
        };
    }

    /** What coder's next read prints. */
    private List<Message> nextRead() {
        List<Message> next = new ArrayList<>();
        new Inbox(new RoomClient(RoomAddress.parse(server.url()), PASSWORD), cursors, "coder", false)
            .read(false, null, next::addAll);
        return next;
    }

    private long readUpTo(String agent) {
        return poster.agents().stream().filter(a -> a.getName().equals(agent)).findFirst().orElseThrow().getReadUpTo();
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(Message::getText).toList();
    }
}
