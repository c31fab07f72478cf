package dev.agentchat.cli.mcp;

import dev.agentchat.cli.client.Inbox;
import dev.agentchat.cli.client.RoomException;
import dev.agentchat.cli.output.MessagePrinter;
import dev.agentchat.client.model.Message;
import dev.agentchat.mcp.ToolArguments;
import dev.agentchat.mcp.ToolCatalog;
import dev.agentchat.mcp.ToolText;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code wait_for_messages {timeout_seconds, mentions_only?}}: blocks like {@code agent-chat wait}
 * (long-polls the server) until something unread arrives or the timeout passes. A wait the host
 * cancels ends at the latest when its slice does, and marks nothing read.
 */
final class WaitForMessagesTool extends RoomTool {
    /** How soon a slice that found the server gone tries again. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** The answer to a wait the host cancelled, which nobody reads. */
    private static final String CANCELLED = "Cancelled: nothing was marked read.";

    private final Duration progressEvery;

    /** @param progressEvery how often a caller that asked for progress hears from a wait */
    WaitForMessagesTool(Seat seat, Duration progressEvery) {
        super(seat, ToolCatalog.WAIT);
        this.progressEvery = progressEvery;
    }

    @Override
    String call(ToolArguments arguments, Progress progress) throws InterruptedException {
        ToolArguments.Wait wait = arguments.await(MAX_WAIT_SECONDS);
        double seconds = wait.seconds();
        boolean mentionsOnly = wait.mentionsOnly();
        Inbox inbox = seat.inbox(mentionsOnly);
        Instant start = Instant.now();
        Instant deadline = start.plusMillis(Math.round(seconds * 1000));
        // the server's trouble while it does not answer (full, restarting), said with the progress and the answer
        AtomicReference<String> trouble = new AtomicReference<>();
        // a restart found in any slice is said first in the answer (the ids the agent saw before are gone), then
        // messages dropped before they were read
        Told told = new Told();
        Consumer<String> notices = notice -> {
            told.accept(notice);
            trouble.updateAndGet(before -> Inbox.trouble(before, notice));
        };
        // In slices: the cursor saved at the end of one is where the next starts, so nothing is missed between them.
        boolean first = true;
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            List<Message> messages;
            trouble.set(null);
            try {
                // a cancelled call's messages stay unread: its answer would not be read
                messages = inbox.await(left.compareTo(progressEvery) > 0 ? progressEvery : left, notices, found -> {
                    if (progress.cancelled()) {
                        throw new CallCancelled();
                    }
                    List<Message> taken = ReadMessagesTool.firstResult(found, seat.agent());
                    if (taken.size() < found.size() && taken.get(taken.size() - 1).getId() != null) {
                        // more than one result holds: the rest stay unread for read_messages
                        throw new Inbox.TookSome(taken);
                    }
                });
            } catch (CallCancelled e) {
                return CANCELLED;
            } catch (Inbox.TookSome e) {
                return told.before(ToolText.messages(e.taken().stream().map(MessagePrinter::view).toList(), seat.agent(),
                    mentionsOnly) + "\n" + ToolText.MORE_UNREAD);
            } catch (RoomException e) {
                // a server gone when the call began is the answer; one that goes (a restart) is waited for, as in a slice
                if (first || e.kind() != RoomException.Kind.UNREACHABLE) {
                    throw e;
                }
                notices.accept(Inbox.stillWaiting(e));
                Thread.sleep(Math.max(1, Math.min(RETRY.toMillis(), Duration.between(Instant.now(), deadline).toMillis())));
                messages = List.of();
            }
            first = false;
            if (!messages.isEmpty()) {
                return told.before(
                    ToolText.messages(messages.stream().map(MessagePrinter::view).toList(), seat.agent(), mentionsOnly));
            }
            String now = trouble.get();
            if (!Instant.now().isBefore(deadline)) {
                return told.before(
                    ToolText.waitedInVain(seat.agent(), mentionsOnly, seconds) + (now == null ? "" : "\n" + now));
            }
            if (progress.cancelled()) {
                return CANCELLED;
            }
            progress.report(Duration.between(start, Instant.now()).toMillis() / 1000.0, seconds,
                now == null ? "waiting for messages" : now);
        }
    }

    /** Ends a wait the host cancelled before the cursor moves past what it found. */
    private static final class CallCancelled extends RuntimeException {
        CallCancelled() {
            super(null, null, false, false);
        }
    }
}
