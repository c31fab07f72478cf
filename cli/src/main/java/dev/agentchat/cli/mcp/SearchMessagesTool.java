package dev.agentchat.cli.mcp;

import dev.agentchat.cli.output.MessagePrinter;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code search_messages {query, from?, before?, limit?}}: what was said, like {@code agent-chat search}. */
final class SearchMessagesTool extends RoomTool {
    SearchMessagesTool(Seat seat) {
        super(seat, ToolCatalog.SEARCH);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        ToolArguments.Search search = arguments.search();
        return ToolText.found(seat.client().search(search.query(), search.from(), null, search.before(), search.limit())
            .stream().map(MessagePrinter::view).toList(), search.query(), search.from(), seat.agent());
    }
}
