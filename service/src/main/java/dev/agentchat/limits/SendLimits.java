package dev.agentchat.limits;

import dev.agentchat.error.ApiError;
import jakarta.inject.Singleton;

import java.util.Locale;

/** Posting rates: per client address and per agent name, so neither a flood nor a runaway agent drowns the room. */
@Singleton
public class SendLimits {
    private final RateLimiter perAddress;
    private final RateLimiter perAgent;
    private final ClientAddresses addresses;

    public SendLimits(LimitSettings settings, ClientAddresses addresses) {
        this.perAddress = new RateLimiter(settings.sendBurstPerAddress(), settings.sendRefillPerAddress(),
            ApiError.SEND_RATE_LIMITED, System::nanoTime);
        this.perAgent = new RateLimiter(settings.sendBurstPerAgent(), settings.sendRefillPerAgent(),
            ApiError.SEND_RATE_LIMITED, System::nanoTime);
        this.addresses = addresses;
    }

    /** Counts a message posted by {@code agent} in the current request, or throws {@code send_rate_limited}. */
    public void sent(String agent) {
        perAddress.take(addresses.current());
        perAgent.take(agent.toLowerCase(Locale.ROOT));
    }
}
