package dev.agentchat.cli.client;

import dev.agentchat.cli.output.PartlyShown;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.model.PollResult;
import dev.agentchat.messages.MessageView;
import dev.agentchat.room.AnswerBudget;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * What one agent has not read yet, with its cursor saved between invocations: the logic of
 * {@code read} and {@code wait} (and of any other front end, such as an MCP server).
 */
public final class Inbox {
    private static final Duration LEGACY_POLL_INTERVAL = Duration.ofSeconds(1);
    /** What {@link #await} tells once the server answers again. */
    public static final String RECONNECTED = "🔄 Reconnected";
    private static final String RESTARTED_BEGINNING = "🔄 The room was restarted; ";
    /** What {@link #await} tells when the room turns out restarted (a new room, its ids from 1 again). */
    public static final String RESTARTED = RESTARTED_BEGINNING + "waiting from its beginning";
    /** What {@link #read} tells when the room turned out restarted since the saved cursor was taken. */
    public static final String READ_RESTARTED = RESTARTED_BEGINNING + "reading it from its beginning";
    private static final String DROPPED = "⚠️ Some messages since your last read were dropped from the room's history"
        + " before you read them; it now begins at #";
    private static final String STILL_WAITING = "; still waiting";

    private final RoomClient client;
    private final CursorStore store;
    private final String agent;
    private final boolean mentionsOnly;
    private final CursorKey key;

    /** @param mentionsOnly only messages that mention {@code agent} or are addressed to it */
    public Inbox(RoomClient client, CursorStore store, String agent, boolean mentionsOnly) {
        this.client = client;
        this.store = store;
        this.agent = agent;
        this.mentionsOnly = mentionsOnly;
        this.key = CursorKey.of(client.address(), agent, mentionsOnly);
    }

    /** Whether this agent has read this room before, under this URL or another of the room's. */
    public boolean readBefore() {
        return load(key).isPresent();
    }

    /** The cursor saved for {@code cursor}, under this URL or another of the same room. */
    private Optional<Checkpoint> load(CursorKey cursor) {
        return store.load(cursor, client.identity());
    }

    /** Saves {@code cursor} with the room's identity, when known, so that another URL of the room finds it. */
    private void save(CursorKey cursor, Checkpoint checkpoint) {
        store.save(cursor, checkpoint, client.identity().known());
    }

    /**
     * The saved cursor, if there is one. The mentions' cursor never stands behind the agent's cursor: a
     * mention read with everything else ({@code read}) is read, and one posted after that read is news
     * to a {@code wait --mentions} that comes later, not skipped by it. (The other way round they
     * differ: waiting for mentions leaves what does not concern the agent unread for its reads.) A
     * cursor the anchors show to be a restarted room's earlier self is not the later one.
     */
    private Optional<Checkpoint> saved() {
        Optional<Checkpoint> own = load(key);
        if (!mentionsOnly) {
            return own;
        }
        Optional<Checkpoint> everything = load(CursorKey.of(client.address(), agent, false));
        if (own.isEmpty() || everything.isEmpty()) {
            return own.isEmpty() ? everything : own;
        }
        return Optional.of(Checkpoint.later(everything.get(), own.get()));
    }

    /**
     * The messages after the saved cursor (the whole retained history without one, or with {@code all}),
     * moving the cursor past them; this agent's own messages are among them. They go to {@code sink} a
     * page at a time as they are read, and the cursor is saved after each page, so a room with
     * thousands of unread messages is never one answer, in memory or on the wire. A poll at the end
     * marks the agent as present and brings what was posted meanwhile; after the newest few
     * ({@code last}) it brings nothing more, and the read receipt stops at the last of them ({@link #afterNewest}).
     *
     * @param last only the newest this many of them (0: none, just move the cursor to now); null for all
     */
    public void read(boolean all, @Nullable Integer last, Consumer<List<Message>> sink) {
        read(all, last, sink, notice -> { });
    }

