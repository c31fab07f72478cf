package dev.agentchat.cli.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts cloudflared or ngrok for a local port and reads the public URL from its output. Fails with
 * a {@link TunnelException} (and no process left behind) when the program is missing and cannot be
 * downloaded, exits early, or reports no URL in time.
 */
public final class TunnelStarter {
    static final Pattern CLOUDFLARED_URL = Pattern.compile("https://[A-Za-z0-9-]+\\.trycloudflare\\.com");

    private final Map<String, String> environment;
    private final PrintWriter notices;
    private final ObjectMapper json = new ObjectMapper();

    /** @param notices where progress (downloading...) is reported */
    public TunnelStarter(Map<String, String> environment, PrintWriter notices) {
        this.environment = environment;
        this.notices = notices;
    }

    /** @param local the room's URL on this machine ({@code http://HOST:PORT}), which the tunnel forwards to */
    public Tunnel start(TunnelKind kind, String local, Duration timeout) {
        Path program = locate(kind);
        List<String> command = switch (kind) {
            case cloudflared -> List.of(program.toString(), "tunnel", "--url", local,
                "--protocol", "http2", "--no-autoupdate");
            case ngrok -> List.of(program.toString(), "http", local.substring(local.indexOf("://") + 3), "--log", "stdout",
                "--log-format", "json");
        };
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(Executables.windows() ? "NUL" : "/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new TunnelException("Cannot run " + program + ": " + e.getMessage());
        }
        CompletableFuture<String> url = new CompletableFuture<>();
        TunnelOutput said = new TunnelOutput();
        Thread reader = new Thread(() -> read(kind, process, url, said), kind + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new Tunnel(kind, process, url.get(timeout.toMillis(), TimeUnit.MILLISECONDS), said);
        } catch (TimeoutException e) {
            Tunnel.stop(process);
            throw new TunnelException(kind + " reported no public URL within " + timeout.toSeconds() + " s" + said.why());
        } catch (ExecutionException e) {
            Tunnel.stop(process);
            throw new TunnelException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Tunnel.stop(process);
            Thread.currentThread().interrupt();
            throw new TunnelException(kind + " start interrupted");
        }
    }

    private Path locate(TunnelKind kind) {
        Executables executables = new Executables(environment);
        return executables.find(kind.program()).orElseGet(() -> {
            if (kind == TunnelKind.ngrok) {
                throw new TunnelException("ngrok is not installed: get it from https://ngrok.com/download, "
                    + "run 'ngrok config add-authtoken TOKEN', and retry (or use --tunnel cloudflared)");
            }
            CloudflaredDownload download = new CloudflaredDownload(environment);
            notices.println("⬇️  cloudflared not found; downloading " + download.url() + " ...");
            notices.flush();
            return download.into(executables.binDirectory());
        });
    }

    /** Reads the program's output until it ends: finds the URL, keeps what explains a failure. */
    private void read(TunnelKind kind, Process process, CompletableFuture<String> url, TunnelOutput said) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                said.line(line);
                if (!url.isDone()) {
                    String found = kind == TunnelKind.cloudflared ? cloudflaredUrl(line) : ngrokUrl(line, said);
                    if (found != null) {
                        url.complete(found);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; onExit below reports it
        }
        try {
            int code = process.waitFor();
            url.completeExceptionally(new TunnelException(kind + " exited (code " + code + ") before reporting a public URL"
                + said.why()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String cloudflaredUrl(String line) {
        Matcher matcher = CLOUDFLARED_URL.matcher(line);
        while (matcher.find()) {
            if (!matcher.group().equals("https://api.trycloudflare.com")) {
                return matcher.group();
            }
        }
        return null;
    }

    /** ngrok's JSON log: {@code {"msg":"started tunnel",...,"url":"https://..."}}; errors carry {@code err}. */
    String ngrokUrl(String line, TunnelOutput said) {
        try {
            JsonNode node = json.readTree(line);
            if ("started tunnel".equals(node.path("msg").asText()) && node.path("url").asText().startsWith("http")) {
                return node.path("url").asText();
            }
            if (node.hasNonNull("err") && !"<nil>".equals(node.path("err").asText())) {
                said.error(node.path("err").asText());
            }
        } catch (IOException e) {
            // not a JSON line: ngrok prints a few plain lines too
        }
        return null;
    }
}
