package dev.agentchat.system;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings a server is given, the same however it is started ({@code agent-chat serve}, or
 * {@code dev.agentchat.Application} on its own): besides its other sources, its JVM's own
 * {@code agent-chat.*} system properties ({@code java -Dagent-chat.max-history=5 …}, {@code JAVA_OPTS}),
 * handed to the server as given to it, so that a misspelt one is refused like any other misspelt
 * setting. The framework reads system properties too, but {@link SettingsCheck} does not look for
 * unknown keys among them, as build tools share them with the programs they run.
 */
public final class GivenSettings {
    private GivenSettings() {
    }

    /** This JVM's {@code agent-chat.*} system properties. */
    public static Map<String, Object> ofThisJvm() {
        Map<String, Object> given = new HashMap<>();
        Properties system = System.getProperties();
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith(DeclaredSettings.PREFIX)) {
                given.put(key, system.getProperty(key));
            }
        }
        return given;
    }
}
