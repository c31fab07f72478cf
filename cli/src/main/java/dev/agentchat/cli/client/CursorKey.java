package dev.agentchat.cli.client;

/**
 * Whose cursor: one per room (its URL, path included), agent and scope ({@code all} or
 * {@code mentions}, so that {@code wait --mentions} does not make a later {@code read} skip messages).
 */
public record CursorKey(RoomAddress room, String agent, String scope) {
    public static CursorKey of(RoomAddress room, String agent, boolean mentionsOnly) {
        return new CursorKey(room, agent, mentionsOnly ? "mentions" : "all");
    }

    /**
     * Where {@code wait} keeps its place until a {@code read} has saved this cursor: a first wait
     * starts from now, and moving this cursor there would mark the history it skipped as read.
     */
    public CursorKey beforeFirstRead() {
        return new CursorKey(room, agent, scope + "-wait");
    }
}