    /**
     * Like {@link #read(boolean, Integer, Consumer)}, telling {@code notices} when the room turned out
     * restarted since the saved cursor was taken ({@link #READ_RESTARTED}, before its messages) and when
     * messages after the saved cursor were dropped from the room's history before this read ({@link #dropped}).
     */
    public void read(boolean all, @Nullable Integer last, Consumer<List<Message>> sink, Consumer<String> notices) {
        Checkpoint from = all ? Checkpoint.START : saved().orElse(Checkpoint.START);
        if (client.legacy()) {
            PollResult result = pollLegacy(from, notices).result();
            sink.accept(newest(relevant(result.getMessages()), last));
            save(key, after(Checkpoint.START, result));
            return;
        }
        if (last != null) {
            from = verified(from, notices, READ_RESTARTED);
            RoomClient.Newest latest = client.newest(from.after(), last, this::wanted);
            show(sink, latest.messages(), key);
            from = latest.next().after() > from.after() ? latest.next() : from;
            save(key, afterNewest(latest.messages(), from));
            return;
        }
        FromCursor reading = new FromCursor(from.after(), notices);
        from = client.pagesWhile(from, page -> {
            reading.first(page);
            List<Message> wanted = relevant(page);
            if (!wanted.isEmpty()) {
                show(sink, wanted, key);
            }
            save(key, Checkpoint.of(page.get(page.size() - 1)));
            return true;
        }, reading::restarted);
        PollResult result = pollAfterRead(from);
        if (!result.getMessages().isEmpty()) {
            show(sink, relevant(result.getMessages()), key);
        }
        // the checkpoint with a timestamp, when the poll brought nothing, is what tells a restart later
        Checkpoint polled = after(from, result);
        save(key, polled.after() > from.after() ? polled : from);
    }

    /** What a bounded read answered: the messages, and whether more remain unread after them. */
    public record Answer(List<Message> messages, boolean more) {
    }

    /**
     * Like {@link #read(boolean, Integer, Consumer, Consumer)} from the saved cursor, but no more than one answer
     * holds ({@code budget}, each message counted at {@code size}): the cursor moves only past what is
     * returned, and {@link Answer#more} says that more remain for the next read.
     *
     * @param last    only the newest this many of them (0: none); null for all
     * @param notices told of a restarted room and of messages dropped before they were read, as the other read tells them
     */
    public Answer read(@Nullable Integer last, AnswerBudget budget, ToLongFunction<Message> size, Consumer<String> notices) {
        Checkpoint from = saved().orElse(Checkpoint.START);
        AnswerTaker answer = new AnswerTaker(budget, size, this::wanted);
        if (client.legacy()) {
            return readLegacy(from, last, answer, notices);
        }
        if (last != null) {
            from = verified(from, notices, READ_RESTARTED);
            RoomClient.Newest latest = client.newest(from.after(), last, this::wanted);
            // the newest few, oldest first, are all wanted: what does not fit stays unread after the last taken
            if (!answer.take(latest.messages())) {
                return answered(answer, Checkpoint.of(answer.passed()));
            }
            from = latest.next().after() > from.after() ? latest.next() : from;
            save(key, afterNewest(answer.taken(), from));
            return new Answer(answer.taken(), false);
        }
        FromCursor reading = new FromCursor(from.after(), notices);
        Checkpoint reached = client.pagesWhile(from, page -> {
            reading.first(page);
            return answer.take(page);
        }, reading::restarted);
        if (answer.full()) {
            return answered(answer, Checkpoint.of(answer.passed()));
        }
        PollResult result = pollAfterRead(reached);
        if (!answer.take(result.getMessages())) {
            return answered(answer, Checkpoint.of(answer.passed()));
        }
        Checkpoint polled = after(reached, result);
        save(key, polled.after() > reached.after() ? polled : reached);
        return new Answer(answer.taken(), false);
    }

    /** The original server: one answer with everything after an index, which the cursor counts. */
    private Answer readLegacy(Checkpoint from, @Nullable Integer last, AnswerTaker answer, Consumer<String> notices) {
        LegacyPoll legacy = pollLegacy(from, notices);
        PollResult result = legacy.result();
        long start = legacy.after();
        List<Message> all = result.getMessages();
        if (answer.take(newest(relevant(all), last))) {
            save(key, after(Checkpoint.START, result));
            return new Answer(answer.taken(), false);
        }
        int passed = 0;
        while (all.get(passed) != answer.passed()) {
            passed++;
        }
        return answered(answer, Checkpoint.at(start + passed + 1));
    }

    /** What the original server answered a read, and the index its messages come after. */
    private record LegacyPoll(PollResult result, long after) {
    }

