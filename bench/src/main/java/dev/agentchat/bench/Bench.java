package dev.agentchat.bench;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code agent-chat-bench}: runs every scenario against one server (started here with {@code --start},
 * or any running one with {@code --url}), prints a table and writes the figures as JSON.
 */
@Command(name = "agent-chat-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Load generator for agent-chat: fan-out (on one instance and across two sharing a Redis), "
        + "send throughput, long-poll, idle memory, start-up, a long soak with the server's heap, "
        + "each compared with the /health ceiling measured in the same run; and one-shot CLI commands, "
        + "timed beside the original CLI.")
public final class Bench implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /**
     * The started server's abuse limits, lifted: the benchmark is one address posting as one agent
     * and opening 10,000 streams, which the defaults rightly refuse, and its posts are agent messages
     * without a human one, which the loop brake holds after 25. {@code --prop} overrides these.
     */
    static final Map<String, String> LIFTED_LIMITS = Map.of(
        "agent-chat.max-agent-turns", "0",
        "agent-chat.limits.connections-total", "1000000",
        "agent-chat.limits.send-burst-per-address", "1000000000",
        "agent-chat.limits.send-burst-per-agent", "1000000000",
        "agent-chat.limits.streams-per-address", "1000000",
        "agent-chat.limits.streams-total", "1000000",
        "agent-chat.limits.polls-per-address", "1000000",
        "agent-chat.limits.polls-total", "1000000");

    static final class Server {
        @Option(names = "--start", required = true,
            description = "Start cli/target/agent-chat.jar serve as a separate process on a free port.")
        boolean start;

        @ArgGroup(exclusive = false)
        Remote remote;
    }

    static final class Remote {
        @Option(names = {"-u", "--url"}, required = true, description = "A running server, e.g. http://host:8765.")
        URI url;

        @Option(names = {"-p", "--password"}, required = true, description = "Its room password.")
        String password;
    }

    @ArgGroup(multiplicity = "1")
    Server server;

    @Option(names = "--server-jar", defaultValue = "cli/target/agent-chat.jar",
        description = "The jar --start runs (default: ${DEFAULT-VALUE}).")
    Path serverJar;

    @Option(names = {"-D", "--prop"}, mapFallbackValue = "", paramLabel = "KEY=VALUE",
        description = "Configuration for the started server, passed as -DKEY=VALUE (repeatable), "
            + "e.g. to lift agent-chat.limits.* caps.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--server-jvm-arg", paramLabel = "ARG", description = "A JVM option for the started server (repeatable); "
        + "one naming a collector (-XX:+Use...GC) replaces --server-options.")
    List<String> serverJvmArgs = new ArrayList<>();

    @Option(names = "--server-options", defaultValue = "cli/src/main/jvm/serve.options", paramLabel = "FILE",
        description = "The JVM options file the launcher starts serve with, given to the started server too "
            + "(default: ${DEFAULT-VALUE}; left out when missing).")
    Path serverOptions;

    @Option(names = "--jfr", paramLabel = "FILE", description = "Record the started server with Java Flight Recorder into FILE.")
    Path jfr;

    @Option(names = "--subscribers", split = ",", defaultValue = "100,1000,5000,10000",
        description = "Fan-out subscriber counts (default: ${DEFAULT-VALUE}).")
    List<Integer> subscribers;

    @Option(names = "--messages", defaultValue = "20", description = "Messages per fan-out run (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--warm-up-messages", defaultValue = "10",
        description = "Unmeasured messages before each fan-out's measured ones (default: ${DEFAULT-VALUE}).")
    int warmUpMessages;

    @Option(names = "--interval", defaultValue = "PT0.2S",
        description = "Pause between fan-out messages, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--cross-subscribers", defaultValue = "1000",
        description = "Subscribers of the cross-instance fan-out (default: ${DEFAULT-VALUE}).")
    int crossSubscribers;

    @Option(names = "--concurrency", defaultValue = "64", description = "Connections of the throughput runs (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--throughput-subscribers", defaultValue = "1000",
        description = "Subscribers attached in the second POST run (default: ${DEFAULT-VALUE}).")
    int throughputSubscribers;

    @Option(names = "--warmup", defaultValue = "PT3S", description = "Warm-up of each throughput run (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "PT10S", description = "Measured window of each throughput run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--long-polls", defaultValue = "1000", description = "Waiting long-polls (default: ${DEFAULT-VALUE}).")
    int longPolls;

    @Option(names = "--long-poll-warm-up", defaultValue = "30",
        description = "Unmeasured long-poll rounds first, the first of them reported as the cold round (default: ${DEFAULT-VALUE}).")
    int longPollWarmUp;

    @Option(names = "--long-poll-rounds", defaultValue = "10",
        description = "Measured long-poll rounds, pooled (default: ${DEFAULT-VALUE}).")
    int longPollRounds;

    @Option(names = "--idle-connections", defaultValue = "5000",
        description = "Idle SSE streams for the memory figure (default: ${DEFAULT-VALUE}).")
    int idleConnections;

    @Option(names = "--idle-warm-up", defaultValue = "3000",
        description = "Idle SSE streams opened first and kept open, so that the memory figure is what each "
            + "further stream costs, not the server's one-time costs (default: ${DEFAULT-VALUE}).")
    int idleWarmUp;

    @Option(names = "--soak-minutes", defaultValue = "30",
        description = "Length of the soak run, in minutes, fractions allowed (default: ${DEFAULT-VALUE}).")
    double soakMinutes;

    @Option(names = "--soak-subscribers", defaultValue = "100",
        description = "Streams open throughout the soak run (default: ${DEFAULT-VALUE}).")
    int soakSubscribers;

    @Option(names = "--soak-rate", defaultValue = "20",
        description = "Posts per second during the soak run (default: ${DEFAULT-VALUE}).")
    double soakRate;

    @Option(names = "--soak-message-bytes", defaultValue = "4096",
        description = "Text size of each soak message (default: ${DEFAULT-VALUE}).")
    int soakMessageBytes;

    @Option(names = "--peer", paramLabel = "PEER",
        description = "Also start ${COMPLETION-CANDIDATES} (nginx with the nchan module, already installed) on a free "
            + "loopback port and run the idle, fan-out and long-poll scenarios against it with the same parameters; "
            + "each of our figures is shown beside its figure and as a ratio.")
    Peer peer;

    /** Servers the benchmark can set beside agent-chat. */
    enum Peer { nchan }

    static final String PEER_NCHAN = "nchan";

    @Option(names = "--only", split = ",", paramLabel = "SCENARIO",
        description = "Run only these: idle, fanout, crossfanout, longpoll, throughput, cli, soak "
            + "(default: all but soak, which runs only when named).")
    Set<String> only;

    @Option(names = "--cli", defaultValue = "agent-chat",
        description = "The launcher the cli scenario times (default: ${DEFAULT-VALUE}, at the repository root).")
    Path cli;

    @Option(names = "--original-cli", defaultValue = "${env:AGENT_CHAT_ORIGINAL_CLI}", paramLabel = "PATH",
        description = "The original agent-chatroom 0.2.0 CLI (an executable taking send -u -p -a -m), timed beside "
            + "ours in the cli scenario (default: $AGENT_CHAT_ORIGINAL_CLI; without it ours are timed alone).")
    Path originalCli;

    @Option(names = "--cli-runs", defaultValue = "15", description = "Runs of each one-shot command (default: ${DEFAULT-VALUE}).")
    int cliRuns;

    @Option(names = "--threads", description = "Generator event-loop threads (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-o", "--output"}, defaultValue = "bench/target/results.json",
        description = "Where the JSON results go (default: ${DEFAULT-VALUE}).")
    Path output;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Bench());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("agent-chat-bench: " + (e instanceof BenchException ? e.getMessage() : e.toString()));
            return EXIT_FAILED;
        });
        commandLine.setParameterExceptionHandler((e, args1) -> {
            e.getCommandLine().getErr().println("agent-chat-bench: " + e.getMessage());
            return EXIT_USAGE;
        });
        return commandLine.execute(args);
    }

    /**
     * The JVM options the {@code agent-chat} launcher starts {@code serve} with, then {@code extra}: the
     * options file (unless {@code extra} names a collector, as the launcher leaves it out when
     * {@code JAVA_OPTS} does), and the class-data-sharing archive the build writes next to the jar, when
     * it is newer than the jar.
     */
    static List<String> serveOptions(Path jar, Path optionsFile, List<String> extra) throws IOException {
        List<String> options = new ArrayList<>();
        if (Files.isRegularFile(optionsFile) && extra.stream().noneMatch(Bench::namesCollector)) {
            options.add("@" + optionsFile.toAbsolutePath());
        }
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa");
        if (Files.isRegularFile(archive)
            && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            options.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        options.addAll(extra);
        return options;
    }

    private static boolean namesCollector(String jvmOption) {
        return jvmOption.startsWith("-XX:+Use") && jvmOption.endsWith("GC");
    }

    @Override
    public Integer call() throws IOException {
        atLeast("--messages", messages, 1);
        atLeast("--warm-up-messages", warmUpMessages, 0);
        atLeast("--long-polls", longPolls, 1);
        atLeast("--long-poll-warm-up", longPollWarmUp, 1);
        atLeast("--long-poll-rounds", longPollRounds, 1);
        atLeast("--soak-subscribers", soakSubscribers, 0);
        atLeast("--soak-message-bytes", soakMessageBytes, 1);
        if (!(soakMinutes > 0) || !(soakRate > 0)) {
            throw new ParameterException(spec.commandLine(), "--soak-minutes and --soak-rate must be above 0");
        }
        Optional<NginxProcess.Installation> nchan = Optional.empty();
        if (peer != null) {
            nchan = NginxProcess.find();
            if (nchan.isEmpty()) {
                throw new BenchException("--peer nchan needs nginx and its nchan module (" + NginxProcess.NGINX + ", "
                    + NginxProcess.NCHAN_MODULE + "; on Debian: apt-get install nginx libnginx-mod-nchan); "
                    + "the benchmark installs nothing");
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> machine = machine();
        results.put("machine", machine);
        ServerFigures ours = new ServerFigures("agent-chat");
        ServerFigures theirs = null;
        Table table = new Table();
        Rows rows = new Rows(table, out);
        ServerProcess started = null;
        try {
            Target target;
            MeasuredProcess local = null;
            if (server.start) {
                List<String> jvm = serveOptions(serverJar, serverOptions, serverJvmArgs);
                if (jfr != null) {
                    jvm.add("-XX:StartFlightRecording=filename=" + jfr.toAbsolutePath() + ",settings=profile,dumponexit=true");
                }
                Map<String, String> serverProperties = new LinkedHashMap<>(LIFTED_LIMITS);
                serverProperties.putAll(properties);
                Path log = output.toAbsolutePath().resolveSibling("server.log");
                out.println("starting " + serverJar + " (log: " + log + ")");
                started = ServerProcess.start(serverJar, jvm, serverProperties, log);
                target = started.target();
                local = started.local();
                results.put("server", Map.of("mode", "started", "jar", serverJar.toString(), "jvm_args", jvm,
                    "properties", serverProperties));
                results.put("startup_ms", started.startupMillis());
                results.put("startup_cpu_ms", started.startupCpuMillis());
                rows.startUp(started);
                out.printf(Locale.ROOT, "started in %.0f ms (%.0f ms CPU) at %s%n", started.startupMillis(),
                    started.startupCpuMillis(), target.url());
            } else {
                target = new Target(server.remote.url, server.remote.password);
                results.put("server", Map.of("mode", "url", "url", target.url().toString()));
                if (!new Control(target).healthyWithin(Duration.ofSeconds(15))) {
                    throw new BenchException(target.url() + "/health does not answer 200");
                }
            }
            run(target, local, results, rows, ours);
        } finally {
            if (started != null) {
                started.close();
            }
        }
        Comparison comparison = null;
        if (nchan.isPresent()) {
            theirs = runPeer(nchan.get(), results, rows);
            comparison = new Comparison(ours, theirs);
            comparison.addTo(table);
            results.put("versus_" + PEER_NCHAN, comparison.json());
        }
        out.println();
        table.print(out);
        Path file = output.toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.write(results));
        Path html = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ".html");
        Files.writeString(html, new Report(machine, ours, theirs, comparison).html());
        out.println();
        out.println("results written to " + file + " (pictures: " + html + ")");
        if (Report.busy(machine)) {
            out.printf(Locale.ROOT, "note: the load average was %.2f on %s cores when the run started: other work competed "
                + "for the CPU, so these figures are not representative%n", machine.get("load_average_at_start"), machine.get("cores"));
        }
        return EXIT_OK;
    }

    private void run(Target target, MeasuredProcess local, Map<String, Object> results, Rows rows,
                     ServerFigures figures) {
        Control control = new Control(target);
        try (Http http = new Http(target, threads)) {
            comparable(http, control, local, results, rows, figures, "", true);
            if (wants("crossfanout")) {
                runCrossInstance(results, rows);
            }
            if (wants("throughput")) {
                runThroughput(http, local, results, rows);
            }
            if (only != null && only.contains("soak")) {
                runSoak(http, control, local instanceof LocalProcess jvm ? jvm : null, results, rows);
            }
            if (wants("cli")) {
                runCli(target, control, results, rows);
            }
        }
    }

    /**
     * One-shot commands through the launcher, each a new process: on Java 17 (the floor) and, where
     * the build made one, with the newer JDK's ahead-of-time cache; beside the original CLI.
     */
    private void runCli(Target target, Control control, Map<String, Object> results, Rows rows) {
        List<CliStartup.Cli> clis = new ArrayList<>();
        Set<String> all = Set.copyOf(CliStartup.COMMANDS);
        String launcher = cli.toAbsolutePath().toString();
        clis.add(new CliStartup.Cli("java17", List.of(launcher), all, Map.of("AGENT_CHAT_AOT", "off")));
        Path aotJava = serverJar.toAbsolutePath().resolveSibling("agent-chat-client.aot.java");
        if (Files.isRegularFile(aotJava)) {
            clis.add(new CliStartup.Cli("aot", List.of(launcher), all, Map.of("AGENT_CHAT_AOT", "on")));
        }
        String baseline = null;
        if (originalCli != null) {
            baseline = "original";
            clis.add(new CliStartup.Cli(baseline, List.of(originalCli.toAbsolutePath().toString()), Set.of("send"), Map.of()));
        }
        out.println("cli: " + String.join(", ", CliStartup.COMMANDS) + " x " + cliRuns + " for "
            + clis.stream().map(CliStartup.Cli::name).toList()
            + (originalCli == null ? " (no --original-cli: ours alone)" : ""));
        CliStartup.Result result;
        Path state = null;
        try {
            state = Files.createTempDirectory("agent-chat-bench-cli");
            result = CliStartup.run(target, control, clis, baseline, cliRuns, state);
        } catch (IOException e) {
            throw new BenchException("cli: no temporary directory: " + e);
        } finally {
            deleteQuietly(state);
        }
        Map<String, Object> json = result.json();
        json.put("launcher", launcher);
        if (Files.isRegularFile(aotJava)) {
            try {
                json.put("aot_java", Files.readString(aotJava).strip());
            } catch (IOException unreadable) {
                json.put("aot_java", null);
            }
        }
        results.put("cli", json);
        rows.cli(result, baseline);
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    /**
     * The scenarios a peer runs too: idle memory, fan-out, long-poll. Their figures go into
     * {@code figures} and {@code results}, their rows (named with {@code prefix}) into the table,
     * judged against our own targets when {@code judge}.
     */
    private void comparable(Http http, Control control, MeasuredProcess local, Map<String, Object> results,
                            Rows rows, ServerFigures figures, String prefix, boolean judge) {
        if (wants("idle")) {
            if (local == null) {
                out.println(prefix + "idle: skipped (needs --start to read the server's memory)");
            } else {
                out.println(prefix + "idle: " + idleConnections + " SSE streams after " + idleWarmUp + " kept open");
                IdleCost.Result idle = IdleCost.run(http, local, idleWarmUp, idleConnections);
                figures.idle(idle);
                results.put("idle", idle.json());
                rows.idle(prefix, idle, judge);
            }
        }
        if (wants("fanout")) {
            List<Object> runs = new ArrayList<>();
            for (int count : subscribers) {
                out.println(prefix + "fan-out: " + count + " subscribers, " + messages + " messages");
                FanOut.Result fan = FanOut.run(http, control, local, count, messages, warmUpMessages, interval);
                figures.fanOut(fan);
                runs.add(fan.json());
                rows.fanOut(prefix + "fan-out " + count + ": ", fan, judge);
            }
            results.put("fanout", runs);
        }
        if (wants("longpoll")) {
            out.println(prefix + "long-poll: " + longPolls + " waiting polls, " + longPollWarmUp + " warm-up and "
                + longPollRounds + " measured rounds");
            LongPollWake.Result poll = LongPollWake.run(http, control, local, longPolls, longPollWarmUp,
                longPollRounds);
            figures.longPoll(poll);
            results.put("longpoll", poll.json());
            rows.longPoll(prefix + "long-poll " + longPolls + ": ", poll, judge);
        }
    }

    /**
     * nginx with nchan, started here on a free loopback port, through the same idle, fan-out and
     * long-poll scenarios with the same parameters. Its nginx.conf and error log are copied beside
     * the results.
     */
    private ServerFigures runPeer(NginxProcess.Installation installation, Map<String, Object> results, Rows rows)
        throws IOException {
        Path dir = Files.createTempDirectory("agent-chat-bench-nchan-");
        int workers = Runtime.getRuntime().availableProcessors();
        ServerFigures figures = new ServerFigures(PEER_NCHAN);
        Map<String, Object> json = new LinkedHashMap<>();
        try {
            out.println();
            out.println("peer: starting nginx with nchan, " + workers + " workers (configuration: " + dir.resolve("nginx.conf") + ")");
            try (NginxProcess nginx = NginxProcess.start(installation, dir, workers, NginxProcess.openFileLimit())) {
                Map<String, Object> server = new LinkedHashMap<>();
                server.put("nginx", NginxProcess.version(installation));
                server.put("module", installation.module().toString());
                server.put("workers", workers);
                server.put("url", nginx.target().url().toString());
                server.put("message_buffer", NginxProcess.MESSAGE_BUFFER);
                server.put("memory_counted_as", nginx.processes().memoryKind());
                json.put("server", server);
                try (Http http = new Http(nginx.target(), threads)) {
                    comparable(http, new Control(nginx.target()), nginx.processes(), json, rows, figures,
                        PEER_NCHAN + " ", false);
                }
            }
        } finally {
            Path beside = output.toAbsolutePath().getParent();
            Files.createDirectories(beside);
            for (String name : List.of("nginx.conf", "error.log")) {
                if (Files.isRegularFile(dir.resolve(name))) {
                    Files.copy(dir.resolve(name), beside.resolve(name.equals("error.log") ? "nginx-error.log" : name),
                        StandardCopyOption.REPLACE_EXISTING);
                }
            }
            deleteQuietly(dir);
            results.put(PEER_NCHAN, json);
        }
        return figures;
    }

    /**
     * Fan-out and long-poll across instances: a redis-server of its own and two servers sharing it,
     * subscribers and polls on instance B, posts on instance A, so every delivery crosses Redis pub/sub
     * and every poll reads a room kept in Redis. The server CPU is B's.
     */
    private void runCrossInstance(Map<String, Object> results, Rows rows) {
        if (!server.start) {
            out.println("cross-instance fan-out: skipped (needs --start: it starts its own Redis and two servers)");
            return;
        }
        Optional<Path> binary = RedisProcess.find();
        if (binary.isEmpty()) {
            out.println("cross-instance fan-out: skipped (no redis-server on the PATH)");
            results.put("crossfanout", Map.of("skipped", "no redis-server on the PATH"));
            return;
        }
        Path logs = output.toAbsolutePath().getParent();
        out.println("cross-instance fan-out: starting redis-server and two servers (logs: " + logs + ")");
        try (RedisProcess redis = RedisProcess.start(binary.get(), logs.resolve("redis.log"));
             ServerProcess a = ServerProcess.start(serverJar, serveOptions(serverJar, serverOptions, serverJvmArgs),
                 withRedis(redis), logs.resolve("server-a.log"));
             ServerProcess b = ServerProcess.start(serverJar, serveOptions(serverJar, serverOptions, serverJvmArgs),
                 withRedis(redis), logs.resolve("server-b.log"));
             Http http = new Http(b.target(), threads)) {
            out.println("cross-instance fan-out: " + crossSubscribers + " subscribers on instance B, " + messages
                + " messages posted on instance A");
            FanOut.Result fan = FanOut.run(http, new Control(a.target()), b.local(), crossSubscribers, messages,
                warmUpMessages, interval);
            Map<String, Object> json = new LinkedHashMap<>(fan.json());
            json.put("layout", "subscribers on instance B, posts on instance A, one redis-server");
            results.put("crossfanout", json);
            rows.fanOut("cross-instance fan-out " + crossSubscribers + ": ", fan, false);
            out.println("cross-instance long-poll: " + longPolls + " polls waiting on instance B, woken by a post on A");
            LongPollWake.Result poll = LongPollWake.run(http, new Control(a.target()), b.local(), longPolls,
                longPollWarmUp, longPollRounds);
            results.put("crosslongpoll", poll.json());
            rows.longPoll("cross-instance long-poll " + longPolls + ": ", poll, false);
        } catch (IOException e) {
            throw new BenchException("cross-instance fan-out could not start: " + e.getMessage());
        }
    }

    private Map<String, String> withRedis(RedisProcess redis) {
        Map<String, String> serverProperties = new LinkedHashMap<>(LIFTED_LIMITS);
        serverProperties.putAll(properties);
        serverProperties.put("agent-chat.redis-url", redis.url());
        return serverProperties;
    }

    private void runThroughput(Http http, MeasuredProcess local, Map<String, Object> results, Rows rows) {
        out.println("ceiling: GET /health at concurrency " + concurrency);
        Throughput.Result ceiling = Throughput.run(http, local, "GET /health", http.get("/health"), concurrency, 0,
            warmup, duration);
        String body = "{\"agent\":\"bench\",\"text\":\"bench throughput\"}";
        out.println("throughput: POST /messages at concurrency " + concurrency);
        Throughput.Result bare = Throughput.run(http, local, "POST /messages", http.postJson("/messages", body),
            concurrency, 0, warmup, duration);
        out.println("throughput: POST /messages at concurrency " + concurrency + " with " + throughputSubscribers
            + " subscribers");
        Throughput.Result loaded = Throughput.run(http, local, "POST /messages with subscribers",
            http.postJson("/messages", body), concurrency, throughputSubscribers, warmup, duration);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ceiling", ceiling.json());
        json.put("post", bare.json());
        json.put("post_with_subscribers", loaded.json());
        json.put("post_ratio_to_ceiling", bare.perSecond() / ceiling.perSecond());
        json.put("post_with_subscribers_ratio_to_ceiling", loaded.perSecond() / ceiling.perSecond());
        results.put("throughput", json);
        rows.throughput(concurrency, ceiling, bare, loaded);
    }

    private void runSoak(Http http, Control control, LocalProcess local, Map<String, Object> results, Rows rows) {
        Duration length = Duration.ofMillis(Math.round(soakMinutes * 60_000));
        out.println(String.format(Locale.ROOT, "soak: %.1f min, %s posts/s of %d bytes to %d streams%s",
            soakMinutes, soakRate, soakMessageBytes, soakSubscribers,
            local == null ? " (no heap figures: needs --start)" : ""));
        Soak.Result soak = Soak.run(http, control, local, length, soakSubscribers, soakRate, soakMessageBytes);
        results.put("soak", soak.json());
        rows.soak(soak);
    }

    private void atLeast(String option, int value, int least) {
        if (value < least) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + least + ", not " + value);
        }
    }

    private boolean wants(String scenario) {
        return only == null || only.isEmpty() || only.contains(scenario);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("date", Instant.now().toString());
        machine.put("cpu", cpuModel());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        machine.put("generator_transport", Http.transport());
        return machine;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
