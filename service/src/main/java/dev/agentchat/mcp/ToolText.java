package dev.agentchat.mcp;

import dev.agentchat.error.ApiError;
import dev.agentchat.messages.MessageView;
import dev.agentchat.messages.Timestamps;
import dev.agentchat.names.Names;
import dev.agentchat.presence.Readers;
import dev.agentchat.presence.RosterEntry;
import dev.agentchat.room.RoomTopics;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * Every text a tool answers with, for both MCP servers: one message per line,
 * {@code [2026-11-24T12:21:05.772257+00:00] #12 alice ↩#11 → bob: text}, with the full timestamp in
 * the API's format (agents may sit in other time zones), the id to answer with {@code reply_to}, the
 * reader's own messages marked {@code (you)} and the continuation lines of a multi-line text marked
 * as the CLI marks them ({@link MessageView}), so no text can pass for another message.
 */
public final class ToolText {
    /** A {@code tools/call} without the tool's name ({@code -32602}), on both servers. */
    public static final String NO_TOOL_NAME = "tools/call needs the tool's name (params.name)";
    /** A {@code tools/call} whose {@code arguments} are not an object ({@code -32602}), on both servers. */
    public static final String ARGUMENTS_NOT_OBJECT = "'arguments' must be an object";

    /** A {@code tools/call} of a tool the server does not have, on both servers. */
    public static String unknownTool(String name) {
        return "Unknown tool: " + name + " (tools/list names the tools)";
    }

    private ToolText() {
    }

    public static String line(MessageView message, @Nullable String self) {
        return "[" + timestamp(message.timestamp()) + "] " + message.describe(true, self);
    }

    /** What {@code send_message} answers (the message, not marked: it is obviously the caller's), with any warnings on lines of their own. */
    public static String sent(MessageView message, List<String> warnings) {
        StringBuilder text = new StringBuilder("Sent: ").append(line(message, null));
        warnings.forEach(warning -> text.append("\nWarning: ").append(warning));
        return text.toString();
    }

    /** A heading and one line per message, or {@link #nothingNew} when there are none. */
    public static String messages(List<MessageView> messages, String self, boolean mentionsOnly) {
        if (messages.isEmpty()) {
            return nothingNew(self, mentionsOnly);
        }
        StringBuilder text = new StringBuilder(messages.size() == 1 ? "1 new message:" : messages.size() + " new messages:");
        messages.forEach(message -> text.append('\n').append(line(message, self)));
        return text.toString();
    }

    /** What {@code search_messages} answers: a heading and one line per match, or that nothing matched. */
    public static String found(List<MessageView> messages, String query, @Nullable String from, String self) {
        String what = "'" + query + "'" + (from == null ? "" : " from " + from);
        if (messages.isEmpty()) {
            return "No retained message contains " + what + ".";
        }
        StringBuilder text = new StringBuilder(messages.size() == 1 ? "1 message contains " : messages.size() + " messages contain ")
            .append(what).append(" (oldest first):");
        messages.forEach(message -> text.append('\n').append(line(message, self)));
        return text.toString();
    }

    /** What an empty result says. */
    public static String nothingNew(String self, boolean mentionsOnly) {
        return mentionsOnly
            ? "No new messages that mention you (@" + self + ") or are addressed to you."
            : "No new messages.";
    }

    /** What {@code wait_for_messages} says when its time is up. */
    public static String waitedInVain(String self, boolean mentionsOnly, double seconds) {
        String shown = seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
        return nothingNew(self, mentionsOnly) + " (waited " + shown + " s)";
    }

    /**
     * What {@code agent-chat mcp}'s {@code wait_for_messages} says first when it found the room
     * restarted (the CLI's {@code wait} tells the same), before the new room's messages.
     */
    public static final String RESTARTED = "The room was restarted: its server stopped and a new room began at the same "
        + "address, so the messages from before are gone and ids start again at #1 (an earlier #id no longer names "
        + "the message it did).";

    /** A failed call: one readable line. */
    public static String error(String message) {
        return "Error: " + message;
    }

    /**
     * One line per agent, those here first; {@code self} is marked. A name the host kicked is shown
     * as removed until its block ends, whatever its presence says.
     */
    public static String agents(List<RosterEntry> all, String self) {
        List<RosterEntry> agents = all.stream().sorted(Comparator.comparing((RosterEntry a) -> !a.here())).toList();
        if (agents.isEmpty()) {
            return "Nobody has spoken or listened in this room yet.";
        }
        long here = agents.stream().filter(RosterEntry::here).count();
        StringBuilder text = new StringBuilder(agents.size() + (agents.size() == 1 ? " agent" : " agents"))
            .append(" (").append(here).append(" online):");
        for (RosterEntry agent : agents) {
            text.append("\n- ").append(agent.name());
            if (MessageView.isOwn(agent.name(), self)) {
                text.append(MessageView.OWN);
            }
            text.append(": ").append(agent.blockedUntil() != null
                ? "removed by the host until " + Timestamps.format(agent.blockedUntil())
                : agent.online() ? "online" : "offline");
            if (agent.connections() > 0) {
                text.append(", ").append(agent.connections()).append(agent.connections() == 1 ? " connection" : " connections");
            }
            if (agent.waiting()) {
                text.append(", waiting");
            }
            if (agent.readUpTo() != null) {
                text.append(", read #").append(agent.readUpTo());
            }
            agent.nameNotes().forEach(note -> text.append(", ").append(note));
            if (agent.lastSeen() != null) {
                text.append(", last seen ").append(Timestamps.format(agent.lastSeen()));
            }
        }
        return text.toString();
    }

    /** One claim as the tools show it. */
    public record ClaimView(String id, String agent, String resource, @Nullable String note,
                            @Nullable OffsetDateTime expiresAt) {
        String line() {
            return id + ": " + resource + " held by " + agent + " until " + timestamp(expiresAt)
                + (note == null || note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    /** What {@code ack_message} answers. */
    public static String acked(long id, List<String> acks) {
        return "Acknowledged #" + id + " (acknowledged by " + String.join(", ", acks) + ")";
    }

    /** What {@code claim_resource} answers. */
    public static String claimed(ClaimView claim) {
        return "Claimed " + claim.line();
    }

    /** What {@code release_claim} answers. */
    public static String released(ClaimView claim) {
        return "Released " + claim.id() + ": " + claim.resource();
    }

    /**
     * What {@code room_info} answers: the room, its topic and its loop brake.
     *
     * @param room  the room's name as people see it
     * @param topic null when the host set none
     */
    public static String room(String room, @Nullable String topic, long agentTurns, long limit, boolean engaged) {
        return "Room: " + room
            + "\nTopic: " + (topic == null || topic.isBlank() ? RoomTopics.NONE : topic)
            + "\n" + brake(agentTurns, limit, engaged)
            + (engaged ? "\nAgents' messages are refused until a person posts or the host releases the brake. "
                + WHILE_HELD + "." : "");
    }

    /** {@code mentions_only} in an observer's session opened without a name. */
    public static final String MENTIONS_NEED_A_NAME = "mentions_only needs a name to look for: this observer's session "
        + "was opened without X-Agent-Name (open one with it to watch that name's mentions)";

    /** After a read whose answer was full: the rest comes with the next read. */
    public static final String MORE_UNREAD = "More unread messages remain: call read_messages again for the next ones.";

    /** What both MCP servers answer once their room is gone ({@code room_not_found}). */
    static final String ROOM_GONE = "Room not found: this room has ended (" + ApiError.HOW_ROOMS_END
        + "); ask the host for a new invite";

    /** What an agent the loop brake holds does, on every surface that tells it so (its posts, a summary too, are refused). */
    public static final String WHILE_HELD = "Stop posting and wait for people";

    /** A refusal as a tool answers it: the room's own words, and for the loop brake what to do and where it shows. */
    public static String refused(String message, @Nullable String code) {
        if (ApiError.ROOM_NOT_FOUND.code().equals(code)) {
            return ROOM_GONE;
        }
        return ApiError.LOOP_BRAKE.code().equals(code) ? message + ". " + WHILE_HELD + "; room_info shows the brake." : message;
    }

    /** The loop brake in one line, as {@code agent-chat brake} prints it. */
    public static String brake(long agentTurns, long limit, boolean engaged) {
        if (limit == 0) {
            return "Loop brake off in this room (--max-agent-turns 0)";
        }
        return (engaged ? "🛑 Loop brake engaged: " : "Loop brake not engaged: ") + agentTurns
            + (agentTurns == 1 ? " agent message" : " agent messages") + " in a row (limit " + limit + ")";
    }

    /** What {@code list_claims} answers. */
    public static String claims(List<ClaimView> claims) {
        if (claims.isEmpty()) {
            return "No claims: nobody has claimed anything in this room.";
        }
        StringBuilder text = new StringBuilder(claims.size() == 1 ? "1 claim:" : claims.size() + " claims:");
        claims.forEach(claim -> text.append("\n- ").append(claim.line()));
        return text.toString();
    }

    /** What a tool call under a name the host kicked is told, on both servers. */
    public static String kicked(String agent, @Nullable Instant until) {
        return Names.removed(agent, Timestamps.format(until));
    }

    /** What {@code who_has_read} answers. */
    public static String seen(Readers readers) {
        StringBuilder text = new StringBuilder("#" + readers.id() + " read by: "
            + (readers.read().isEmpty() ? "nobody yet" : String.join(", ", readers.read())));
        if (!readers.notYet().isEmpty()) {
            text.append("\nNot yet: ").append(String.join(", ", readers.notYet().stream()
                .map(agent -> agent.name() + (agent.waiting() ? " (waiting)" : "")).toList()));
        }
        return text.toString();
    }

    private static String timestamp(@Nullable OffsetDateTime timestamp) {
        return timestamp == null ? "?" : Timestamps.format(timestamp);
    }
}
