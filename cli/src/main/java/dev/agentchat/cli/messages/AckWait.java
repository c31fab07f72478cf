package dev.agentchat.cli.messages;

import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.json.Json;
import dev.agentchat.client.model.Message;
import dev.agentchat.error.ApiError;
import dev.agentchat.room.Mentions;
import io.micronaut.core.annotation.Nullable;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wait --acks ID}: looks at the message's acknowledgements until everyone it waits for has
 * acknowledged it. Acknowledgements are not messages, so no long-poll wakes for them; it asks again
 * every half second.
 */
final class AckWait {
    private static final Duration EVERY = Duration.ofMillis(500);

    private final RoomClient client;
    private final long id;
    @Nullable
    private final List<String> from;

    AckWait(RoomClient client, long id, @Nullable List<String> from) {
        this.client = client;
        this.id = id;
        this.from = from == null || from.isEmpty() ? null : from.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** @param json print the acknowledgements as one JSON object ({@code id}, {@code acks}), as {@code ack --json} does */
    int await(@Nullable Duration timeout, boolean json, PrintWriter out, PrintWriter err) throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            Message message = client.find(id).orElseThrow(() ->
                new CliException(ExitCodes.USAGE, ApiError.noSuchMessage(id)));
            List<String> waitedFor = waitedFor(message);
            List<String> acks = message.getAcks() == null ? List.of() : message.getAcks();
            List<String> missing = waitedFor.stream().filter(name -> !Mentions.includes(acks, name)).toList();
            boolean done = waitedFor.isEmpty() ? !acks.isEmpty() : missing.isEmpty();
            if (done) {
                out.println(json ? Json.object().put("id", id).put("acks", acks)
                    : "✅ #" + id + " acknowledged by " + String.join(", ", acks));
                out.flush();
                return ExitCodes.OK;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                err.println("⏳ #" + id + ": " + (acks.isEmpty() ? "no acknowledgement yet" : "acknowledged by " + String.join(", ", acks))
                    + (missing.isEmpty() ? "" : "; still waiting for " + String.join(", ", missing)));
                err.flush();
                return ExitCodes.TIMEOUT;
            }
            Thread.sleep(Math.min(EVERY.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }

    /** The --from names, else whom the message addresses (its to and mentions), its sender left out; empty: anyone. */
    private List<String> waitedFor(Message message) {
        if (from != null) {
            return from;
        }
        List<String> names = new ArrayList<>();
        List<String> to = message.getTo() == null ? List.of() : message.getTo();
        List<String> mentioned = message.getMentions() == null ? List.of() : message.getMentions();
        for (String name : concat(to, mentioned)) {
            if (!Mentions.includes(names, name) && !name.equalsIgnoreCase(message.getAgent())) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
