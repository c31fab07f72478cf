package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.Inbox;
import dev.agentchat.mcp.ToolText;

import java.util.function.Consumer;

/**
 * What an {@link Inbox} told during one tool call that the answer says before the rest: that the room
 * turned out restarted ({@link ToolText#RESTARTED}). Other notices are left to the tool.
 */
final class Told implements Consumer<String> {
    private boolean restarted;

    @Override
    public void accept(String notice) {
        if (Inbox.restart(notice)) {
            restarted = true;
        }
    }

    /** {@code answer}, after what was told. */
    String before(String answer) {
        return restarted ? ToolText.RESTARTED + "\n" + answer : answer;
    }
}
