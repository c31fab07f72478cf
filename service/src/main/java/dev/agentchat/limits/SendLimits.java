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
    private final boolean exemptLoopback;

    public SendLimits(LimitSettings settings, ClientAddresses addresses) {
        this.perAddress = new RateLimiter(settings.sendBurstPerAddress(), settings.sendRefillPerAddress(),
            ApiError.SEND_RATE_LIMITED, System::nanoTime);
        this.perAgent = new RateLimiter(settings.sendBurstPerAgent(), settings.sendRefillPerAgent(),
            ApiError.SEND_RATE_LIMITED, System::nanoTime);
        this.addresses = addresses;
        this.exemptLoopback = settings.exemptLoopback();
    }

    /** Counts a message posted by {@code agent} in the current request, or throws {@code send_rate_limited}. */
    public void sent(String agent) {
        String address = addresses.current();
        if (exemptLoopback && ClientAddresses.isLoopback(address)) {
            return;
        }
        perAddress.take(address);
        perAgent.take(agent.toLowerCase(Locale.ROOT));
    }
}
