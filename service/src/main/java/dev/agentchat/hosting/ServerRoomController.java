package dev.agentchat.hosting;

import dev.agentchat.coordination.CoordinationOperations;
import dev.agentchat.messages.MessageOperations;
import dev.agentchat.messages.ParkedPolls;
import dev.agentchat.messages.UnreadMessages;
import io.micronaut.http.annotation.Controller;
import io.micronaut.json.JsonMapper;

/** The server's own room, whose base URL is the server's root (the original protocol's paths). */
@Controller
public class ServerRoomController extends RoomController {

    public ServerRoomController(MessageOperations operations, UnreadMessages unread, CoordinationOperations coordination,
                                JsonMapper json, NameRules rules, RoomThreading threading, RoomRegistry registry,
                                ParkedPolls parkedPolls) {
        super(operations, unread, coordination, json, rules, threading, registry, parkedPolls);
    }
}