    /**
     * What the original server has after {@code from}: everything it has when it turns out restarted (its
     * history shorter than the cursor), told on {@code notices}.
     */
    private LegacyPoll pollLegacy(Checkpoint from, Consumer<String> notices) {
        PollResult result = poll(from, null);
        if (result.getNext() < from.after()) {
            notices.accept(READ_RESTARTED);
            return new LegacyPoll(poll(Checkpoint.START, null), 0);
        }
        return new LegacyPoll(result, from.after());
    }

    /**
     * The pages of one read from a cursor at {@code after}: the first tells whether messages after it
     * were dropped before they were read ({@link #dropped}), unless the room turned out restarted
     * ({@link #READ_RESTARTED}), where every message is new.
     */
    private static final class FromCursor {
        private final Consumer<String> notices;
        private long after;
        private boolean first = true;

        FromCursor(long after, Consumer<String> notices) {
            this.after = after;
            this.notices = notices;
        }

        void restarted() {
            after = 0;
            notices.accept(READ_RESTARTED);
        }

        void first(List<Message> page) {
            if (first) {
                first = false;
                tellDropped(after, page, notices);
            }
        }
    }

    /**
     * A full answer: the agent's read receipt goes to the last message returned ({@link #receiptAt}), the
     * cursor to the last message it read past, and more remain.
     */
    private Answer answered(AnswerTaker answer, Checkpoint passed) {
        receiptAt(answer.taken());
        save(key, passed);
        return new Answer(answer.taken(), true);
    }

    /**
     * The poll that ends a read that leaves messages unread: like {@link #pollAfterRead}, it shows the agent
     * present and moves its read receipt to the last of {@code returned}, but asks for that message alone
     * (a poll's {@code limit}), so the receipt goes no further than what the agent was shown.
     */
    private void receiptAt(List<Message> returned) {
        Long last = returned.isEmpty() ? null : returned.get(returned.size() - 1).getId();
        if (last != null && !client.legacy()) {
            receiptAt(last);
        }
    }

    /** A poll of message {@code id} alone, under the agent's name: its read receipt reaches that message. */
    private PollResult receiptAt(long id) {
        return client.poll(id - 1, null, 1, agent, null);
    }

    /**
     * The end of a read of the newest few ({@code last}), which read the room up to {@code reached}: a poll
     * shows the agent present and moves its read receipt to the last of {@code shown} (with none shown, to
     * {@code reached}), asking for that message alone (a poll's {@code limit}), so that what was posted
     * during the read is neither marked read nor passed by the cursor. Answers where the cursor goes:
     * {@code reached}, or past what a server that ignores {@code limit} gave, as before it had one.
     */
    private Checkpoint afterNewest(List<Message> shown, Checkpoint reached) {
        Long last = shown.isEmpty() ? null : shown.get(shown.size() - 1).getId();
        long upTo = last != null ? last : reached.after();
        if (upTo <= 0) {
            return reached; // an empty room: nothing to mark read
        }
        Checkpoint polled = after(reached, receiptAt(upTo));
        return polled.after() > reached.after() ? polled : reached;
    }

    /** The newest {@code last} of {@code messages} (all of them when {@code last} is null). */
    public static List<Message> newest(List<Message> messages, @Nullable Integer last) {
        if (last == null || last >= messages.size()) {
            return messages;
        }
        return messages.subList(messages.size() - last, messages.size());
    }

    /**
     * Blocks until at least one unread message from someone else arrives and returns it with any
     * others that came along, moving the cursor past them. This agent's own messages never end the
     * wait and are not returned (it knows them), but the cursor moves past them. Without a saved
     * cursor, only messages posted from now on count, and the wait keeps its own cursor
     * ({@link CursorKey#beforeFirstRead}) until a read saves one: the history it skipped stays unread.
     * On timeout returns an empty list (the cursor is saved, so nothing posted meanwhile is lost).
     * A server that cannot be reached or is full (503) once the wait began is waited for until the
     * deadline; {@code notices} hears of it once, and once more when the server answers again. The
     * server that answers may be a restarted one (the client claims the name again): the cursor is
     * checked against it, and a restarted room's messages are all new. A restart found, then or
     * since the saved cursor was taken, is told ({@link #RESTARTED}) before those messages.
     *
     * @param timeout null to wait as long as it takes
     * @param notices told, a line at a time, when the server stops answering, when it answers again
     *                and when the room turns out restarted
     */
    public List<Message> await(@Nullable Duration timeout, Consumer<String> notices) throws InterruptedException {
        return await(timeout, notices, messages -> { });
    }

