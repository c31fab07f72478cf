package dev.agentchat.messages;

import dev.agentchat.api.model.NewMessage;
import dev.agentchat.api.model.SendResult;
import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Mono;

import java.io.IOException;

/**
 * The original server read every POST body as JSON whatever its content type, so agents post with
 * {@code curl -d '{...}'}, which labels the JSON as a form. Such a body is read as JSON here;
 * other non-JSON content types are refused with 415.
 */
@Controller
public class FormPostController {
    private final MessagesController messages;
    private final JsonMapper json;

    public FormPostController(MessagesController messages, JsonMapper json) {
        this.messages = messages;
        this.json = json;
    }

    @Post(value = "/messages", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public Mono<SendResult> sendFormLabelledJson(@Body byte[] body) {
        NewMessage message;
        try {
            message = json.readValue(body, NewMessage.class);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ApiError.INVALID_JSON.exception();
        }
        return messages.sendMessage(message);
    }
}
