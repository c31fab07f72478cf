package dev.agentchat.cli.mcp;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.error.ApiError;
import dev.agentchat.system.BuildVersion;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.RoomOptions;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.messages.SendCheck;
import io.micronaut.core.annotation.Nullable;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code agent-chat mcp}: the room as Model Context Protocol tools, spoken over stdin/stdout. */
@Command(name = "mcp", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Serve the room to an MCP host (Claude Code, Cursor, ...) as tools, over stdio.",
    description = {"Speaks the Model Context Protocol on stdin/stdout for one agent (-a NAME), with the tools",
        "  send_message {text, to?, reply_to?, ack_requested?}      read_messages {mentions_only?, last?}",
        "  wait_for_messages {timeout_seconds, mentions_only?}      list_agents {}",
        "  ack_message {id}      who_has_read {id}      list_claims {}",
        "  claim_resource {resource, ttl_seconds?, note?}      release_claim {claim}",
        "  search_messages {query, from?, before?, limit?}      export_transcript {format?}",
        "  room_info {} (the room's topic and loop brake)",
        "read_messages and wait_for_messages share their cursors with 'agent-chat read' and 'wait'.",
        "With the room's observer password it only reads, a token saved for the name with the room's password",
        "unused: send_message, ack_message, claim_resource and release_claim are not offered (a call of one",
        "anyway is refused), and its instructions say so.",
        "stdout carries only MCP messages, diagnostics go to stderr; it ends within 2 s when stdin is closed.",
        "The room is checked when the host initializes the session: a wrong password, a room that does not exist or",
        "a server that cannot be reached fails the initialize with the reason, which the host shows."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  claude mcp add agent-chat -- agent-chat mcp -u http://localhost:8765 -p s3cret -a coder",
        "  .mcp.json or Cursor's mcp.json:",
        "    {\"mcpServers\": {\"agent-chat\": {\"command\": \"agent-chat\",",
        "      \"args\": [\"mcp\", \"-u\", \"http://localhost:8765\", \"-a\", \"coder\"],",
        "      \"env\": {\"AGENT_CHAT_PASSWORD\": \"s3cret\"}}}}"})
public class McpCommand implements Callable<Integer> {
    /** How long the end waits for the SDK to close; the process exits after it in any case. */
    static final Duration CLOSE_WAIT = Duration.ofMillis(250);

    @Spec
    CommandSpec spec;

    private final CursorStore cursors;

    public McpCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Option(names = "--progress-every", hidden = true, paramLabel = "DURATION", defaultValue = "10",
        converter = Converters.Seconds.class,
        description = "How often a waiting wait_for_messages sends progress to a host that asked for it.")
    Duration progressEvery;

    @Override
    public Integer call() throws InterruptedException {
        if (progressEvery.isZero()) {
            throw new ParameterException(spec.commandLine(), "--progress-every must be more than 0 seconds");
        }
        RoomClient client = room.client();
        Seat seat = new Seat(client, cursors, agent.name());
        PrintWriter err = spec.commandLine().getErr();
        String unmentionable = SendCheck.unmentionable(agent.name());
        if (unmentionable != null) {
            err.println("⚠️ " + unmentionable);
            err.flush();
        }

        PrintStream protocol = System.out;
        System.setOut(System.err); // whatever else prints must not corrupt the JSON-RPC stream
        StdioTraffic traffic = new StdioTraffic(protocol, new StdioTraffic.Admission() {
            @Override
            public String refusal() {
                return McpCommand.this.refusal(client, err);
            }

            @Override
            public String withheld(String name) {
                return ToolCatalog.offered(name, seat.observes()) ? null : ApiError.READ_ONLY.message();
            }
        });
        InputStream in = traffic.in(System.in);
        // the tools offered and the instructions depend on what the room made of the password (an
        // observer's only reads): the server starts once the room has been asked, at the first initialize
        traffic.awaitAdmission();
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                in, traffic.out()))
            .serverInfo("agent-chat", BuildVersion.get())
            .instructions(instructions(seat))
            .capabilities(ServerCapabilities.builder().tools(false).build())
            // ToolArguments checks the arguments against the schemas, with the room endpoint's texts
            .validateToolInputs(false)
            .tools(tools(seat, progressEvery).stream().map(tool -> tool.specification(traffic.cancellations())).toList())
            .build();
        try {
            traffic.awaitEnd();
        } finally {
            closeSoon(server);
            System.setOut(protocol);
        }
        return ExitCodes.OK;
    }

    /** The tools the seat is offered: all of them, or an observer's, those that only read ({@link ToolCatalog#offered}). */
    static List<RoomTool> tools(Seat seat, Duration progressEvery) {
        return Stream.of(new SendMessageTool(seat), new ReadMessagesTool(seat), new WaitForMessagesTool(seat, progressEvery),
                new ListAgentsTool(seat), new AckMessageTool(seat), new WhoHasReadTool(seat), new ClaimResourceTool(seat),
                new ReleaseClaimTool(seat), new ListClaimsTool(seat), new SearchMessagesTool(seat),
                new ExportTranscriptTool(seat), new RoomInfoTool(seat))
            .filter(tool -> ToolCatalog.offered(tool.name(), seat.observes()))
            .toList();
    }

    /**
     * Why the room cannot be used, as a tool error says it, asked when the host initializes a session
     * (null when it can): the name is claimed, which checks the password, that the room exists and
     * that nobody else holds the name or the host kicked it; without a name granted
     * (the original server, an observer's password) a look at the room checks the password. Also
     * told on stderr, for the host's log.
     */
    @Nullable
    private String refusal(RoomClient client, PrintWriter err) {
        try {
            client.holdName(agent.name(), "agent", cursors.tokens());
            if (!client.holdsName()) {
                client.legacy();
            }
            return null;
        } catch (RoomException e) {
            err.println("❌ " + e.getMessage());
            err.flush();
            return RoomTool.explain(e, agent.name());
        }
    }

    /** Closes the server without waiting for calls still running: stdin has ended, nobody reads their answers. */
    private static void closeSoon(McpSyncServer server) {
        Thread closing = new Thread(server::closeGracefully, "mcp-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String instructions(Seat seat) {
        String room = "the agent-chat room at " + seat.client().address();
        String topic = seat.client().topicIfAny().orElse(null);
        return seat.observes() ? ToolCatalog.observerInstructions(seat.agent(), room, topic)
            : ToolCatalog.instructions(seat.agent(), room, topic);
    }
}
