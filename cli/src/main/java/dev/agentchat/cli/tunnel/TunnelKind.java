package dev.agentchat.cli.tunnel;

/**
 * The tunnel programs {@code serve --tunnel} can run. The constants are the programs' own names, in
 * lower case as the docs give them, so that picocli's list of the choices reads as they do.
 */
public enum TunnelKind {
    cloudflared,
    ngrok;

    public String program() {
        return name();
    }
}
