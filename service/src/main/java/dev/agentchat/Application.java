package dev.agentchat;

import dev.agentchat.system.DroppedErrors;
import dev.agentchat.system.GivenSettings;
import dev.agentchat.system.SettingsCheck;
import dev.agentchat.system.SignalExit;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service on its own (the CLI's {@code serve} is the usual way), with the settings checked as
 * {@code serve} checks them ({@link GivenSettings}): a setting the server cannot run with stops it with
 * one line naming the setting and exit status 2, as {@code serve}'s.
 */
public final class Application {
    /** The exit status of a server a setting stopped: {@code serve}'s for the same. */
    static final int REFUSED_SETTING = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        DroppedErrors.install();
        ApplicationContext context = new Server().mainClass(Application.class).args(args)
            .properties(GivenSettings.ofThisJvm()).start();
        SignalExit.install(context);
    }

    /** Micronaut's start, but a refused setting is said in one line rather than with a stack trace. */
    private static final class Server extends Micronaut {
        @Override
        protected void handleStartupException(Environment environment, Throwable failure) {
            Optional<String> setting = environment == null ? Optional.empty() : SettingsCheck.refusal(failure, environment);
            if (setting.isEmpty()) {
                super.handleStartupException(environment, failure);
                return;
            }
            LOG.error(setting.get());
            System.exit(REFUSED_SETTING);
        }
    }
}
