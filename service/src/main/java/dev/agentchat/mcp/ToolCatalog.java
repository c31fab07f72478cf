package dev.agentchat.mcp;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The room's MCP tools as both MCP servers list them ({@code agent-chat mcp} over stdio and the
 * room's own {@code {base URL}/mcp}): names, titles, descriptions and input schemas, and the
 * instructions given at {@code initialize}. Only the longest wait differs between the servers.
 */
public final class ToolCatalog {
    public static final String SEND = "send_message";
    public static final String READ = "read_messages";
    public static final String WAIT = "wait_for_messages";
    public static final String AGENTS = "list_agents";
    public static final String ACK = "ack_message";
    public static final String SEEN = "who_has_read";
    public static final String CLAIM = "claim_resource";
    public static final String RELEASE = "release_claim";
    public static final String CLAIMS = "list_claims";
    public static final String SEARCH = "search_messages";
    public static final String EXPORT = "export_transcript";
    public static final String ROOM = "room_info";
    public static final List<String> NAMES = List.of(SEND, READ, WAIT, AGENTS, ACK, SEEN, CLAIM, RELEASE, CLAIMS, SEARCH,
        EXPORT, ROOM);
    /**
     * The tools that change the room: a session with the observer password is not offered them, and
     * one that calls them anyway is refused ({@code read_only}).
     */
    public static final List<String> WRITES = List.of(SEND, ACK, CLAIM, RELEASE);
    /** Matches {@code search_messages} returns when not told how many. */
    public static final int SEARCH_LIMIT = 20;
    /** The most matches one {@code search_messages} call returns. */
    public static final int SEARCH_MAX = 200;
    /**
     * The most bytes of messages one tool result holds (about 25,000 tokens, which MCP hosts commonly pass
     * to a model whole): {@code export_transcript}'s part of the transcript, the unread messages of
     * {@code read_messages} and {@code wait_for_messages} (the rest stay unread for the next read). At
     * least one message always goes out.
     */
    public static final long RESULT_MAX_BYTES = 100_000;

    private ToolCatalog() {
    }

    /**
     * One tool: its input schema is an object of these properties, none other allowed.
     *
     * @param required the names of the properties that must be given (in order)
     */
    public record Definition(String name, String title, String description, Map<String, Object> properties,
                             List<String> required) {

        /** The input schema as JSON. */
        public Map<String, Object> inputSchema() {
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            schema.put("properties", properties);
            schema.put("required", required);
            schema.put("additionalProperties", false);
            return schema;
        }

        /**
         * Whether the tool leaves the room as it is (MCP's {@code readOnlyHint}, by which hosts may run it
         * without asking): every tool but those that write ({@link #WRITES}); a read moves only the
         * caller's own read cursor. None destroys anything, and none reaches beyond the room.
         */
        public boolean readOnly() {
            return !WRITES.contains(name);
        }

        /** The tool as {@code tools/list} lists it. */
        public Map<String, Object> listed() {
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("name", name);
            tool.put("title", title);
            tool.put("description", description);
            tool.put("inputSchema", inputSchema());
            tool.put("annotations", Map.of("readOnlyHint", readOnly(), "destructiveHint", false, "openWorldHint", false));
            return tool;
        }
    }

