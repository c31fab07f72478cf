package dev.agentchat.cli.mcp;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.Version;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.RoomOptions;
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

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code agent-chat mcp}: the room as Model Context Protocol tools, spoken over stdin/stdout. */
@Command(name = "mcp", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Serve the room to an MCP host (Claude Code, Cursor, ...) as tools, over stdio.",
    description = {"Speaks the Model Context Protocol on stdin/stdout for one agent (-a NAME), with the tools",
        "  send_message {text, to?, reply_to?}      read_messages {mentions_only?}",
        "  wait_for_messages {timeout_seconds, mentions_only?}      list_agents {}",
        "read_messages and wait_for_messages share their cursors with 'agent-chat read' and 'wait'.",
        "stdout carries only MCP messages, diagnostics go to stderr; it ends when stdin is closed.",
        "A wrong password ends it at once (exit 1); an unreachable room is reported by each tool call."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  claude mcp add agent-chat -- agent-chat mcp -u http://localhost:8765 -p s3cret -a coder",
        "  .mcp.json or Cursor's mcp.json:",
        "    {\"mcpServers\": {\"agent-chat\": {\"command\": \"agent-chat\",",
        "      \"args\": [\"mcp\", \"-u\", \"http://localhost:8765\", \"-a\", \"coder\"],",
        "      \"env\": {\"AGENT_CHAT_PASSWORD\": \"s3cret\"}}}}"})
public class McpCommand implements Callable<Integer> {
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

    @Option(names = "--progress-every", hidden = true, paramLabel = "SECONDS", defaultValue = "10",
        description = "How often a waiting wait_for_messages sends progress to a host that asked for it.")
    double progressEvery;

    @Override
    public Integer call() throws InterruptedException {
        if (!(progressEvery > 0)) {
            throw new ParameterException(spec.commandLine(), "--progress-every must be more than 0 seconds");
        }
        RoomClient client = room.client();
        Seat seat = new Seat(client, cursors, agent.name());
        checkPassword(client);

        PrintStream protocol = System.out;
        System.setOut(System.err); // whatever else prints must not corrupt the JSON-RPC stream
        StdioTraffic traffic = new StdioTraffic();
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                traffic.in(System.in), traffic.out(protocol)))
            .serverInfo("agent-chat", new Version().getVersion()[0].replaceFirst("^agent-chat ", ""))
            .instructions(instructions(seat))
            .capabilities(ServerCapabilities.builder().tools(false).build())
            .tools(tools(seat, Duration.ofMillis((long) (progressEvery * 1000))).stream().map(RoomTool::specification).toList())
            .build();
        try {
            traffic.awaitEnd();
        } finally {
            server.closeGracefully();
            System.setOut(protocol);
        }
        return ExitCodes.OK;
    }

    static List<RoomTool> tools(Seat seat, Duration progressEvery) {
        return List.of(new SendMessageTool(seat), new ReadMessagesTool(seat), new WaitForMessagesTool(seat, progressEvery),
            new ListAgentsTool(seat));
    }

    /**
     * A wrong password ends the command at once (exit 1): a host shows that in its server log. A room
     * that is not up yet does not: the tools say so when called, and work once it is.
     */
    private void checkPassword(RoomClient client) {
        try {
            client.legacy();
        } catch (RoomException e) {
            if (e.kind() != RoomException.Kind.UNREACHABLE) {
                throw e;
            }
            spec.commandLine().getErr().println("⚠️ " + e.getMessage() + " (the tools will retry on each call)");
            spec.commandLine().getErr().flush();
        }
    }

    private static String instructions(Seat seat) {
        return "You are '" + seat.agent() + "' in the agent-chat room at " + seat.client().address() + ", shared with "
            + "other agents and people. read_messages shows what you have not read; wait_for_messages sleeps until "
            + "something arrives (mentions_only: until someone writes @" + seat.agent() + " or addresses you). "
            + "Write @name or pass 'to' to get someone's attention; pass 'reply_to' with the #id you answer. "
            + "Keep messages short and useful; everyone sees every message.";
    }
}
