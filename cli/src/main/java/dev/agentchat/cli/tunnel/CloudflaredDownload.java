package dev.agentchat.cli.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Downloads the cloudflared release binary for this OS and architecture into the bin directory.
 * The URL can be replaced with {@code AGENT_CHAT_CLOUDFLARED_URL} and pinned with
 * {@code AGENT_CHAT_CLOUDFLARED_SHA256}; the file must look like a program (at least 1 MiB, not a
 * web page) and is moved into place atomically, so a failed download never leaves a broken binary.
 */
public final class CloudflaredDownload {
    static final String RELEASES = "https://github.com/cloudflare/cloudflared/releases/latest/download/";
    static final long MIN_BYTES = 1 << 20;
    private static final String INSTEAD = " (install cloudflared on PATH, or set AGENT_CHAT_CLOUDFLARED_URL)";

    private final Map<String, String> environment;

    public CloudflaredDownload(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The download URL for this machine. */
    public String url() {
        String override = environment.get("AGENT_CHAT_CLOUDFLARED_URL");
        if (override != null && !override.isBlank()) {
            return override;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "arm" -> "arm";
            default -> throw new TunnelException("No cloudflared download for this processor ("
                + System.getProperty("os.arch") + "); install cloudflared and put it on PATH");
        };
        if (os.startsWith("linux")) {
            return RELEASES + "cloudflared-linux-" + arch;
        }
        if (os.startsWith("windows")) {
            return RELEASES + "cloudflared-windows-" + arch + ".exe";
        }
        throw new TunnelException("cloudflared is not installed; install it (macOS: brew install cloudflared) and retry");
    }

    /** Downloads to {@code dir} and returns the executable. */
    public Path into(Path dir) {
        String url = url();
        Path target = dir.resolve(Executables.windows() ? "cloudflared.exe" : "cloudflared");
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "cloudflared", ".download");
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15)).build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new TunnelException("Cannot download cloudflared from " + url + ": the connection to "
                    + URI.create(url).getHost() + " failed (" + kind(e) + ")" + INSTEAD);
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream body = new DigestInputStream(response.body(), sha256)) {
                if (response.statusCode() != 200) {
                    throw new TunnelException("Cannot download cloudflared from " + url + ": HTTP " + response.statusCode());
                }
                Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            check(tmp, HexFormat.of().formatHex(sha256.digest()), url);
            if (!tmp.toFile().setExecutable(true)) {
                throw new TunnelException("Cannot make " + tmp + " executable");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new TunnelException("Cannot download cloudflared from " + url + ": " + kind(e) + INSTEAD);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunnelException("Download of cloudflared interrupted");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file is harmless
                }
            }
        }
    }

    /**
     * The exception's kind, its message and its causes': HttpClient's exceptions often carry no message
     * ({@code ConnectException} caused by {@code UnresolvedAddressException} for a host that does not exist).
     */
    static String kind(Throwable e) {
        StringBuilder kind = new StringBuilder();
        String said = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String one = t.getClass().getSimpleName()
                + (t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + t.getMessage().strip());
            if (!one.equals(said)) { // HttpClient wraps an exception in one of its kind
                kind.append(said == null ? "" : ", caused by ").append(one);
            }
            said = one;
        }
        return kind.toString();
    }

    private void check(Path file, String sha256, String url) throws IOException {
        String expected = environment.get("AGENT_CHAT_CLOUDFLARED_SHA256");
        if (expected != null && !expected.isBlank()) {
            if (!expected.trim().equalsIgnoreCase(sha256)) {
                throw new TunnelException("The cloudflared downloaded from " + url + " has SHA-256 " + sha256
                    + ", expected " + expected.trim());
            }
            return;
        }
        long size = Files.size(file);
        byte[] head = new byte[Math.min(64, (int) size)];
        try (InputStream in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, head.length);
        }
        String start = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
        if (size < MIN_BYTES || start.startsWith("<")) {
            throw new TunnelException("The file downloaded from " + url + " does not look like cloudflared ("
                + size + " bytes); install cloudflared on PATH instead");
        }
    }
}
