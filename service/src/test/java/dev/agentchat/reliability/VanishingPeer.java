package dev.agentchat.reliability;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A client in its own network namespace, joined to this host by a veth pair, that can vanish the way a
 * laptop does when its lid shuts: from one moment on, nothing it would send (not even an
 * acknowledgement) reaches the server, and no FIN or RST ever comes. Needs root and iproute2; without
 * them the test is skipped with a notice, except under CI, where that is a failure.
 */
final class VanishingPeer implements AutoCloseable {
    private static final String CLIENT = String.join("\n",
        "import socket, sys",
        "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)",
        "s.sendall(sys.argv[3].encode())",
        "seen = b''",
        "while b': connected' not in seen:",
        "    seen += s.recv(4096)",
        "print('open', flush=True)",
        "s.settimeout(None)",
        "while s.recv(4096):",
        "    pass");

    private final String namespace;
    private final String hostSide;
    private final String hostAddress;
    private final String peerAddress;
    private Process client;

    private VanishingPeer() {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        int subnet = ThreadLocalRandom.current().nextInt(1, 255);
        this.namespace = "acpeer" + tag;
        this.hostSide = "ach" + tag;
        this.hostAddress = "10.254." + subnet + ".1";
        this.peerAddress = "10.254." + subnet + ".2";
    }

    /** Makes the namespace and the link, or skips (fails under CI) when this machine cannot. */
    static VanishingPeer create() {
        VanishingPeer peer = new VanishingPeer();
        String peerSide = "acp" + peer.hostSide.substring(3);
        try {
            peer.run("ip", "netns", "add", peer.namespace);
            peer.run("ip", "link", "add", peer.hostSide, "type", "veth", "peer", "name", peerSide);
            peer.run("ip", "link", "set", peerSide, "netns", peer.namespace);
            peer.run("ip", "addr", "add", peer.hostAddress + "/30", "dev", peer.hostSide);
            peer.run("ip", "link", "set", peer.hostSide, "up");
            peer.inside("ip", "addr", "add", peer.peerAddress + "/30", "dev", peerSide);
            peer.inside("ip", "link", "set", peerSide, "up");
        } catch (IllegalStateException e) {
            peer.close();
            String notice = "a vanishing peer needs root and iproute2 (ip netns, veth): " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(notice + "; under CI=true this test must run");
            }
            System.err.println("SKIPPED: " + notice);
            Assumptions.abort(notice);
        }
        return peer;
    }

    /** The server address as the peer reaches it. */
    String serverAddress() {
        return hostAddress;
    }

    /** Sends {@code request} to the server from inside the namespace and waits until the stream is open. */
    void openStream(int port, String request) throws IOException, InterruptedException {
        client = new ProcessBuilder(List.of("ip", "netns", "exec", namespace,
            "python3", "-c", CLIENT, hostAddress, String.valueOf(port), request))
            .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"open".equals(line)) {
            client.waitFor(5, TimeUnit.SECONDS);
            Assertions.fail("the peer's stream did not open: " + line + "\n" + new String(
                client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** From now on nothing from the peer reaches the server: no data, no acknowledgement, no FIN. */
    void vanish() {
        inside("ip", "route", "add", "blackhole", hostAddress + "/32");
    }

    private void inside(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        run(full);
    }

    private void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.destroyForcibly();
        }
        try {
            run("ip", "link", "del", hostSide);
        } catch (IllegalStateException ignored) {
            // not created, or gone with the namespace
        }
        try {
            run("ip", "netns", "del", namespace);
        } catch (IllegalStateException ignored) {
            // not created
        }
    }
}