    /**
     * Like {@link #await(Duration, Consumer)}, handing the messages to {@code sink} before the cursor
     * moves past them: a sink that fails (output that cannot be written) leaves them unread.
     */
    public List<Message> await(@Nullable Duration timeout, Consumer<String> notices, Consumer<List<Message>> sink)
        throws InterruptedException {
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        Optional<Checkpoint> saved = saved();
        CursorKey cursor = key;
        if (saved.isEmpty()) {
            cursor = key.beforeFirstRead();
            saved = load(cursor);
        }
        Outage outage = new Outage(notices);
        Start start;
        while (true) {
            try {
                start = start(saved, cursor, notices, sink);
                outage.over();
                break;
            } catch (RoomException e) {
                Duration left = left(deadline);
                // a name that read here before waits for a server that is away (restarting, perhaps) as it
                // would mid-wait; a first wait fails at once, for a mistyped URL is likelier
                if (e.kind() != RoomException.Kind.UNREACHABLE || saved.isEmpty() || left.isNegative() || left.isZero()) {
                    throw e;
                }
                outage.waitOut(e, left);
            }
        }
        if (start.delivered() != null) {
            return start.delivered();
        }
        return follow(start.from(), cursor, deadline, outage, notices, sink);
    }

    /** What is left of a wait until {@code deadline}; without one, as long as a poll may hold. */
    private static Duration left(@Nullable Instant deadline) {
        return deadline == null ? RoomClient.MAX_POLL_WAIT : Duration.between(Instant.now(), deadline);
    }

    /**
     * A server that stopped answering while a wait goes on: told once ({@link #stillWaiting}), waited
     * for with backoff, and told when it answers again ({@link #RECONNECTED}).
     */
    private static final class Outage {
        private final Consumer<String> notices;
        private final Backoff backoff = Backoff.standard();
        private boolean lost;

        Outage(Consumer<String> notices) {
            this.notices = notices;
        }

        /** The server did not answer: said the first time, then waited out for a while, at most {@code left}. */
        void waitOut(RoomException e, Duration left) throws InterruptedException {
            if (!lost) {
                lost = true;
                notices.accept(stillWaiting(e));
            }
            Thread.sleep(Math.min(backoff.next().toMillis(), Math.max(1, left.toMillis())));
        }

        /** The server answered. */
        void over() {
            backoff.reset();
            if (lost) {
                lost = false;
                notices.accept(RECONNECTED);
            }
        }
    }

    /** Where a wait starts: from a checkpoint, or already done with what was waiting. */
    private record Start(Checkpoint from, @Nullable List<Message> delivered) {
    }

    /**
     * The first requests of a wait: the checkpoint checked against the room (a restart), and what is
     * already waiting after it, delivered.
     */
    private Start start(Optional<Checkpoint> saved, CursorKey cursor, Consumer<String> notices,
                        Consumer<List<Message>> sink) {
        boolean legacy = client.legacy();
        if (saved.isEmpty()) {
            // asked without the agent's name: a poll under it would give it the history it skips
            return new Start(legacy ? Checkpoint.at(poll(Checkpoint.START, null).getNext()) : client.newestMessage(), null);
        }
        if (legacy) {
            return new Start(saved.get(), null);
        }
        if (mentionsOnly || !saved.get().checkable()) {
            return new Start(verified(saved.get(), notices), null);
        }
        // one poll from the message the checkpoint is checked against checks the room (a restart) and brings what is waiting
        Checkpoint checkpoint = saved.get();
        PollResult result = poll(Checkpoint.at(checkpoint.checkFrom()), null);
        Optional<List<Message>> newer = checkpoint.newerIn(result.getMessages());
        if (newer.isEmpty()) {
            return new Start(restarted(notices), null);
        }
        if (!mentionsOnly) {
            tellDropped(checkpoint.after(), newer.get(), notices);
        }
        List<Message> messages = newer.get().stream().filter(message -> !own(message)).toList();
        Checkpoint next = after(checkpoint, result);
        if (!messages.isEmpty()) {
            return new Start(next, delivered(messages, next, sink, cursor));
        }
        return new Start(next.after() > checkpoint.after() ? next : checkpoint, null);
    }

