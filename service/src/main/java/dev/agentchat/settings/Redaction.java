package dev.agentchat.settings;

/**
 * Hides the password a URL carries in its user info ({@code redis://:PASSWORD@host:6379}) wherever a
 * URL may be shown: log lines ({@code system.LogSetup}), the sentences that refuse a setting and the
 * CLI's refusal of a URL; {@link #urls} and the log lines also hide one given as {@code password=} (the
 * web UI's link) or in the room's header.
 */
public final class Redaction {
    /** A URL's scheme and user name, then its password up to the {@code @} before the host. */
    public static final String URL_PASSWORD = "([a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s:]*:)[^@/\\s]+@";
    public static final String HIDDEN = "$1***@";
    /** A password in a URL's query or fragment, as the web UI's link carries it: {@code ?password=P}, {@code #password=P}. */
    public static final String LINK_PASSWORD = "(?i)([?#&]password=)[^&#\\s]*";
    /**
     * A password named in text: {@code password=P} (a link's, a setting's) or the room's header
     * {@code X-Room-Password: P}, up to the next parameter, fragment, space or quote (a password with
     * a comma or a semicolon is hidden whole: what follows it is hidden with it).
     */
    public static final String NAMED_PASSWORD = "(?i)(password=|X-Room-Password:\\s*)[^&#\\s\"]*";
    public static final String NAMED_HIDDEN = "$1***";

    private Redaction() {
    }

    /** {@code text} with every URL's password, in its user info or after {@code password=}, replaced by {@code ***}. */
    public static String urls(String text) {
        return text == null ? null : text.replaceAll(URL_PASSWORD, HIDDEN).replaceAll(NAMED_PASSWORD, NAMED_HIDDEN);
    }
}
