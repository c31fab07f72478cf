package dev.agentchat.room;

import dev.agentchat.error.ApiError;
import dev.agentchat.memory.ByteSize;
import dev.agentchat.memory.MemorySettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The bytes of message history the rooms of this server hold, within three budgets: each room at
 * most {@code history-per-room}, all rooms together at most {@code history-total}, and every room
 * sure of its {@code room-reserve}, so a new room is admitted only while the reserves of all rooms
 * fit in the total. A room drops its own oldest messages to stay within its budget; when the total
 * is exceeded, the room holding the most beyond its reserve drops its oldest, so one busy room cannot
 * push the others below their reserve. A dropped message is reported to a resuming stream by its
 * {@code truncated} event, as with the count cap.
 *
 * <p>A message's weight is what the JVM holds for it: its text and its JSON (one byte per character
 * when they are Latin-1, two otherwise), its names and a fixed allowance for the objects around them.
 */
@Singleton
public class HistoryBudget {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryBudget.class);
    /** The objects around a message's strings: the record, its timestamp, lists, the history's slot. */
    private static final long OVERHEAD = 256;
    private static final long STRING_OVERHEAD = 48;
    /** Seconds a refused room creation is told to wait: rooms free their reserve when they expire. */
    static final long RETRY_AFTER_SECONDS = 60;

    private final long total;
    private final long perRoom;
    private final long reserve;
    private final AtomicLong used = new AtomicLong();
    private final Set<Account> accounts = ConcurrentHashMap.newKeySet();

    @Inject
    public HistoryBudget(MemorySettings settings, RoomSettings roomSettings) {
        this(ByteSize.parse(settings.historyTotal()), ByteSize.parse(settings.historyPerRoom()),
            ByteSize.parse(settings.roomReserve()), roomSettings.maxMessageBytes());
        LOG.debug("History budget: {} in all, {} per room, {} reserved per room (heap {})", ByteSize.describe(total),
            ByteSize.describe(perRoom), ByteSize.describe(reserve), ByteSize.describe(Runtime.getRuntime().maxMemory()));
    }

    /**
     * @param maxMessageBytes the largest message text: a room's reserve and budget always hold one
     *                        message of that size, so a post is never refused for its size alone
     */
    public HistoryBudget(long total, long perRoom, long reserve, int maxMessageBytes) {
        long largest = largestWeight(maxMessageBytes);
        this.reserve = Math.max(reserve, largest);
        this.perRoom = Math.max(perRoom, this.reserve);
        this.total = Math.max(total, this.reserve);
    }

    /** No byte budget at all: for rooms made outside a server. */
    public static HistoryBudget unbounded() {
        return new HistoryBudget(Long.MAX_VALUE, Long.MAX_VALUE, 0, 0);
    }

    /**
     * An account for a new room, which drops its oldest message when {@code dropOldest} is called
     * (false when it has none). Throws {@code memory_full} when one more room's reserve does not fit.
     */
    public synchronized Account open(BooleanSupplier dropOldest) {
        if (reserve > 0 && (accounts.size() + 1) > total / reserve) {
            throw ApiError.MEMORY_FULL.limit(total, RETRY_AFTER_SECONDS);
        }
        Account account = new Account(dropOldest);
        accounts.add(account);
        return account;
    }

    /** Rooms this budget can admit in all (their reserves fit in the total). */
    public long roomsThatFit() {
        return reserve == 0 ? Long.MAX_VALUE : total / reserve;
    }

    public long total() {
        return total;
    }

    public long perRoom() {
        return perRoom;
    }

    public long used() {
        return used.get();
    }

    /**
     * After a post: while all rooms hold more than the total, the room holding the most beyond its
     * reserve drops its oldest message. Call without holding any room's lock (this takes them).
     */
    public void settle() {
        if (used.get() <= total) {
            return;
        }
        synchronized (this) {
            while (used.get() > total) {
                Account largest = null;
                for (Account account : accounts) {
                    long beyond = account.bytes.get() - reserve;
                    if (beyond > 0 && (largest == null || account.bytes.get() > largest.bytes.get())) {
                        largest = account;
                    }
                }
                if (largest == null || !largest.dropOldest.getAsBoolean()) {
                    return; // every room within its reserve: the reserves fit, the overshoot is posts in flight
                }
            }
        }
    }

    /** What the JVM holds for a stored message, in bytes. */
    public static long weight(ChatMessage message) {
        long names = weight(message.agent());
        for (List<String> list : List.of(message.mentions(), message.to())) {
            for (String name : list) {
                names += weight(name);
            }
        }
        return OVERHEAD + weight(message.text()) + weight(message.json()) + names;
    }

    private static long weight(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return STRING_OVERHEAD + 2L * s.length();
            }
        }
        return STRING_OVERHEAD + s.length();
    }

    /** The weight of the largest message: text of that many bytes, escaped in its JSON at worst. */
    private static long largestWeight(int maxMessageBytes) {
        // two bytes a character when one is beyond Latin-1, and in the JSON a control character is
        // six (\u0001): text 2 and JSON 12 bytes per byte of text at worst, plus the other members
        return OVERHEAD + 2L * STRING_OVERHEAD + 14L * maxMessageBytes + 1024;
    }

    /** One room's share: the bytes it holds. */
    public final class Account implements AutoCloseable {
        private final BooleanSupplier dropOldest;
        private final AtomicLong bytes = new AtomicLong();
        private volatile boolean closed;

        private Account(BooleanSupplier dropOldest) {
            this.dropOldest = dropOldest;
        }

        /** The room stored a message of this weight. */
        public void added(long weight) {
            if (!closed) {
                bytes.addAndGet(weight);
                used.addAndGet(weight);
            }
        }

        /** The room dropped a message of this weight. */
        public void removed(long weight) {
            if (!closed) {
                bytes.addAndGet(-weight);
                used.addAndGet(-weight);
            }
        }

        /** Whether the room holds more than its own budget. */
        public boolean overBudget() {
            return bytes.get() > perRoom;
        }

        public long bytes() {
            return bytes.get();
        }

        /** The room is gone: its bytes and its reserve are free. */
        @Override
        public void close() {
            synchronized (HistoryBudget.this) {
                if (!closed) {
                    closed = true;
                    accounts.remove(this);
                    used.addAndGet(-bytes.getAndSet(0));
                }
            }
        }
    }
}
