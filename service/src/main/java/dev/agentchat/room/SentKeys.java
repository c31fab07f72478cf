package dev.agentchat.room;

import dev.agentchat.error.ApiError;
import io.micronaut.core.annotation.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keys senders give their messages ({@code idempotency_key}), so that a message sent again after
 * its answer was lost is not stored twice. A key belongs to the sender's name (in any case) and is
 * remembered while its message is kept, for at most {@link #KEPT}. An instance keeps the keys of its
 * rooms in memory, the newest {@link #MOST} per room; Redis keeps them beside the room.
 */
public final class SentKeys {
    /** How long a key is remembered. */
    public static final Duration KEPT = Duration.ofMinutes(10);
    /** The rule for a key, as a refusal says it. */
    public static final String KEY_RULE = "'idempotency_key' is 1-64 visible ASCII characters (letters, digits,"
        + " punctuation; a UUID will do)";
    /** The most keys a room in memory remembers; the oldest are forgotten first. */
    static final int MOST = 1_000;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,64}");

    private final Clock clock;
    /** Oldest first: the sender's name and key ({@link #of}) to the message's id and when it was posted. */
    private final LinkedHashMap<String, Sent> sent = new LinkedHashMap<>();

    SentKeys(Clock clock) {
        this.clock = clock;
    }

    public static boolean isValidKey(String key) {
        return KEY.matcher(key).matches();
    }

    /** A message sent again under a key must be the one sent first: the same text. */
    public static void requireSameText(ChatMessage first, Draft again) {
        if (!first.text().equals(again.text())) {
            throw ApiError.IDEMPOTENCY_KEY_REUSED.exception();
        }
    }

    /** The sender's name (in any case) and key, as one string. */
    static String of(String agent, String key) {
        return agent.toLowerCase(Locale.ROOT) + '\n' + key;
    }

    /** The id of the message sent under this name and key, if it is remembered. */
    @Nullable
    Long find(String agent, String key) {
        forgetOld();
        Sent found = sent.get(of(agent, key));
        return found == null ? null : found.id();
    }

    void remember(String agent, String key, long id) {
        sent.put(of(agent, key), new Sent(id, clock.millis()));
        forgetOld();
    }

    private void forgetOld() {
        long oldest = clock.millis() - KEPT.toMillis();
        Iterator<Map.Entry<String, Sent>> entries = sent.entrySet().iterator();
        while (entries.hasNext()) {
            Sent next = entries.next().getValue();
            if (sent.size() <= MOST && next.at() > oldest) {
                return;
            }
            entries.remove();
        }
    }

    private record Sent(long id, long at) {
    }
}
