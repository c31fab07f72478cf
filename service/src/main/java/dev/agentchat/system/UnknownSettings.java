package dev.agentchat.system;

import dev.agentchat.settings.InvalidSetting;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.SystemPropertiesPropertySource;
import io.micronaut.core.naming.NameUtils;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses an {@code agent-chat.*} key that no setting has (a misspelt {@code max-histroy}), which the
 * framework would leave unread, naming the nearest known key when it is only a slip away.
 * Only the settings the server was given itself ({@code serve -D}, its properties, its configuration
 * files) are refused. An environment variable that names no setting is only warned about:
 * {@code AGENT_CHAT_URL}, {@code AGENT_CHAT_NAME} and the like are the agent-chat command's own and
 * are left alone, but an exported variable is easily left over from elsewhere, and a room should
 * not fail to start for it. The JVM's system properties are not looked at, as build tools share them
 * (the build's own {@code cds.skip} property under that prefix reaches the tests' JVM); {@code serve}
 * and {@code Application} hand their own JVM's {@code agent-chat.*} properties in as given to the server
 * ({@link GivenSettings}), so there they are looked at. The value is not shown: a misspelt key may hold
 * a password.
 */
final class UnknownSettings {
    private static final Logger LOG = LoggerFactory.getLogger(UnknownSettings.class);
    /** The most edits (a letter added, left out, changed, or two swapped) a key is taken to be a slip of. */
    private static final int SLIP = 3;
    private static final String VARIABLE_PREFIX = "AGENT_CHAT_";
    /**
     * The variables of the prefix that name no setting and that agent-chat reads for itself: the
     * client commands' ({@code -u}, {@code -a}; {@code -p}'s and {@code --host-key}'s name settings), the
     * tunnel's, the launcher's and its build's, and the original tool's location for the tests and the
     * benchmark. {@code OwnVariablesTest} finds every one the code and the scripts name, so a new one
     * is added here or that test fails.
     */
    static final Set<String> OWN_VARIABLES = Set.of("AGENT_CHAT_URL", "AGENT_CHAT_NAME",
        "AGENT_CHAT_BIN_DIR", "AGENT_CHAT_CLOUDFLARED_URL", "AGENT_CHAT_CLOUDFLARED_SHA256", "AGENT_CHAT_AOT",
        "AGENT_CHAT_AOT_JAVA", "AGENT_CHAT_ORIGINAL", "AGENT_CHAT_ORIGINAL_CLI");
    private static final String WHERE = "the settings are in docs/operations.md and docs/limits.md";

    private UnknownSettings() {
    }

    static void check(Environment environment, Set<String> known) {
        for (PropertySource source : environment.getPropertySources()) {
            if (source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE) {
                unknownVariables(source, known).forEach(LOG::warn);
                continue;
            }
            if (source.getName().equals(SystemPropertiesPropertySource.NAME)) {
                continue;
            }
            for (String key : source) {
                if (key.startsWith(DeclaredSettings.PREFIX) && !known.contains(key) && !known.contains(NameUtils.hyphenate(key))) {
                    throw new InvalidSetting("Unknown setting " + key + ": "
                        + nearest(key, known).map(near -> "did you mean " + near + "?").orElse(WHERE), null);
                }
            }
        }
    }

    /**
     * A sentence for each {@code AGENT_CHAT_*} variable among {@code names} that names no setting and
     * that agent-chat does not read for itself, with the nearest setting's variable when it is a slip away.
     */
    static List<String> unknownVariables(Iterable<String> names, Set<String> known) {
        Set<String> settings = new TreeSet<>();
        known.forEach(key -> settings.add(variable(key)));
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(VARIABLE_PREFIX) && !settings.contains(name) && !OWN_VARIABLES.contains(name)) {
                unknown.add(name + " names no setting and is not read: "
                    + nearest(name, settings).map(near -> "did you mean " + near + "?").orElse(WHERE));
            }
        }
        return unknown;
    }

    /** The environment variable a setting is read from: {@code agent-chat.max-history} from {@code AGENT_CHAT_MAX_HISTORY}. */
    static String variable(String key) {
        return NameUtils.hyphenate(key).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The known key fewest edits away from {@code key}, if it is a slip away. */
    static Optional<String> nearest(String key, Set<String> known) {
        return known.stream()
            .filter(candidate -> Edits.between(key, candidate) <= SLIP)
            .min(Comparator.comparingInt((String candidate) -> Edits.between(key, candidate)).thenComparing(Comparator.naturalOrder()));
    }
}
