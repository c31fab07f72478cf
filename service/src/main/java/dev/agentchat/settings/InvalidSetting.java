package dev.agentchat.settings;

import io.micronaut.context.exceptions.ConfigurationException;

/**
 * A setting the server cannot run with; its message names the setting and says why, in one line
 * (with any URL's password hidden). {@code serve} reports it as a usage mistake.
 */
public final class InvalidSetting extends ConfigurationException {
    public InvalidSetting(String message, Throwable cause) {
        super(message, cause);
    }

    /** The one sentence that refuses a setting's value: {@code Invalid setting KEY='VALUE': expected …}. */
    public static InvalidSetting of(String key, String value, String expected) {
        return new InvalidSetting("Invalid setting " + key + "='" + Redaction.urls(value) + "': expected " + expected, null);
    }
}
