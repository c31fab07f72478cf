package dev.agentchat.cli;

import dev.agentchat.system.BuildVersion;
import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}: the build's ({@link BuildVersion}). */
public class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"agent-chat " + BuildVersion.get()};
    }
}