    /**
     * The tools, in the order listed.
     *
     * @param agent          who calls them
     * @param maxWaitSeconds the longest {@code wait_for_messages} the server takes
     */
    public static List<Definition> tools(String agent, long maxWaitSeconds) {
        return List.of(
            new Definition(SEND, "Send a message to the chat room",
                "Post a message to the shared room as " + agent + ". Everyone in the room sees it. "
                    + "Write @name in the text to get someone's attention, or list names in 'to' to address them "
                    + "explicitly; 'reply_to' is the #id of the message you answer. Anything that may not work as "
                    + "meant (a name nobody has used, a reply to a message no longer kept) follows as 'Warning:' lines.",
                properties(
                    "text", Map.of("type", "string", "minLength", 1, "description", "The message text."),
                    "to", Map.of("type", "array", "items", Map.of("type", "string"),
                        "description", "Names of the agents this message is addressed to (optional)."),
                    "reply_to", Map.of("type", "integer", "minimum", 1,
                        "description", "The id of the message this one answers (optional)."),
                    "ack_requested", Map.of("type", "boolean", "default", false,
                        "description", "Ask the recipients to acknowledge it with ack_message (optional).")),
                List.of("text")),
            new Definition(READ, "Read new messages",
                "Return the messages you have not read yet (the first time: the room's whole retained "
                    + "history; 'last' keeps only the newest N) and mark them read. Returns at once, possibly with "
                    + "nothing new. At most about " + RESULT_MAX_BYTES / 1000 + " kB a call: the rest stays unread, and "
                    + "the answer ends by saying more remain. Each message starts a line [timestamp] #id agent "
                    + "↩#answered-id → addressees: text; your own are marked (you); further lines of a multi-line "
                    + "text start with '  | '.",
                properties(
                    "mentions_only", mentionsOnly(),
                    "last", Map.of("type", "integer", "minimum", 0,
                        "description", "Only the newest this many of them (0: none, just mark everything read).")),
                List.of()),
            new Definition(WAIT, "Wait for new messages",
                "Block until at least one message from someone else that you have not read arrives (your own "
                    + "never wake it), then return it (and any others that came with it, at most about "
                    + RESULT_MAX_BYTES / 1000 + " kB) and mark it read; return "
                    + "'No new messages' after timeout_seconds (at most " + maxWaitSeconds + ": call again to wait "
                    + "longer; many MCP hosts give up on a call after about 60 s, so 50 at a time is safe unless yours "
                    + "allows more). Use mentions_only to sleep until someone needs you. Messages already unread return at once; "
                    + "before your first read_messages, only messages posted from then on count, and the history "
                    + "before them stays unread for read_messages.",
                properties(
                    "timeout_seconds", Map.of("type", "number", "minimum", 0, "maximum", maxWaitSeconds,
                        "description", "How long to wait at most, in seconds (0 to " + maxWaitSeconds + ")."),
                    "mentions_only", mentionsOnly()),
                List.of("timeout_seconds")),
            new Definition(AGENTS, "List the agents in the room",
                "Everyone who has spoken or listened in the room: online or not, open connections, last seen.",
                properties(), List.of()),
            new Definition(ACK, "Acknowledge a message",
                "Say \"I have it\" to message #id without posting a message (and without waking anyone): its "
                    + "sender sees your name in its acknowledgements. Answer a message that asks for acknowledgements "
                    + "this way instead of writing \"ok\" or \"thanks\".",
                properties("id", messageId()), List.of("id")),
            new Definition(SEEN, "Who has read a message",
                "Which agents have read message #id (a read, wait, poll or stream of theirs was given it) and which "
                    + "have not yet, marking those waiting for messages right now.",
                properties("id", messageId()), List.of("id")),
            new Definition(CLAIM, "Claim a resource you are working on",
                "Take an exclusive, expiring claim on a path or glob (src/parser/**: * within a path segment, ** across "
                    + "segments, ? one character) so others do not edit it meanwhile. A claim overlapping someone else's "
                    + "is refused, naming its holder and until when: choose other work or ask them. Claiming what you "
                    + "already hold renews it. Release it (release_claim) when done.",
                properties(
                    "resource", Map.of("type", "string", "minLength", 1, "description", "The path or glob to claim (a trailing / claims everything under it: src/parser/ is src/parser/**)."),
                    "ttl_seconds", Map.of("type", "integer", "minimum", 1,
                        "description", "How long it lasts unless renewed (default 1800)."),
                    "note", Map.of("type", "string", "description", "What you are doing with it (optional).")),
                List.of("resource")),
            new Definition(RELEASE, "Release a claim",
                "Give back a claim you hold, by its id (c-...) or by the resource you claimed.",
                properties("claim", Map.of("type", "string", "minLength", 1,
                    "description", "The claim's id, or the resource you claimed.")),
                List.of("claim")),
            new Definition(CLAIMS, "List the work claims",
                "Every live claim in the room: id, resource, holder, until when and note. Look before you start on "
                    + "something others may be editing.",
                properties(), List.of()),
            new Definition(SEARCH, "Search the room's messages",
                "Find what was said earlier: the newest retained messages whose text contains 'query' (ignoring "
                    + "case), oldest first, one per line like read_messages. Does not mark anything read. Narrow it "
                    + "with 'from' (one sender) and 'before' (older than that #id: pass the first id you got to "
                    + "see older matches).",
                properties(
                    "query", Map.of("type", "string", "minLength", 1, "maxLength", 200,
                        "description", "The text to look for (ignoring case)."),
                    "from", Map.of("type", "string", "description", "Only messages sent by this name (optional)."),
                    "before", Map.of("type", "integer", "minimum", 1,
                        "description", "Only messages older than this #id (optional)."),
                    "limit", Map.of("type", "integer", "minimum", 1, "maximum", SEARCH_MAX, "default", SEARCH_LIMIT,
                        "description", "At most this many matches, the newest (default " + SEARCH_LIMIT + ").")),
                List.of("query")),
            new Definition(EXPORT, "Export the room's transcript",
                "The retained conversation as one document: the room's name and topic, then each message with its "
                    + "#id, time (UTC), sender, addressees and the message it answers, oldest first. 'markdown' "
                    + "(default) to read or summarise, 'jsonl' (one JSON message per line) to process. One result "
                    + "holds at most about " + RESULT_MAX_BYTES / 1000 + " kB: a longer transcript ends with 'More "
                    + "messages follow #N' (jsonl: {\"more_after\":N}); call again with after=N for the next part. "
                    + "To find something, search_messages is quicker.",
                properties(
                    "format", Map.of("type", "string", "enum", List.of("markdown", "jsonl"), "default", "markdown",
                        "description", "markdown (default) or jsonl."),
                    "after", Map.of("type", "integer", "minimum", 0, "default", 0,
                        "description", "Start after this #id (0, the default: from the first retained message).")),
                List.of()),
            new Definition(ROOM, "What the room is for, and its loop brake",
                "The room's name, its topic (what the host says the room is for; it may change while you are "
                    + "here) and its loop brake: how many agent messages in a row without a person, the limit, and "
                    + "whether agents are held. Look when send_message is refused by the loop brake.",
                properties(), List.of()));
    }

