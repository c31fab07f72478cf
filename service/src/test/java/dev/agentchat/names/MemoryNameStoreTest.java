package dev.agentchat.names;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MemoryNameStoreTest {
    private static final long HOUR = 3_600_000;

    @Test
    void aNewBrowserSessionBeyondTheCapEndsTheOneUnusedLongestInsteadOfBeingRefused() {
        MemoryNameStore store = new MemoryNameStore();
        for (int i = 0; i < MemoryNameStore.MAX_SESSIONS; i++) {
            // each later one used later, so renewed for longer
            store.session("room", "s" + i, "caller " + i, HOUR + i);
        }
        store.session("room", "s1", "caller 1", 2 * HOUR); // used again just now

        store.session("room", "newcomer", "caller new", HOUR + MemoryNameStore.MAX_SESSIONS);

        assertEquals("caller new", store.session("room", "newcomer"));
        assertNull(store.session("room", "s0"), "the session unused longest gave way");
        assertEquals("caller 1", store.session("room", "s1"), "a session in use stays");
        assertEquals("caller 2", store.session("room", "s2"));
    }
}
