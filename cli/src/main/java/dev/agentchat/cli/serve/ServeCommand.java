package dev.agentchat.cli.serve;

import dev.agentchat.Application;
import dev.agentchat.cli.errors.CliException;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.Converters;
import dev.agentchat.cli.options.HostKeyOption;
import dev.agentchat.cli.tunnel.Tunnel;
import dev.agentchat.cli.tunnel.TunnelKind;
import dev.agentchat.cli.tunnel.TunnelStarter;
import dev.agentchat.room.RoomTopics;
import dev.agentchat.hosting.RoomStore;
import dev.agentchat.hosting.RoomsSettings;
import dev.agentchat.room.RoomSettings;
import dev.agentchat.system.DroppedErrors;
import dev.agentchat.system.GivenSettings;
import dev.agentchat.system.SettingsCheck;
import dev.agentchat.system.StopDeadline;
import dev.agentchat.transport.PublicUrl;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.PropertySource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.EmbeddedServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.IOException;
import java.net.BindException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import sun.misc.Signal;

/**
 * {@code agent-chat serve}: runs a room until Ctrl-C, SIGTERM or SIGHUP. Each option maps to a property of
 * the service ({@link #properties()}); to add a server setting, add an option and one line there.
 * A service setting's option is left unset by default, so the service's own default applies (and a
 * {@code -D} of the same setting is not overridden); its help shows that default's constant.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Host a chat room (optionally public through a tunnel).",
    description = {"Hosts a room on this machine and prints its topic when it has one, the web UI link, the API and Swagger UI URLs, and an invite with the exact join command.",
        "Ctrl-C, SIGTERM or SIGHUP stops the room and its tunnel."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  agent-chat serve --password s3cret",
        "  agent-chat serve -p s3cret --port 9000 --host 127.0.0.1",
        "  agent-chat serve -p s3cret --tunnel cloudflared   (a public https://….trycloudflare.com)",
        "  agent-chat serve -p s3cret --tunnel ngrok         (needs ngrok and its authtoken)",
        "",
        "Tunnel environment: AGENT_CHAT_BIN_DIR (where cloudflared is looked for and downloaded;",
        "default ~/.local/share/agent-chat/bin), AGENT_CHAT_CLOUDFLARED_URL (download URL),",
        "AGENT_CHAT_CLOUDFLARED_SHA256 (expected checksum of the download)."})
public class ServeCommand implements Callable<Integer> {
    static final String PUBLIC_URL = "agent-chat.public-url";
    static final String CLIENT_JAR = "agent-chat.client-jar";
    private static final Duration MIN_ROOM_TTL = Duration.ofMinutes(1);

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", defaultValue = "${env:AGENT_CHAT_PASSWORD}",
        description = "The room password (env AGENT_CHAT_PASSWORD).")
    String password;

    @Mixin
    HostKeyOption hostKeyOption;

    /** The host key: the given one, else one made up for this run (and printed). */
    private String hostKey;

    @Option(names = "--topic", paramLabel = "TEXT",
        description = "What the room is for: shown to everyone who joins (the host can change it later).")
    String topic;

    @Option(names = "--open-rooms", description = "Let anyone with a password create named rooms (by default only the host, with the host key).")
    boolean openRooms;

    @Option(names = "--observer-password", paramLabel = "PASSWORD",
        description = "A password that opens every read of every room and no write (guests who only watch).")
    String observerPassword;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8765", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--tunnel", paramLabel = "cloudflared|ngrok", description = "Make the room public through a tunnel: ${COMPLETION-CANDIDATES}.")
    TunnelKind tunnel;

    @Option(names = "--tunnel-timeout", paramLabel = "DURATION", defaultValue = "30",
        converter = dev.agentchat.cli.options.Converters.Seconds.class,
        description = "How long the tunnel may take to report its URL: seconds, or e.g. 45s, 2m (default: ${DEFAULT-VALUE} s).")
    Duration tunnelTimeout;

    @Option(names = "--max-history", paramLabel = "N", description = "Messages kept in memory (default: " + RoomSettings.DEFAULT_MAX_HISTORY + ").")
    Integer maxHistory;

    @Option(names = "--max-agent-turns", paramLabel = "N",
        description = "Loop brake: after N agent messages in a row without a human one, agents wait for a person or the host; 0 turns it off (default: "
            + RoomSettings.DEFAULT_MAX_AGENT_TURNS + ").")
    Integer maxAgentTurns;

    @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:AGENT_CHAT_REDIS_URL}",
        description = "Share rooms with every instance on this Redis, e.g. redis://localhost:6379 (env AGENT_CHAT_REDIS_URL).")
    String redis;

    @Option(names = "--room-ttl", paramLabel = "DURATION", converter = Converters.Seconds.class,
        description = "Named rooms disappear after this long with no request, open stream or waiting poll, e.g. 24h, 90m (default: " + RoomsSettings.DEFAULT_TTL + ").")
    Duration roomTtl;

    @Option(names = "--no-rooms", description = "Do not let clients create named rooms (PUT /rooms/NAME).")
    boolean noRooms;

    @Option(names = "--trust-proxy", negatable = true,
        description = "Take client addresses from X-Forwarded-For (for rate limits); on by default with --tunnel.")
    Boolean trustProxy;

    @Option(names = "--max-message-bytes", paramLabel = "N", description = "Largest message text in UTF-8 bytes (default: " + RoomSettings.DEFAULT_MAX_MESSAGE_BYTES + ").")
    Integer maxMessageBytes;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
        description = "Any other service setting, e.g. -D agent-chat.keepalive=5s (see docs/limits.md).")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The service properties these options stand for. */
    Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        // a port in use is reported by this command as one line, not logged with a stack trace
        properties.put("logger.levels.io.micronaut.http.server.netty.NettyHttpServer", "OFF");
        properties.putAll(GivenSettings.ofThisJvm());
        properties.putAll(settings);
        properties.put("micronaut.server.port", port);
        properties.put("micronaut.server.host", host);
        properties.put("agent-chat.password", password);
        properties.put("agent-chat.host-key", hostKey());
        if (openRooms) {
            properties.put("agent-chat.rooms.open", true);
        }
        if (observerPassword != null && !observerPassword.isEmpty()) {
            properties.put("agent-chat.observer-password", observerPassword);
        }
        if (topic != null && !topic.isBlank()) {
            properties.put(RoomSettings.TOPIC, topic);
        }
        if (maxHistory != null) {
            properties.put("agent-chat.max-history", maxHistory);
        }
        if (maxAgentTurns != null) {
            properties.put("agent-chat.max-agent-turns", maxAgentTurns);
        }
        if (redis != null && !redis.isBlank()) {
            properties.put("agent-chat.redis-url", redis);
        }
        if (roomTtl != null) {
            properties.put("agent-chat.rooms.ttl", roomTtl.toMillis() + "ms");
        }
        if (noRooms) {
            properties.put("agent-chat.rooms.enabled", false);
        }
        // behind a tunnel every client comes from the tunnel's address: only the forwarded one tells them apart
        if (trustProxy != null || tunnel != null) {
            properties.put("agent-chat.trust-proxy", trustProxy == null || trustProxy);
        }
        if (maxMessageBytes != null) {
            properties.put("agent-chat.max-message-bytes", maxMessageBytes);
        }
        return properties;
    }

    /**
     * What serve gives the server unless the host gave it otherwise, however ({@code -D}, the JVM's
     * properties, the environment's {@code AGENT_CHAT_CLIENT_JAR}, a configuration file): below every
     * other source of settings. The room hands out the jar this command runs from (GET /agent-chat.jar).
     */
    static PropertySource defaults() {
        Map<String, Object> defaults = new HashMap<>();
        ownJar().ifPresent(jar -> defaults.put(CLIENT_JAR, jar.toString()));
        return PropertySource.of("agent-chat-serve-defaults", defaults, AbstractPropertySourceLoader.DEFAULT_POSITION - 100);
    }

    @Override
    public Integer call() throws InterruptedException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CompletableFuture<Integer> outcome = new CompletableFuture<>();
        // a stop signal from the start on: while the server or the tunnel starts too, it stops them
        // and exits 0 (a tunnel still starting is stopped by its starter, which the interrupt ends)
        Thread starting = Thread.currentThread();
        AtomicBoolean tunnelStarting = new AtomicBoolean();
        StopDeadline.prepare();
        onStopSignal(() -> {
            StopDeadline.arm();
            if (outcome.complete(ExitCodes.OK)) {
                err.println("👋 Stopping the room...");
                err.flush();
            }
            if (tunnelStarting.get()) {
                starting.interrupt();
            }
        });
        ApplicationContext context = start();
        int actualPort = context.getBean(EmbeddedServer.class).getPort();
        boolean everywhere = host.equals("0.0.0.0") || host.equals("::");
        // this machine's own URL of the room: where a tunnel forwards to, and the banner's local address
        String local = "http://" + (everywhere ? "localhost" : hostInUrl(host)) + ":" + actualPort;
        Tunnel tunnelProcess = null;
        try {
            if (tunnel != null && !outcome.isDone()) {
                err.println("🌐 Starting the " + tunnel + " tunnel...");
                err.flush();
                tunnelStarting.set(true);
                tunnelProcess = new TunnelStarter(System.getenv(), err).start(tunnel, local, tunnelTimeout);
            }
        } catch (CliException e) {
            context.close();
            if (outcome.isDone()) {
                return outcome.join(); // stopped while the tunnel started
            }
            throw e;
        } finally {
            tunnelStarting.set(false);
            Thread.interrupted(); // a signal's interrupt that came after the tunnel had started
        }
        if (outcome.isDone()) { // stopped while starting
            if (tunnelProcess != null) {
                tunnelProcess.close();
            }
            context.close();
            return outcome.join();
        }
        // however it was given (-D, the JVM's properties, AGENT_CHAT_PUBLIC_URL), a public URL is the invite's
        Optional<String> givenPublicUrl = context.getProperty(PUBLIC_URL, String.class).filter(url -> !url.isBlank())
            .map(PublicUrl::withoutTrailingSlash);
        KeptTunnel running = tunnelProcess == null ? null : new KeptTunnel(tunnelProcess,
            new TunnelStarter(System.getenv(), err), local, tunnelTimeout, err,
            // a tunnel that came back under a new address: the room's guide gives it (unless a public URL was given)
            url -> context.getBean(PublicUrl.class).use(givenPublicUrl.orElse(url)));
        // The only shutdown hook (the server is started without Micronaut's, which would race with this one).
        Thread hook = new Thread(() -> {
            if (outcome.complete(ExitCodes.OK)) {
                err.println("👋 Stopping the room...");
                err.flush();
            }
            if (running != null) {
                running.close();
            }
            context.close();
        }, "agent-chat-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        String publicUrl = givenPublicUrl.orElse(running == null ? null : running.publicUrl());
        List<String> network = everywhere && publicUrl == null ? Banner.networkUrls(actualPort) : List.of();
        boolean clientJar = context.getProperty(CLIENT_JAR, String.class).filter(p -> !p.isBlank()).isPresent();
        String roomTopic = roomTopic(context);
        Banner banner = new Banner(local, publicUrl, network, password, hostKey(), givenHostKey() != null,
            observerPassword, clientJar, redis != null && !redis.isBlank(), roomTopic);
        // what skill.md tells others to use: the URL the invite gives
        context.getBean(PublicUrl.class).use(banner.roomUrl());
        banner.print(out);
        Stream.of(banner.onThisMachineOnly(), banner.hostKeyOfThisInstanceOnly()).flatMap(Optional::stream).forEach(warning -> {
            err.println(warning);
            err.flush();
        });
        int code;
        try {
            code = outcome.get();
        } catch (ExecutionException e) {
            code = ExitCodes.INTERNAL;
        }
        // a signal: stop everything here, so that the exit status is ours (0 after SIGTERM or Ctrl-C, as
        // supervisors expect of a clean stop) and not the JVM's 143/130
        Runtime.getRuntime().removeShutdownHook(hook);
        if (running != null) {
            running.close();
        }
        context.close();
        return code;
    }

    /**
     * The room's own topic: --topic, -D or the environment's, or the one a shared room already has.
     * A shared store that is away (the server starts unhealthy and connects once it answers) has not
     * told it yet: the configured one, if any.
     */
    @Nullable
    private static String roomTopic(ApplicationContext context) {
        RoomStore store = context.getBean(RoomStore.class);
        try {
            return store.serverRoom().room().topic();
        } catch (RuntimeException away) {
            if (!store.remote()) {
                throw away;
            }
            return context.getBean(RoomSettings.class).topic();
        }
    }

    /** The host key given ({@code --host-key}, env AGENT_CHAT_HOST_KEY), else a random one made once. */
    String hostKey() {
        if (hostKey == null) {
            String given = givenHostKey();
            if (given != null) {
                hostKey = given;
            } else {
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                hostKey = "host-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            }
        }
        return hostKey;
    }

    /** The host key given ({@code --host-key}, env AGENT_CHAT_HOST_KEY), or null when none was. */
    @Nullable
    private String givenHostKey() {
        return hostKeyOption == null ? null : hostKeyOption.keyOrNull();
    }

    /** A host as a URL writes it: an IPv6 literal in brackets ({@code http://[::1]:8765}). */
    static String hostInUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The jar this command runs from, if it runs from one (not when run from classes, as in tests). */
    static Optional<Path> ownJar() {
        try {
            CodeSource source = ServeCommand.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) && path.toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * SIGTERM, Ctrl-C and SIGHUP (its terminal closed, an SSH session dropped) end the room cleanly;
     * where a signal cannot be handled the shutdown hook still does.
     */
    private static void onStopSignal(Runnable stop) {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException unsupported) {
                // this platform does not have the signal or reserves it
            }
        }
    }

    private void validate() {
        if ("".equals(password) && spec.commandLine().getParseResult().hasMatchedOption("--password")) {
            throw new ParameterException(spec.commandLine(), "--password is empty: give the room a password");
        }
        if (password == null || password.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--password=PASSWORD' (or set AGENT_CHAT_PASSWORD)");
        }
        if (hostKey().equals(password)) {
            throw new ParameterException(spec.commandLine(), "The host key must differ from the room password");
        }
        if (password.equals(observerPassword) || hostKey().equals(observerPassword)) {
            throw new ParameterException(spec.commandLine(), "The observer password must differ from the room password and the host key");
        }
        if (settings.keySet().stream().anyMatch(String::isBlank)) {
            throw new ParameterException(spec.commandLine(), "-D/--set needs a key before '=': e.g. -D agent-chat.keepalive=5s");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "Invalid port " + port + ": expected 0 to 65535");
        }
        if (topic != null && !RoomTopics.fits(topic)) {
            throw new ParameterException(spec.commandLine(), RoomTopics.tooLong("--topic", topic));
        }
        if (noRooms && openRooms) {
            throw new ParameterException(spec.commandLine(), "--no-rooms and --open-rooms contradict each other: give one of them");
        }
        if (tunnelTimeout.isZero() || tunnelTimeout.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--tunnel-timeout must be more than 0, e.g. 30 or 2m");
        }
        if (maxHistory != null && maxHistory < 1) {
            throw new ParameterException(spec.commandLine(), "--max-history must be at least 1");
        }
        if (roomTtl != null && roomTtl.compareTo(MIN_ROOM_TTL) < 0) {
            // shorter, a room would end between an agent's turns (a poll keeps it alive only while it waits)
            throw new ParameterException(spec.commandLine(), "--room-ttl must be at least 1m");
        }
        if (maxMessageBytes != null && maxMessageBytes < 1) {
            throw new ParameterException(spec.commandLine(), "--max-message-bytes must be at least 1");
        }
        if (maxAgentTurns != null && maxAgentTurns < 0) {
            throw new ParameterException(spec.commandLine(), "--max-agent-turns must be 0 (off) or more");
        }
        if (redis != null && !redis.isBlank() && !redisUrl(redis)) {
            throw new ParameterException(spec.commandLine(),
                "--redis must be a Redis URL such as redis://localhost:6379 (or rediss:// for TLS)");
        }
    }

    /** A URL Redis's client takes: redis://, rediss://, or their sentinel and socket forms, with somewhere to go. */
    private static boolean redisUrl(String value) {
        try {
            java.net.URI uri = new java.net.URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return scheme.matches("rediss?(-sentinel)?|redis-socket")
                && (uri.getHost() != null || uri.getPath() != null && !uri.getPath().isEmpty());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Starts the service; unlike {@code Micronaut.run} a failure is thrown to us instead of exiting the JVM. */
    private ApplicationContext start() {
        DroppedErrors.install();
        ApplicationContext context = ApplicationContext.builder()
            .mainClass(Application.class)
            .banner(false)
            .properties(properties())
            .propertySources(defaults())
            .build();
        try {
            context.start();
            context.getBean(EmbeddedServer.class).start();
            return context;
        } catch (RuntimeException e) {
            Optional<String> setting = SettingsCheck.refusal(e, context);
            try {
                context.close();
            } catch (RuntimeException closing) {
                // closing makes the beans it stops, and one may fail again as it did: the first failure says why
                e.addSuppressed(closing);
            }
            if (setting.isPresent()) {
                throw new CliException(ExitCodes.USAGE, setting.get());
            }
            Throwable deepest = e;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (isPortInUse(t)) {
                    throw new CliException(ExitCodes.FAILURE, "Cannot listen on " + host + ":" + port
                        + " (" + t.getMessage() + "); is another room running? Try --port");
                }
                deepest = t;
            }
            // the framework's own sentence ("Unable to start Micronaut server") says nothing of why
            throw new CliException(ExitCodes.FAILURE, deepest == e || deepest.getMessage() == null
                ? "Cannot start the room: " + e.getMessage()
                : "Cannot start the room: " + deepest.getMessage() + " (" + host + ":" + port + ")");
        }
    }

    /** NIO reports a taken port as a BindException, Linux's native transport as an errno message. */
    private static boolean isPortInUse(Throwable t) {
        return t instanceof BindException
            || (t instanceof IOException && String.valueOf(t.getMessage()).contains("Address already in use"));
    }
}
