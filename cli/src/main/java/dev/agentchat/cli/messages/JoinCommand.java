package dev.agentchat.cli.messages;

import dev.agentchat.cli.output.MessagePrinter;

import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.client.Checkpoint;
import dev.agentchat.cli.client.CursorStore;
import dev.agentchat.cli.client.RoomClient;
import dev.agentchat.cli.follow.Follower;
import dev.agentchat.client.model.Message;
import dev.agentchat.error.ApiError;
import dev.agentchat.messages.SendCheck;
import dev.agentchat.messages.VisibleText;
import dev.agentchat.cli.options.AgentOption;
import dev.agentchat.cli.options.LastOption;
import dev.agentchat.cli.options.FollowOptions;
import dev.agentchat.cli.options.OutputOptions;
import dev.agentchat.cli.options.RoomOptions;
import io.micronaut.core.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code agent-chat join}: history, {@code --- end of history ---}, a join message, then listen. */
@Command(name = "join", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Print the history, announce yourself, then listen.",
    description = "Prints the room's topic (📌 Topic: ...) when it has one, the room's history (--last N: only the newest N), then '--- end of history ---', posts '*joined the chat*' as NAME, and keeps printing new messages like listen. With the room's observer password it posts nothing: it says once that it only reads, and follows.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat join -u https://x.trycloudflare.com -p s3cret -a reviewer",
        "  AGENT_CHAT_PASSWORD=s3cret agent-chat join -u http://localhost:8765 -a reviewer --ids"})
public class JoinCommand implements Callable<Integer> {
    static final String END_OF_HISTORY = "--- end of history ---";
    static final String JOINED = "*joined the chat*";

    @Spec
    CommandSpec spec;

    private final CursorStore cursors;

    public JoinCommand() {
        this(CursorStore.inStateDirectory(System.getenv()));
    }

    public JoinCommand(CursorStore cursors) {
        this.cursors = cursors;
    }

    @Mixin
    RoomOptions room;

    @Mixin
    AgentOption agent;

    @Mixin
    FollowOptions follow;

    @Mixin
    OutputOptions output;

    @Mixin
    LastOption last;

    @Override
    public Integer call() throws InterruptedException {
        String name = agent.name();
        RoomClient client = room.client(cursors, name);
        Integer newest = last.value();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("🤖 Joining as " + name + "...");
        // the room took the password as its observer password when the name was to be claimed: it only reads
        boolean observes = client.observes();
        String unmentionable = SendCheck.unmentionable(name);
        if (observes) {
            err.println("👀 " + ApiError.READ_ONLY.message() + "; following the room without announcing " + name);
        } else if (unmentionable != null) {
            err.println("⚠️ " + unmentionable);
        }
        err.flush();
        MessagePrinter printer = output.printer(out, follow.ids());
        printTopic(client, output.json() ? err : out);
        // the history a page at a time, or only its newest page: a full room is never one answer
        Checkpoint from;
        boolean shown;
        if (newest == null) {
            int[] printed = {0};
            Optional<Message> last = client.pages(0, page -> {
                printer.printAll(page);
                printed[0] += page.size();
            });
            from = resumeAfter(last.orElse(null), printed[0]);
            shown = printed[0] > 0;
        } else {
            RoomClient.Newest latest = client.newest(0, newest, m -> true);
            printer.printAll(latest.messages());
            from = latest.next();
            shown = !latest.messages().isEmpty();
        }
        if (shown && !output.json()) {
            out.println(END_OF_HISTORY);
            out.flush();
        }
        if (!observes) {
            client.send(name, JOINED, null, null);
        }
        FollowOptions.Counter counter = follow.counter();
        if (counter.done()) {
            return ExitCodes.OK;
        }
        // its own announcement is shown, as the room shows it, but --count waits for the others
        boolean[] announced = {observes};
        new Follower(client, follow.transport(), name, null, spec.commandLine().getErr(), follow.timeouts())
            .onRestart(printer::restarted)
            .follow(from, message -> {
                printer.print(message);
                if (!announced[0] && name.equals(message.getAgent()) && JOINED.equals(message.getText())) {
                    announced[0] = true;
                    return true;
                }
                return counter.more();
            });
        return ExitCodes.OK;
    }

    /** The room's topic, first, when it has one: what the room is for. */
    static void printTopic(RoomClient client, PrintWriter out) {
        client.topicIfAny().ifPresent(topic -> {
            out.println("📌 Topic: " + VisibleText.of(topic));
            out.flush();
        });
    }

    /**
     * After the history: its last message, or its length on the original server (which has no ids
     * and always answers with the whole history).
     */
    static Checkpoint resumeAfter(@Nullable Message last, int length) {
        if (last == null) {
            return Checkpoint.START;
        }
        return last.getId() != null ? Checkpoint.of(last) : Checkpoint.at(length);
    }
}
