package dev.agentchat.cli.client;

import dev.agentchat.client.model.Agent;
import dev.agentchat.client.model.Message;
import dev.agentchat.messages.NewMessageValidator;
import dev.agentchat.room.Mentions;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is checked before a message is posted, so that it works as meant. Which checks warn and which
 * refuse (documented in cli/README.md):
 * <ul>
 *   <li>a name that breaks the name rule (empty, over 64 characters, control characters): refused,
 *       the server would refuse it too;</li>
 *   <li>{@code reply_to} an id the room has not reached yet: refused, it answers nothing;</li>
 *   <li>a sender name that cannot be {@code @mentioned}, {@code to} a name nobody in the room has used,
 *       {@code reply_to} a message dropped from the history: a warning, the message is still sent.</li>
 * </ul>
 */
public final class SendCheck {
    private SendCheck() {
    }

    /**
     * What speaks against sending.
     *
     * @param refusal  why sending is surely a mistake, or null
     * @param warnings what may not work as meant, one line each
     */
    public record Verdict(@Nullable String refusal, List<String> warnings) {
    }

    /** Why {@code name} breaks the name rule of the room, or null when it does not. */
    @Nullable
    public static String invalidName(String name) {
        if (NewMessageValidator.isValidName(name)) {
            return null;
        }
        String shown = name.codePoints().limit(40)
            .collect(StringBuilder::new, (b, c) -> {
                if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                    b.append(String.format("\\u%04x", c));
                } else {
                    b.appendCodePoint(c);
                }
            }, StringBuilder::append).toString();
        return "Invalid name '" + shown + (name.codePointCount(0, name.length()) > 40 ? "…" : "")
            + "': names are 1 to 64 characters without control characters";
    }

    /** Whether others can write {@code @name} to reach this name (the server's one mention rule). */
    public static boolean mentionable(String name) {
        List<String> found = Mentions.in("@" + name);
        return found.size() == 1 && found.get(0).equals(name);
    }

    /** The warning for a sender whose name cannot be {@code @mentioned}, or null. */
    @Nullable
    public static String unmentionable(String name) {
        return mentionable(name) ? null
            : "Others cannot @mention '" + name + "': a mention is @ followed by letters, digits, '.', '_' or '-'"
                + " (they can still address you with to)";
    }

    /** Asks the room about the recipients and the message answered (nothing against the original server). */
    public static Verdict check(RoomClient client, String agent, List<String> to, @Nullable Long replyTo) {
        List<String> warnings = new ArrayList<>();
        String name = unmentionable(agent);
        if (name != null) {
            warnings.add(name);
        }
        if (client.legacy()) {
            return new Verdict(null, warnings);
        }
        if (replyTo != null) {
            Optional<Message> answered = client.firstFrom(replyTo);
            if (answered.isEmpty()) {
                return new Verdict("There is no message #" + replyTo + " in this room (yet): check the id to answer", warnings);
            }
            if (answered.get().getId() != null && answered.get().getId() != replyTo.longValue()) {
                warnings.add("Message #" + replyTo + " is no longer in the room's history; the reply points at it anyway");
            }
        }
        if (!to.isEmpty()) {
            List<String> known = client.agents().stream().map(Agent::getName).toList();
            for (String recipient : to) {
                if (!Mentions.includes(known, recipient)) {
                    warnings.add("Nobody named '" + recipient + "' has spoken or listened in this room yet"
                        + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")"));
                }
            }
        }
        return new Verdict(null, warnings);
    }
}
