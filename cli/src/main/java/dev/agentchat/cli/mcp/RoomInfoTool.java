package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.hosting.RoomName;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

/** {@code room_info {}}: like {@code agent-chat topic} and {@code agent-chat brake} together. */
final class RoomInfoTool extends RoomTool {
    RoomInfoTool(Seat seat) {
        super(seat, ToolCatalog.ROOM);
    }

    @Override
    String call(ToolArguments arguments, Progress progress) {
        RoomClient.About about = seat.client().about();
        RoomClient.Brake brake = about.brake();
        return ToolText.room(RoomName.title(about.name()), about.topic(), brake.agentTurns(), brake.limit(), brake.engaged());
    }
}