    /** Waits from {@code from} until a message for this reader comes or the deadline passes. */
    private List<Message> follow(Checkpoint from, CursorKey cursor, @Nullable Instant deadline, Outage outage,
                                 Consumer<String> notices, Consumer<List<Message>> sink) throws InterruptedException {
        boolean legacy = client.legacy();
        // after a loss the server may be another (restarted): its ids start again, so the cursor is checked
        boolean check = false;
        while (true) {
            Duration left = left(deadline);
            if (left.isNegative() || left.isZero()) {
                // waiting for mentions brings no other message to anchor the cursor to (after a restart, the
                // agent's own cursor, still the old room's, would otherwise pass for the later one next time)
                save(cursor, mentionsOnly ? anchored(from) : from);
                return List.of();
            }
            Duration hold = left.compareTo(RoomClient.MAX_POLL_WAIT) > 0 ? RoomClient.MAX_POLL_WAIT : left;
            PollResult result;
            try {
                if (check) {
                    from = verified(from, notices);
                    check = false;
                }
                result = poll(from, legacy ? null : hold);
                outage.over();
            } catch (RoomException e) {
                if (e.kind() != RoomException.Kind.UNREACHABLE) {
                    throw e;
                }
                check = !legacy;
                outage.waitOut(e, left);
                continue; // the server is restarting, perhaps: keep waiting until the deadline
            }
            if (result.getNext() < from.after()) {
                from = restarted(notices); // everything it has is new
                if (legacy) {
                    continue;
                }
            }
            if (!mentionsOnly && !legacy) {
                tellDropped(from.after(), result.getMessages(), notices);
            }
            List<Message> messages = relevant(result).stream().filter(m -> !own(m)).toList();
            Checkpoint next = after(from, result);
            if (!messages.isEmpty()) {
                return delivered(messages, next, sink, cursor);
            }
            from = next.after() > from.after() ? next : from;
            if (legacy) {
                Thread.sleep(Math.min(LEGACY_POLL_INTERVAL.toMillis(), Math.max(1, left.toMillis())));
            }
        }
    }

    /** {@code from} anchored in the room ({@link RoomClient#anchored}), as it is when the room cannot say. */
    private Checkpoint anchored(Checkpoint from) {
        try {
            return client.anchored(from);
        } catch (RoomException e) {
            return from;
        }
    }

    /** {@code from} checked against the room ({@link RoomClient#verify}): the start of a restarted one, told on {@code notices}. */
    private Checkpoint verified(Checkpoint from, Consumer<String> notices) {
        return verified(from, notices, RESTARTED);
    }

    /** Like {@link #verified(Checkpoint, Consumer)}, a restart told as {@code restart}. */
    private Checkpoint verified(Checkpoint from, Consumer<String> notices, String restart) {
        Checkpoint checked = client.verify(from);
        return checked == from ? from : restarted(notices, restart);
    }

    /** The room turned out restarted: told on {@code notices}, and waited on from its beginning. */
    private static Checkpoint restarted(Consumer<String> notices) {
        return restarted(notices, RESTARTED);
    }

    /** The room turned out restarted: told on {@code notices} as {@code restart}, and followed from its beginning. */
    private static Checkpoint restarted(Consumer<String> notices, String restart) {
        notices.accept(restart);
        return Checkpoint.START;
    }

    /** Whether {@code notice} says the room turned out restarted ({@link #RESTARTED}, {@link #READ_RESTARTED}). */
    public static boolean restart(String notice) {
        return notice.startsWith(RESTARTED_BEGINNING);
    }

    /** Whether {@code notice} says that messages were dropped before they were read ({@link #dropped}). */
    public static boolean droppedNotice(String notice) {
        return notice.startsWith(DROPPED);
    }

    private List<Message> delivered(List<Message> messages, Checkpoint next, Consumer<List<Message>> sink,
                                    CursorKey cursor) {
        show(sink, messages, cursor);
        save(cursor, next);
        return messages;
    }

    /**
     * Gives {@code messages} to {@code sink}; when the output took only some of them, the cursor moves
     * past those before the failure goes on (messages with ids: the original server's are counted, not named).
     */
    private void show(Consumer<List<Message>> sink, List<Message> messages, CursorKey cursor) {
        try {
            sink.accept(messages);
        } catch (PartlyShown e) {
            e.lastShown().filter(shown -> shown.getId() != null).ifPresent(shown -> save(cursor, Checkpoint.of(shown)));
            throw e;
        } catch (TookSome e) {
            save(cursor, Checkpoint.of(e.taken().get(e.taken().size() - 1)));
            throw e;
        }
    }

