package dev.agentchat.cli.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cursors and names' tokens are keyed by the room's URL with its host and room name in lower case, and files saved before that still count. */
class StateKeysTest {
    private static final RoomAddress LOWER = RoomAddress.parse("http://localhost:8765");
    private static final RoomAddress UPPER = RoomAddress.parse("http://LocalHost:8765");

    @TempDir
    Path state;

    @Test
    void aHostWrittenInOtherLetterCaseHasTheSameCursorAndToken() {
        CursorStore cursors = new CursorStore(state.resolve("cursors"));
        cursors.save(CursorKey.of(UPPER, "bob", false), Checkpoint.at(7));
        cursors.tokens().save(UPPER, "bob", "token-1", "pw");

        assertEquals(Optional.of(7L), cursors.load(CursorKey.of(LOWER, "bob", false)).map(Checkpoint::after));
        Optional<NameTokens.Saved> token = cursors.tokens().load(LOWER, "bob", "pw");
        assertEquals(Optional.of("token-1"), token.map(NameTokens.Saved::token));
        assertTrue(token.get().exact(), "one file for both spellings");
    }

    @Test
    void aNamedRoomWrittenInOtherLetterCaseHasTheSameCursorAndToken() {
        CursorStore cursors = new CursorStore(state.resolve("cursors"));
        RoomAddress upper = RoomAddress.parse("http://localhost:8765/rooms/Design-Review");
        RoomAddress lower = RoomAddress.parse("http://localhost:8765/rooms/design-review");
        cursors.save(CursorKey.of(upper, "bob", false), Checkpoint.at(9));
        cursors.tokens().save(upper, "bob", "token-2", "pw");

        assertEquals(Optional.of(9L), cursors.load(CursorKey.of(lower, "bob", false)).map(Checkpoint::after));
        assertEquals(Optional.of("token-2"), cursors.tokens().load(lower, "bob", "pw").map(NameTokens.Saved::token));
        assertEquals("http://localhost:8765/Proxy/rooms/design-review",
            RoomAddress.parse("http://localhost:8765/Proxy/rooms/Design-Review").key(), "only the room's name changes case");
    }

    @Test
    void aCursorSavedUnderTheHostAsWrittenBeforeKeysWereInLowerCaseIsStillRead() throws Exception {
        CursorStore cursors = new CursorStore(state.resolve("cursors"));
        CursorKey key = CursorKey.of(UPPER, "bob", false);
        cursors.save(key, Checkpoint.at(7));
        // where the CLI saved it before: the host as written, in the readable part and the hash
        Path before = new StateFiles(cursors.directory(), "read cursor")
            .file("LocalHost-8765-bob-all", "http://LocalHost:8765\nbob\nall");
        assertNotEquals(before, cursors.file(key));
        Files.move(cursors.file(key), before);

        assertEquals(Optional.of(7L), cursors.load(key).map(Checkpoint::after));
    }

    @Test
    void aTokenSavedUnderTheHostAsWrittenBeforeKeysWereInLowerCaseIsFoundUnderEitherSpelling() throws Exception {
        NameTokens tokens = new CursorStore(state.resolve("cursors")).tokens();
        tokens.save(UPPER, "bob", "token-1", "pw");
        Path before = new StateFiles(tokens.file(UPPER, "bob").getParent(), "name's token")
            .file("LocalHost-8765-bob", "http://LocalHost:8765\nbob");
        assertNotEquals(before, tokens.file(UPPER, "bob"));
        Files.move(tokens.file(UPPER, "bob"), before);

        assertEquals(Optional.of("token-1"), tokens.load(UPPER, "bob"));
        assertEquals(Optional.of("token-1"), tokens.load(LOWER, "bob"));
        tokens.forget(LOWER, "bob");
        assertEquals(Optional.empty(), tokens.load(UPPER, "bob"), "leave forgets it too");
    }
}
