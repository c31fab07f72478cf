package dev.agentchat.coordination;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The claim globs, defined here only: {@code *} matches any run of characters within one path segment
 * (no {@code /}), {@code **} any run at all, {@code ?} one character other than {@code /}; every other
 * character is itself. Two claims conflict when their globs overlap: some path matches both
 * ({@code src/parser/**} and {@code src/*}{@code /lexer.c} do, {@code src/a/*} and {@code src/b/*} do not).
 */
public final class Globs {
    /** The longest glob, in characters. */
    public static final int MAX_LENGTH = 256;
    private static final String FORBIDDEN = "[]{}\\";
    private static final Pattern REPEATED_SLASHES = Pattern.compile("//+");

    private Globs() {
    }

    /**
     * Why {@code glob} cannot be a claim's resource, as the refusal: none is {@code invalid_field}, one too
     * long {@code invalid_glob} naming the limit, any other {@code invalid_glob}; null when it can be one.
     */
    @Nullable
    public static ApiException refusal(@Nullable String glob) {
        if (glob == null || glob.isBlank()) {
            return ApiError.INVALID_FIELD.exception("'resource' is required: a path or glob such as src/parser/**");
        }
        if (glob.length() > MAX_LENGTH) {
            return ApiError.INVALID_GLOB.limit("'resource' is longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        if (glob.contains("***")) {
            return ApiError.INVALID_GLOB.exception("Malformed glob '" + glob + "': '***' means nothing, use '**'");
        }
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (Character.isISOControl(c)) {
                return ApiError.INVALID_GLOB.exception("Malformed glob: control characters are not allowed");
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                return ApiError.INVALID_GLOB.exception("Malformed glob '" + glob + "': '" + c + "' is not supported (only *, ** and ?)");
            }
        }
        return null;
    }

    /**
     * The glob as claims keep and compare it: without a leading {@code ./} or empty path segments
     * ({@code a//b}), and a trailing {@code /} read as everything under it ({@code dir/} is {@code dir/**}),
     * so that one file named two ways is one claim.
     */
    public static String normalized(String glob) {
        String path = glob;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        path = REPEATED_SLASHES.matcher(path).replaceAll("/");
        return path.length() > 1 && path.endsWith("/") ? path + "**" : path;
    }

    /** Whether some path matches both globs. */
    public static boolean overlap(String a, String b) {
        List<Token> p = tokens(a);
        List<Token> q = tokens(b);
        return overlap(p, q, 0, 0, new byte[p.size() + 1][q.size() + 1]);
    }

    private enum Kind { CHAR, ONE, STAR, DEEP }

    private record Token(Kind kind, int c) {
        boolean star() {
            return kind == Kind.STAR || kind == Kind.DEEP;
        }
    }

    private static List<Token> tokens(String glob) {
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < glob.length(); ) {
            int c = glob.codePointAt(i);
            if (c == '*' && glob.startsWith("**", i)) {
                tokens.add(new Token(Kind.DEEP, 0));
                i += 2;
            } else if (c == '*') {
                tokens.add(new Token(Kind.STAR, 0));
                i++;
            } else if (c == '?') {
                tokens.add(new Token(Kind.ONE, 0));
                i++;
            } else {
                tokens.add(new Token(Kind.CHAR, c));
                i += Character.charCount(c);
            }
        }
        return tokens;
    }

    /**
     * Walks both globs at once: a star may match nothing, or swallow the other side's next token whole
     * (a star of the other side too, when what that one may match is within what this one may). 0 in
     * {@code memo} is unknown, 1 no, 2 yes.
     */
    private static boolean overlap(List<Token> p, List<Token> q, int i, int j, byte[][] memo) {
        if (memo[i][j] != 0) {
            return memo[i][j] == 2;
        }
        boolean result;
        if (i == p.size() && j == q.size()) {
            result = true;
        } else if (i < p.size() && p.get(i).star()
            && (overlap(p, q, i + 1, j, memo) || j < q.size() && swallows(p.get(i), q.get(j)) && overlap(p, q, i, j + 1, memo))) {
            result = true;
        } else if (j < q.size() && q.get(j).star()
            && (overlap(p, q, i, j + 1, memo) || i < p.size() && swallows(q.get(j), p.get(i)) && overlap(p, q, i + 1, j, memo))) {
            result = true;
        } else {
            result = i < p.size() && j < q.size() && !p.get(i).star() && !q.get(j).star()
                && sameCharacter(p.get(i), q.get(j)) && overlap(p, q, i + 1, j + 1, memo);
        }
        memo[i][j] = (byte) (result ? 2 : 1);
        return result;
    }

    /** Whether the star {@code star} can match what {@code other} matches (some non-empty match of it). */
    private static boolean swallows(Token star, Token other) {
        if (star.kind() == Kind.DEEP) {
            return true;
        }
        return switch (other.kind()) {
            case CHAR -> other.c() != '/';
            case ONE, STAR -> true;
            case DEEP -> false; // the deep star swallows this one from its side
        };
    }

    private static boolean sameCharacter(Token a, Token b) {
        if (a.kind() == Kind.ONE && b.kind() == Kind.ONE) {
            return true;
        }
        if (a.kind() == Kind.ONE) {
            return b.c() != '/';
        }
        if (b.kind() == Kind.ONE) {
            return a.c() != '/';
        }
        return a.c() == b.c();
    }
}
