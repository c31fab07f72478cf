package dev.agentchat.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version printed by {@code --version}: the build's, written into {@code version.properties}. */
public class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Properties build = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException unreadable) {
            // a jar that cannot read its own resource: say "dev" rather than fail --version
        }
        return new String[] {"agent-chat " + build.getProperty("version", "dev")};
    }
}
