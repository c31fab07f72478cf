package dev.agentchat.hosting;

import dev.agentchat.messages.MessageOperations;
import io.micronaut.http.annotation.Controller;
import io.micronaut.json.JsonMapper;

/** The server's own room, whose base URL is the server's root (the original protocol's paths). */
@Controller
public class ServerRoomController extends RoomController {

    public ServerRoomController(MessageOperations operations, JsonMapper json) {
        super(operations, json);
    }
}
