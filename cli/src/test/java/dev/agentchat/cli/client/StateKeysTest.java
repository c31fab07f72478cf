package dev.agentchat.cli.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cursors and names' tokens are keyed by the room's URL with its host and room name in lower case, and files saved before that still count. */
class StateKeysTest {
    private static final RoomAddress LOWER = RoomAddress.parse("http://localhost:8765");
    private static final RoomAddress UPPER = RoomAddress.parse("http://LocalHost:8765");
    /** A room that tells no identity (saved before identities, or the original server). */
    private static final Supplier<Optional<String>> NO_IDENTITY = Optional::empty;

    @TempDir
    Path state;

    @Test
    void aHostWrittenInOtherLetterCaseHasTheSameCursorAndToken() {
        CursorStore cursors = new CursorStore(state.resolve("cursors"));
        cursors.save(CursorKey.of(UPPER, "bob", false), Checkpoint.at(7));
        cursors.tokens().save(UPPER, "bob", "token-1", "pw", null);

        assertEquals(Optional.of(7L), cursors.load(CursorKey.of(LOWER, "bob", false)).map(Checkpoint::after));
        Optional<NameTokens.Saved> token = cursors.tokens().load(LOWER, "bob", "pw", NO_IDENTITY);
        assertEquals(Optional.of("token-1"), token.map(NameTokens.Saved::token));
        assertTrue(token.get().exact(), "one file for both spellings");
    }

    @Test
    void aNamedRoomWrittenInOtherLetterCaseHasTheSameCursorAndToken() {
        CursorStore cursors = new CursorStore(state.resolve("cursors"));
        RoomAddress upper = RoomAddress.parse("http://localhost:8765/rooms/Design-Review");
        RoomAddress lower = RoomAddress.parse("http://localhost:8765/rooms/design-review");
        cursors.save(CursorKey.of(upper, "bob", false), Checkpoint.at(9));
        cursors.tokens().save(upper, "bob", "token-2", "pw", null);

        assertEquals(Optional.of(9L), cursors.load(CursorKey.of(lower, "bob", false)).map(Checkpoint::after));
        assertEquals(Optional.of("token-2"), cursors.tokens().load(lower, "bob", "pw", NO_IDENTITY).map(NameTokens.Saved::token));
        assertEquals("http://localhost:8765/Proxy/rooms/design-review",
            RoomAddress.parse("http://localhost:8765/Proxy/rooms/Design-Review").key(), "only the room's name changes case");
    }

    @Test
    void aTokenIsFoundUnderAnotherUrlOnlyForTheRoomItWasSavedFor() {
        NameTokens tokens = new CursorStore(state.resolve("cursors")).tokens();
        tokens.save(LOWER, "bob", "token-a", "pw", "room-a");
        RoomAddress samePort = RoomAddress.parse("http://127.0.0.1:8765");
        RoomAddress tunnel = RoomAddress.parse("https://new-address.example");

        assertEquals(Optional.empty(), tokens.load(samePort, "bob", () -> Optional.of("room-b")),
            "another room at another address of this machine is not offered the token");
        assertEquals(Optional.of("token-a"), tokens.load(tunnel, "bob", () -> Optional.of("room-a")));
        assertEquals(Optional.empty(), tokens.load(tunnel, "bob", NO_IDENTITY), "a room that tells no identity is not its");
    }

    @Test
    void aTokenSavedBeforeIdentitiesIsFoundOnlyUnderAnotherAddressOfThisMachineAtItsPort() {
        NameTokens tokens = new CursorStore(state.resolve("cursors")).tokens();
        tokens.save(LOWER, "bob", "token-1", "pw", null);

        assertEquals(Optional.of("token-1"), tokens.load(RoomAddress.parse("http://127.0.0.1:8765"), "bob", NO_IDENTITY));
        assertEquals(Optional.empty(), tokens.load(RoomAddress.parse("http://127.0.0.1:8766"), "bob", () -> Optional.of("room-a")));
    }

    @Test
    void aCursorIsFoundUnderAnotherUrlOfTheSameRoomAtTheFurthestItWasRead() {
        CursorStore cursors = new CursorStore(state.resolve("cursors"));
        cursors.save(CursorKey.of(LOWER, "bob", false), Checkpoint.at(7), Optional.of("room-a"));
        cursors.save(CursorKey.of(RoomAddress.parse("http://127.0.0.1:9000"), "bob", false), Checkpoint.at(12), Optional.of("room-a"));
        cursors.save(CursorKey.of(RoomAddress.parse("http://127.0.0.1:9001"), "bob", false), Checkpoint.at(40), Optional.of("room-b"));
        CursorKey tunnel = CursorKey.of(RoomAddress.parse("https://new-address.example"), "bob", false);

        assertEquals(Optional.of(12L), cursors.load(tunnel, () -> Optional.of("room-a")).map(Checkpoint::after));
        assertEquals(Optional.empty(), cursors.load(tunnel, () -> Optional.of("room-c")));
        assertEquals(Optional.empty(), cursors.load(CursorKey.of(tunnel.room(), "bob", true), () -> Optional.of("room-a")),
            "a cursor of another scope is not this one");
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
        tokens.save(UPPER, "bob", "token-1", "pw", null);
        Path before = new StateFiles(tokens.file(UPPER, "bob").getParent(), "name's token")
            .file("LocalHost-8765-bob", "http://LocalHost:8765\nbob");
        assertNotEquals(before, tokens.file(UPPER, "bob"));
        Files.move(tokens.file(UPPER, "bob"), before);

        assertEquals(Optional.of("token-1"), tokens.load(UPPER, "bob", NO_IDENTITY));
        assertEquals(Optional.of("token-1"), tokens.load(LOWER, "bob", NO_IDENTITY));
        tokens.forget(LOWER, "bob", NO_IDENTITY);
        assertEquals(Optional.empty(), tokens.load(UPPER, "bob", NO_IDENTITY), "leave forgets it too");
    }
}
