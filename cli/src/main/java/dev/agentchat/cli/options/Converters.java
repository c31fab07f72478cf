package dev.agentchat.cli.options;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How option values are read, in words people use: numbers without Java type names in the errors,
 * durations as {@code 30}, {@code 5s}, {@code 2m}, {@code 1h} wherever seconds are taken, message ids
 * as the output shows them ({@code #12}).
 */
public final class Converters {
    private Converters() {
    }

    /** Registers the number converters for every option of {@code commandLine} and its subcommands. */
    public static void register(CommandLine commandLine) {
        ITypeConverter<Integer> integer = value -> Math.toIntExact(wholeNumber(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
        ITypeConverter<Long> longValue = value -> wholeNumber(value, Long.MIN_VALUE, Long.MAX_VALUE);
        ITypeConverter<Double> number = Converters::number;
        commandLine.registerConverter(Integer.class, integer);
        commandLine.registerConverter(int.class, integer);
        commandLine.registerConverter(Long.class, longValue);
        commandLine.registerConverter(long.class, longValue);
        commandLine.registerConverter(Double.class, number);
        commandLine.registerConverter(double.class, number);
    }

    /** An int as the {@code Integer} options take it. */
    public static int integer(String value) {
        return Math.toIntExact(wholeNumber(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    private static long wholeNumber(String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim().replace("_", ""));
            if (n < min || n > max) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }

    /** A duration: plain seconds ({@code 30}, {@code 2.5}) or with a unit: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}. */
    public static final class Seconds implements ITypeConverter<Duration> {
        private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        public static Duration parse(String value) {
            Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a duration (seconds, or e.g. 5s, 2m, 1h)");
            }
            String unit = m.group(2) == null ? "s" : m.group(2);
            long millisPerUnit = switch (unit) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            try {
                long millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(millisPerUnit)).longValueExact();
                return Duration.ofMillis(millis);
            } catch (ArithmeticException e) {
                throw new TypeConversionException("'" + value + "' is not a duration in whole milliseconds");
            }
        }

        /** Whole seconds as this converter reads them back, in the largest unit that fits: {@code 24h}, {@code 90m}, {@code 45s}. */
        public static String format(long seconds) {
            return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
        }
    }

    /** A message id as written ({@code 12}) or as shown in the output ({@code #12}). */
    public static final class MessageId implements ITypeConverter<Long> {
        private static final Pattern ID = Pattern.compile("#?(\\d{1,18})");

        @Override
        public Long convert(String value) {
            Matcher m = ID.matcher(value.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
                throw new TypeConversionException("'" + value + "' is not a message id (e.g. 12 or '#12')");
            }
            return Long.parseLong(m.group(1));
        }
    }
}