    /**
     * The tools {@code tools/list} lists for a session: all of them, or, with the observer password
     * ({@code readOnly}), those that only read ({@link #offered}).
     */
    public static List<Definition> tools(String agent, long maxWaitSeconds, boolean readOnly) {
        return tools(agent, maxWaitSeconds).stream().filter(tool -> offered(tool.name(), readOnly)).toList();
    }

    /** Whether a session is offered tool {@code name}: every tool, but to an observer ({@code readOnly}) none of {@link #WRITES}. */
    public static boolean offered(String name, boolean readOnly) {
        return !readOnly || !WRITES.contains(name);
    }

    /** The tool named {@code name} (one of {@link #NAMES}), as {@link #tools} lists it. */
    public static Definition tool(String name, String agent, long maxWaitSeconds) {
        return tools(agent, maxWaitSeconds).stream().filter(tool -> tool.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No tool " + name));
    }

    /**
     * The instructions for {@code agent}; {@code room} says which room ("the agent-chat room at URL"),
     * {@code topic} what it is for (null when it has no topic).
     */
    public static String instructions(String agent, String room, @Nullable String topic) {
        return "You are '" + agent + "' in " + room + ", shared with other agents and people. "
            + (topic == null ? "" : "The room's topic: " + topic + ". ")
            + "read_messages shows "
            + "what you have not read; wait_for_messages sleeps until something arrives (mentions_only: until "
            + "someone writes @" + agent + " or addresses you). Write @name or pass 'to' to get someone's attention; "
            + "pass 'reply_to' with the #id you answer; search_messages finds what was said earlier. Keep messages short and useful; everyone sees every message. "
            + "Do not post thanks or ok: acknowledge with ack_message. Before editing shared files, claim_resource them "
            + "(list_claims shows who holds what) and release_claim when done.";
    }

    /**
     * The instructions for a session opened with the observer password: it reads under {@code agent}
     * (null: under no name) but posts, acknowledges and claims nothing ({@link #WRITES} are not offered).
     */
    public static String observerInstructions(@Nullable String agent, String room, @Nullable String topic) {
        return "You watch " + room + (agent == null ? "" : " as '" + agent + "'") + " with the observer password: "
            + "you can only read, so you cannot post, acknowledge or claim anything (" + String.join(", ", WRITES)
            + " are not among your tools; taking part needs the room's password). "
            + (topic == null ? "" : "The room's topic: " + topic + ". ")
            + READ + " shows what you have not read; " + WAIT + " sleeps until something arrives"
            + (agent == null ? "" : " (mentions_only: until someone writes @" + agent + " or addresses that name)")
            + "; " + SEARCH + " finds what was said earlier; "
            + AGENTS + ", " + SEEN + ", " + CLAIMS + " and " + ROOM + " show who is here, who has read what, "
            + "who holds what and the room's loop brake.";
    }

    private static Map<String, Object> properties(Object... nameThenSchema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            properties.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
        }
        return properties;
    }

    private static Map<String, Object> messageId() {
        return Map.of("type", "integer", "minimum", 1, "description", "The message's id (the #id before its sender).");
    }

    private static Map<String, Object> mentionsOnly() {
        return Map.of("type", "boolean", "default", false,
            "description", "Only messages that mention you (@your-name) or are addressed to you.");
    }
}
