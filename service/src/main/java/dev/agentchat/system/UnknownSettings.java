package dev.agentchat.system;

import dev.agentchat.settings.InvalidSetting;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.SystemPropertiesPropertySource;
import io.micronaut.core.naming.NameUtils;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses an {@code agent-chat.*} key that no setting has (a misspelt {@code max-histroy}), which the
 * framework would leave unread, naming the nearest known key when it is only a slip away.
 * Only the settings the server was given itself ({@code serve -D}, its properties, its configuration
 * files) are looked at. Environment variables are not: {@code AGENT_CHAT_URL}, {@code AGENT_CHAT_NAME}
 * and the like are the client commands' own and would read as {@code agent-chat.*} properties too.
 * Nor are the JVM's system properties, which build tools share (the build's own {@code cds.skip}
 * property under that prefix reaches the tests' JVM); {@code serve} hands its own JVM's
 * {@code agent-chat.*} properties in as given to the server, so there they are looked at.
 * The value is not shown: a misspelt key may hold a password.
 */
final class UnknownSettings {
    /** The most edits (a letter added, left out, changed, or two swapped) a key is taken to be a slip of. */
    private static final int SLIP = 3;

    private UnknownSettings() {
    }

    static void check(Environment environment, Set<String> known) {
        for (PropertySource source : environment.getPropertySources()) {
            if (source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE
                || source.getName().equals(SystemPropertiesPropertySource.NAME)) {
                continue;
            }
            for (String key : source) {
                if (key.startsWith(DeclaredSettings.PREFIX) && !known.contains(key) && !known.contains(NameUtils.hyphenate(key))) {
                    throw new InvalidSetting("Unknown setting " + key + ": "
                        + nearest(key, known).map(near -> "did you mean " + near + "?")
                            .orElse("the settings are in docs/operations.md and docs/limits.md"), null);
                }
            }
        }
    }

    /** The known key fewest edits away from {@code key}, if it is a slip away. */
    static Optional<String> nearest(String key, Set<String> known) {
        return known.stream()
            .filter(candidate -> edits(key, candidate) <= SLIP)
            .min(Comparator.comparingInt((String candidate) -> edits(key, candidate)).thenComparing(Comparator.naturalOrder()));
    }

    /** Edits from {@code a} to {@code b}, two neighbouring letters swapped counting as one. */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
