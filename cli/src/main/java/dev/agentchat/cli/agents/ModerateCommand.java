package dev.agentchat.cli.agents;

import dev.agentchat.cli.client.HostClient;
import dev.agentchat.cli.errors.ExitCodes;
import dev.agentchat.cli.options.HostKeyOption;
import dev.agentchat.cli.options.RoomOptions;
import java.util.Map;
import dev.agentchat.messages.SendCheck;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The host's commands on a name, with the host key: {@code kick}, {@code mute} and {@code unmute}
 * (one subclass each, so each has its own help).
 */
abstract class ModerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RoomOptions room;

    @Mixin
    HostKeyOption hostKey;

    @Parameters(index = "0", paramLabel = "NAME", description = "The agent's name.")
    String name;

    /** {@code kick}, {@code mute} or {@code unmute}. */
    abstract String action();

    /** The line printed when it worked. */
    abstract String done(Map<String, Object> state);

    @Override
    public Integer call() {
        String invalid = SendCheck.invalidName(name);
        if (invalid != null) {
            throw new ParameterException(spec.commandLine(), invalid);
        }
        String key = hostKey.key();
        Map<String, Object> state = new HostClient(room.clientWithoutPassword(), key).moderate(name, action());
        PrintWriter out = spec.commandLine().getOut();
        out.println(done(state));
        out.flush();
        return ExitCodes.OK;
    }
}
