package dev.agentchat.cli.mcp;

import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;

import java.io.StringWriter;

/** {@code export_transcript {format?, after?}}: the room's transcript in parts, like {@code agent-chat export --max-bytes}. */
final class ExportTranscriptTool extends RoomTool {
    ExportTranscriptTool(Seat seat) {
        super(seat, ToolCatalog.EXPORT);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        ToolArguments.Export export = arguments.export();
        StringWriter transcript = new StringWriter();
        seat.client().export(export.format(), export.after(), ToolCatalog.RESULT_MAX_BYTES, transcript);
        return transcript.toString();
    }
}
