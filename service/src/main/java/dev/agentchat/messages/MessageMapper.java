package dev.agentchat.messages;

import dev.agentchat.api.model.AgentKind;
import dev.agentchat.api.model.Message;
import dev.agentchat.room.ChatMessage;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns the room's messages into the API's {@link Message} and its JSON. */
@Singleton
public class MessageMapper {
    private final JsonMapper json;

    public MessageMapper(JsonMapper json) {
        this.json = json;
    }

    public Message toApi(ChatMessage m) {
        Message message = new Message(m.id(), m.agent(), m.text(), m.timestamp());
        if (!m.mentions().isEmpty()) {
            message.setMentions(m.mentions());
        }
        if (!m.to().isEmpty()) {
            message.setTo(m.to());
        }
        message.setReplyTo(m.replyTo());
        if (m.ackOnly()) {
            message.setAckOnly(true);
        }
        if (m.ackRequested()) {
            message.setAckRequested(true);
            message.setAcks(List.of());
        }
        message.setKind(AgentKind.fromValue(m.kind()));
        message.setVerified(m.verified());
        return message;
    }

    public List<Message> toApi(List<ChatMessage> messages) {
        return messages.stream().map(this::toApi).toList();
    }

    /**
     * The messages with their JSON made again where they have been acknowledged since they were posted
     * (their stored JSON has no acknowledgements); the others are the same objects, so their frames stay shared.
     */
    public List<ChatMessage> withAcks(List<ChatMessage> messages,
                                      Function<Collection<Long>, Map<Long, List<String>>> acks) {
        if (messages.isEmpty()) {
            return messages;
        }
        Map<Long, List<String>> found = acks.apply(messages.stream().map(ChatMessage::id).toList());
        if (found.isEmpty()) {
            return messages;
        }
        List<ChatMessage> current = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            List<String> names = found.get(m.id());
            current.add(names == null ? m : withAcks(m, names));
        }
        return current;
    }

    /** The message with {@code names} as its acknowledgements, in its JSON too. */
    public ChatMessage withAcks(ChatMessage m, List<String> names) {
        return m.withJson(write(toApi(m).acks(names)));
    }

    /** The message's JSON, on one line: the {@code data} of its stream event. */
    public String json(ChatMessage m) {
        return write(toApi(m));
    }

    /** The message's JSON without its id, for a store that gives the id as it saves the message. */
    public String jsonWithoutId(ChatMessage m) {
        return write(toApi(m).id(null));
    }

    /** The length of the message's JSON, as an answer's budget counts it ({@code AnswerBudget}). */
    public long jsonLength(Message message) {
        return write(message).length();
    }

    private String write(Message message) {
        try {
            return json.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
