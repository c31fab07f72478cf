package dev.agentchat.memory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size setting: a number of bytes ({@code 1048576}, {@code 64KiB}, {@code 1MiB}, {@code 2GiB}) or a
 * share of the heap the JVM may use ({@code 25%} of {@code Runtime.maxMemory()}, i.e. of {@code -Xmx}),
 * so that one default is safe on a small heap and generous on a big one.
 */
public final class ByteSize {
    /** What a size setting may be, for the messages that refuse one. */
    public static final String FORMS = "a size (bytes, 64KiB, 1MiB, or a share of the heap like 25%)";
    /** What a share of the heap may be: none of it would refuse everything, more than all of it is not there. */
    public static final String SHARES = "a share of the heap above 0% and at most 100%";
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(%|b|kib|mib|gib|kb|mb|gb|k|m|g)?");

    private ByteSize() {
    }

    /**
     * The bytes {@code setting} stands for, with {@code heap} the JVM's maximum heap.
     *
     * @throws IllegalArgumentException not a size; its message is what a size may be ({@link #FORMS} or {@link #SHARES})
     */
    public static long parse(String setting, long heap) {
        Matcher m = SIZE.matcher(setting.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(FORMS);
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        if (unit.equals("%") && (number <= 0 || number > 100)) {
            throw new IllegalArgumentException(SHARES);
        }
        double bytes = switch (unit) {
            case "%" -> heap * number / 100;
            case "kib", "kb", "k" -> number * 1024;
            case "mib", "mb", "m" -> number * 1024 * 1024;
            case "gib", "gb", "g" -> number * 1024 * 1024 * 1024;
            default -> number;
        };
        return (long) bytes;
    }

    /** The bytes {@code setting} stands for on this JVM. */
    public static long parse(String setting) {
        return parse(setting, Runtime.getRuntime().maxMemory());
    }

    /** {@code 12.5 MiB}, for logs and messages. */
    public static String describe(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
