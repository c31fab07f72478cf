package dev.agentchat.cli.mcp;

import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;

import java.io.StringWriter;

/** {@code export_transcript {format?}}: the room's transcript, like {@code agent-chat export}. */
final class ExportTranscriptTool extends RoomTool {
    ExportTranscriptTool(Seat seat) {
        super(seat, ToolCatalog.EXPORT);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        StringWriter transcript = new StringWriter();
        seat.client().export(arguments.exportFormat(), transcript);
        return transcript.toString();
    }
}
