package dev.agentchat.cli.tunnel;

/** The tunnel programs {@code serve --tunnel} can run. */
public enum TunnelKind {
    CLOUDFLARED("cloudflared"),
    NGROK("ngrok");

    private final String program;

    TunnelKind(String program) {
        this.program = program;
    }

    public String program() {
        return program;
    }

    @Override
    public String toString() {
        return program;
    }
}
