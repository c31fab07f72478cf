package dev.agentchat.cli.client;

/**
 * Whose cursor: one per room (its URL, path included), agent and scope ({@code all} or
 * {@code mentions}, so that {@code wait --mentions} does not make a later {@code read} skip messages).
 */
public record CursorKey(RoomAddress room, String agent, String scope) {
    public static CursorKey of(RoomAddress room, String agent, boolean mentionsOnly) {
        return new CursorKey(room, agent, mentionsOnly ? "mentions" : "all");
    }
}
