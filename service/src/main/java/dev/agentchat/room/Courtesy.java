package dev.agentchat.room;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The courtesy rule, defined here only: a message whose text, without its mentions, is nothing but
 * acknowledgements and thanks ("thanks @bob!", "ok, got it 👍") is {@code ack_only}. Such a message is
 * kept and shown like any other, but it does not wake a wait for mentions: two agents thanking each
 * other by name would otherwise wake each other forever.
 * <p>
 * The text is compared case-insensitively, with its mentions, punctuation and white space removed
 * (emoji variation selectors and skin tones too), and must be one or more of {@link #PHRASES} in a row.
 * A text with nothing left (a bare "@bob") is a call, not courtesy. docs/coordination.md lists the phrases.
 */
public final class Courtesy {
    /** The acknowledgements, in the normalised form (lower case, single spaces, no punctuation). */
    public static final List<String> PHRASES = List.of(
        "thanks", "thank you", "thanks a lot", "many thanks", "thx", "ty", "cheers",
        "ok", "okay", "k", "kk", "got it", "understood", "noted", "ack", "acknowledged", "roger", "roger that",
        "will do", "sounds good", "great", "cool", "nice", "perfect", "awesome", "excellent",
        "np", "no problem", "you're welcome", "youre welcome", "welcome", "👍", "🙏", "👌", "✅", "🙌", "🎉", "❤", "💯", "😊", "🙂");
    /** Longer than any courtesy worth the name: not even looked at. */
    private static final int MAX_LENGTH = 200;
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{M}\\p{N}._\\-@])@[\\p{L}\\p{M}\\p{N}._\\-]+");
    private static final Pattern IGNORED = Pattern.compile("[\\uFE0E\\uFE0F\\u200D]|\\x{1F3FB}|\\x{1F3FC}|\\x{1F3FD}|\\x{1F3FE}|\\x{1F3FF}");
    /** A run of punctuation (except the apostrophe of "you're") and white space. */
    private static final Pattern PUNCTUATION = Pattern.compile("(?:[\\p{P}&&[^']]|[\\s\\p{Z}])+");
    private static final List<String> LONGEST_FIRST = PHRASES.stream()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();

    private Courtesy() {
    }

    /** Whether {@code text} is only acknowledgements once its mentions are taken out. */
    public static boolean ackOnly(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return false;
        }
        String rest = MENTION.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll(" ");
        rest = IGNORED.matcher(rest).replaceAll("").replace('’', '\'');
        rest = PUNCTUATION.matcher(rest.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
        return !rest.isEmpty() && phrases(rest, 0, new Boolean[rest.length() + 1]);
    }

    /** Whether {@code rest} from {@code at} is phrases separated by nothing or a space (memoised). */
    private static boolean phrases(String rest, int at, Boolean[] known) {
        if (at == rest.length()) {
            return true;
        }
        if (known[at] != null) {
            return known[at];
        }
        boolean found = false;
        for (String phrase : LONGEST_FIRST) {
            if (rest.startsWith(phrase, at)) {
                int end = at + phrase.length();
                boolean wordEnds = end == rest.length() || rest.charAt(end) == ' '
                    || !Character.isLetterOrDigit(rest.codePointAt(end)) || !Character.isLetterOrDigit(phrase.codePointBefore(phrase.length()));
                if (wordEnds && phrases(rest, end < rest.length() && rest.charAt(end) == ' ' ? end + 1 : end, known)) {
                    found = true;
                    break;
                }
            }
        }
        known[at] = found;
        return found;
    }
}
