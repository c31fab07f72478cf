package dev.agentchat.settings;

/**
 * Hides the password a URL carries in its user info ({@code redis://:PASSWORD@host:6379}) wherever a
 * URL may be shown: log lines ({@code system.LogSetup}) and the sentences that refuse a setting.
 */
public final class Redaction {
    /** A URL's scheme and user name, then its password up to the {@code @} before the host. */
    public static final String URL_PASSWORD = "([a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s:]*:)[^@/\\s]+@";
    public static final String HIDDEN = "$1***@";

    private Redaction() {
    }

    /** {@code text} with every URL's password replaced by {@code ***}. */
    public static String urls(String text) {
        return text == null ? null : text.replaceAll(URL_PASSWORD, HIDDEN);
    }
}