    /**
     * Thrown by a sink of {@link #await} that takes only the first of the messages it is given (an answer
     * that holds no more): the cursor moves past those, and the rest stay unread.
     */
    public static final class TookSome extends RuntimeException {
        private final transient List<Message> taken;

        /** @param taken the first of the messages given, at least one, each with its id */
        public TookSome(List<Message> taken) {
            super(null, null, false, false);
            this.taken = List.copyOf(taken);
        }

        public List<Message> taken() {
            return taken;
        }
    }

    /**
     * The server's trouble after a notice of {@link #await}: the notice itself when it says the server
     * stopped answering ({@link #stillWaiting}), none once it answers again ({@link #RECONNECTED}), and
     * {@code before} after any other notice: a room found restarted ({@link #RESTARTED}), which may be
     * told while the server is still away, or messages found dropped ({@link #dropped}).
     *
     * @param before the trouble before this notice, null for none
     */
    @Nullable
    public static String trouble(@Nullable String before, String notice) {
        if (notice.equals(RECONNECTED)) {
            return null;
        }
        return notice.endsWith(STILL_WAITING) ? notice : before;
    }

    /**
     * What {@code read} and {@code wait} tell when the first message after a cursor at {@code after}
     * is not the next one: the room dropped those between from its history (its {@code max-history},
     * its memory budget) before they were read. Nothing for no cursor: the history before an agent's
     * first read is not its loss.
     */
    public static Optional<String> dropped(long after, List<Message> fromCursor) {
        if (after <= 0 || fromCursor.isEmpty() || fromCursor.get(0).getId() == null || fromCursor.get(0).getId() <= after + 1) {
            return Optional.empty();
        }
        return Optional.of(DROPPED + fromCursor.get(0).getId());
    }

    private static void tellDropped(long after, List<Message> fromCursor, Consumer<String> notices) {
        dropped(after, fromCursor).ifPresent(notices);
    }

    /** What {@link #await} tells when the server stops answering (unreachable, full, stopping). */
    public static String stillWaiting(RoomException lost) {
        return "⚠️ " + lost.getMessage() + STILL_WAITING;
    }

    private boolean own(Message message) {
        return MessageView.isOwn(message.getAgent(), agent);
    }

    private PollResult poll(Checkpoint from, @Nullable Duration wait) {
        return client.poll(from.after(), wait, agent, mentionsOnly ? agent : null);
    }

    /**
     * The poll that ends a read: it shows the agent present and brings what was posted meanwhile. It
     * asks from just before {@code read}, the last message read, and so is given that message again:
     * the room moves the agent's read receipt only to messages a poll gives it. That message is left
     * out of the result.
     */
    private PollResult pollAfterRead(Checkpoint read) {
        if (read.after() == 0 || client.legacy()) {
            return poll(read, null);
        }
        PollResult result = poll(Checkpoint.at(read.after() - 1), null);
        List<Message> newer = result.getMessages().stream()
            .filter(message -> message.getId() == null || message.getId() > read.after()).toList();
        return new PollResult().messages(newer).next(Math.max(result.getNext(), read.after()));
    }

    /** The messages of a poll this inbox wants (the original server does not filter by itself). */
    private List<Message> relevant(PollResult result) {
        return relevant(result.getMessages());
    }

    private List<Message> relevant(List<Message> messages) {
        return mentionsOnly ? messages.stream().filter(this::wanted).toList() : messages;
    }

    private boolean wanted(Message message) {
        return !mentionsOnly || MentionFilter.concerns(message, agent);
    }

    /**
     * The cursor after a poll from {@code from}: at the poll's {@code next}, checked against the last
     * message it gave, else (it gave none: nothing new, or nothing this inbox is given) against what
     * {@code from} was.
     */
    private static Checkpoint after(Checkpoint from, PollResult result) {
        List<Message> all = result.getMessages();
        Checkpoint.Anchor last = all.isEmpty() ? null : Checkpoint.anchorOf(all.get(all.size() - 1));
        if (last != null) {
            return new Checkpoint(result.getNext(), last);
        }
        return all.isEmpty() && result.getNext() >= from.after() ? from.movedTo(result.getNext()) : Checkpoint.at(result.getNext());
    }
}
