package dev.agentchat.settings;

/**
 * Hides the password a URL carries in its user info ({@code redis://:PASSWORD@host:6379}) wherever a
 * URL may be shown: log lines ({@code system.LogSetup}), the sentences that refuse a setting and the
 * CLI's refusal of a URL; {@link #urls} also hides one given as {@code password=} (the web UI's link).
 */
public final class Redaction {
    /** A URL's scheme and user name, then its password up to the {@code @} before the host. */
    public static final String URL_PASSWORD = "([a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s:]*:)[^@/\\s]+@";
    public static final String HIDDEN = "$1***@";
    /** A password in a URL's query or fragment, as the web UI's link carries it: {@code ?password=P}, {@code #password=P}. */
    public static final String LINK_PASSWORD = "(?i)([?#&]password=)[^&#\\s]*";

    private Redaction() {
    }

    /** {@code text} with every URL's password, in its user info or after {@code password=}, replaced by {@code ***}. */
    public static String urls(String text) {
        return text == null ? null : text.replaceAll(URL_PASSWORD, HIDDEN).replaceAll(LINK_PASSWORD, "$1***");
    }
}
