package dev.agentchat.rooms;

import dev.agentchat.api.model.SendResult;
import dev.agentchat.messages.FormPostController;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Mono;

/** {@code curl -d '{...}'} labels JSON as a form: in a named room too it is read as JSON, as at the root. */
@Controller
public class RoomFormPostController {
    private final RoomsController rooms;
    private final JsonMapper json;

    public RoomFormPostController(RoomsController rooms, JsonMapper json) {
        this.rooms = rooms;
        this.json = json;
    }

    @Post(value = "/rooms/{room}/messages", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public Mono<SendResult> sendFormLabelledJson(@PathVariable String room, @Body byte[] body) {
        return rooms.sendRoomMessage(room, FormPostController.readNewMessage(json, body));
    }
}
