package dev.agentchat.system;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version ({@code version.properties}, written by the build), for every surface that tells it. */
public final class BuildVersion {
    private static final String VERSION = read();

    private BuildVersion() {
    }

    /** The version, or "dev" when the build did not write it. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        Properties build = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException unreadable) {
            // a jar that cannot read its own resource: say "dev" rather than fail
        }
        return build.getProperty("version", "dev");
    }
}
