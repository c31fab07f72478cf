package dev.agentchat.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}, from the jar's manifest. */
public class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = AgentChat.class.getPackage().getImplementationVersion();
        return new String[] {"agent-chat " + (version == null ? "dev" : version)};
    }
}
