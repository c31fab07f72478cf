package dev.agentchat.messages;

import dev.agentchat.error.ApiError;

import dev.agentchat.room.Mentions;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * What is checked before a message is posted, so that it works as meant; the one set of rules and
 * wordings for the CLI's {@code send}, its MCP server and the room's MCP endpoint. Which checks warn
 * and which refuse (documented in cli/README.md):
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
                if (NewMessageValidator.hidden(c) || NewMessageValidator.isVariationSelector(c)) {
                    b.append(String.format("\\u%04x", c));
                } else {
                    b.appendCodePoint(c);
                }
            }, StringBuilder::append).toString();
        return "Invalid name '" + shown + (name.codePointCount(0, name.length()) > 40 ? "…" : "")
            + "': names are " + ApiError.NAME_RULE;
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

    /** Only the checks that need nothing from the room (for a room that cannot tell more). */
    public static Verdict offline(String agent) {
        List<String> warnings = new ArrayList<>();
        String name = unmentionable(agent);
        if (name != null) {
            warnings.add(name);
        }
        return new Verdict(null, warnings);
    }

    /**
     * Every check, asking the room only what is needed.
     *
     * @param firstIdFrom the id of the first retained message with an id from the given one on, if any
     * @param known       the names of everyone who has spoken or listened in the room
     */
    public static Verdict check(String agent, List<String> to, @Nullable Long replyTo,
                                LongFunction<OptionalLong> firstIdFrom, Supplier<List<String>> known) {
        List<String> warnings = new ArrayList<>(offline(agent).warnings());
        if (replyTo != null) {
            OptionalLong answered = firstIdFrom.apply(replyTo);
            if (answered.isEmpty()) {
                return new Verdict(ApiError.noSuchMessage(replyTo), warnings);
            }
            if (answered.getAsLong() != replyTo) {
                warnings.add("Message #" + replyTo + " is no longer in the room's history; the reply points at it anyway");
            }
        }
        if (!to.isEmpty()) {
            List<String> names = known.get();
            // the sender is left out of the names shown: whether it is known yet depends on the front end
            List<String> others = names.stream().filter(name -> !MessageView.isOwn(name, agent)).toList();
            for (String recipient : to) {
                if (!Mentions.includes(names, recipient) && !MessageView.isOwn(recipient, agent)) {
                    warnings.add("Nobody named '" + recipient + "' has spoken or listened in this room yet"
                        + (others.isEmpty() ? "" : " (known: " + String.join(", ", others) + ")"));
                }
            }
        }
        return new Verdict(null, warnings);
    }
}
