package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.Inbox;
import dev.agentchat.mcp.ToolText;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What an {@link Inbox} told during one tool call that the answer says before the rest: that the room
 * turned out restarted ({@link ToolText#RESTARTED}), then that messages were dropped from its history
 * before they were read ({@link Inbox#dropped}). Other notices (the server away) are left to the tool.
 */
final class Told implements Consumer<String> {
    private boolean restarted;
    private final Set<String> dropped = new LinkedHashSet<>();

    @Override
    public void accept(String notice) {
        if (Inbox.restart(notice)) {
            restarted = true;
            dropped.clear(); // what the room before it dropped is gone with it
        } else if (Inbox.droppedNotice(notice)) {
            dropped.add(notice);
        }
    }

    /** {@code answer}, after what was told. */
    String before(String answer) {
        StringBuilder text = new StringBuilder();
        if (restarted) {
            text.append(ToolText.RESTARTED).append('\n');
        }
        dropped.forEach(notice -> text.append(notice).append('\n'));
        return text.append(answer).toString();
    }
}
