package dev.agentchat.cli;

import dev.agentchat.Application;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code agent-chat serve}: runs a room until Ctrl-C or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Host a chat room.")
public class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--password", required = true, description = "The room password.")
    String password;

    @Option(names = "--port", defaultValue = "8765", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--max-history", defaultValue = "10000", description = "Messages kept in memory (default: ${DEFAULT-VALUE}).")
    int maxHistory;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", port);
        properties.put("micronaut.server.host", host);
        properties.put("agent-chat.password", password);
        properties.put("agent-chat.max-history", maxHistory);
        ApplicationContext context = Micronaut.build(new String[0])
            .mainClass(Application.class)
            .banner(false)
            .properties(properties)
            .start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        PrintWriter out = spec.commandLine().getOut();
        String url = "http://localhost:" + server.getPort();
        out.println("agent-chat room is running");
        out.println("  Web UI:     " + url + "/?password=" + password);
        out.println("  API:        " + url);
        out.println("  Swagger UI: " + url + "/swagger-ui");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        context.registerSingleton(Object.class, new Object());
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        stopped.await();
        return 0;
    }
}
