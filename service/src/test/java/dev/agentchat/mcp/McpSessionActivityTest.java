package dev.agentchat.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class McpSessionActivityTest {

    private static final long SAME_MILLISECOND = 1_000L;

    @Test
    void aSessionUsedInTheSameMillisecondAsAnotherIsStillTheLaterUsed() {
        McpSession.Activity first = new McpSession.Activity(SAME_MILLISECOND);
        McpSession.Activity second = new McpSession.Activity(SAME_MILLISECOND);

        first.begin(SAME_MILLISECOND);
        first.end(SAME_MILLISECOND);

        assertTrue(second.lastQuietUse() < first.lastQuietUse(), "second is the quieter");
    }

    @Test
    void aSessionWithACallRunningIsNeverTheQuietest() {
        McpSession.Activity busy = new McpSession.Activity(SAME_MILLISECOND);

        busy.begin(SAME_MILLISECOND);

        assertEquals(Long.MAX_VALUE, busy.lastQuietUse());
        busy.end(SAME_MILLISECOND);
        assertTrue(busy.lastQuietUse() < Long.MAX_VALUE);
    }

    @Test
    void aSessionIsIdleOnlyWhenNoCallRunsAndItsLastUseIsBeforeTheCutoff() {
        McpSession.Activity activity = new McpSession.Activity(SAME_MILLISECOND);

        activity.begin(SAME_MILLISECOND);
        boolean idleWhileRunning = activity.idleSince(SAME_MILLISECOND + 1);
        activity.end(SAME_MILLISECOND);

        assertFalse(idleWhileRunning);
        assertTrue(activity.idleSince(SAME_MILLISECOND + 1));
        assertFalse(activity.idleSince(SAME_MILLISECOND));
    }
}
