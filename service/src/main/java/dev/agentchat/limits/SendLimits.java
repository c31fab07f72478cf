package dev.agentchat.limits;

import dev.agentchat.error.ApiError;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Locale;

/**
 * Posting rates: per client address and per agent name, so neither a flood nor a runaway agent drowns
 * the room. They count across all rooms, and across all instances when {@link SharedBuckets} are configured.
 */
@Singleton
public class SendLimits {
    private final RateLimiter perAddress;
    private final RateLimiter perAgent;
    private final ClientAddresses addresses;
    private final boolean exemptLoopback;

    public SendLimits(LimitSettings settings, ClientAddresses addresses, @Nullable SharedBuckets shared) {
        this.perAddress = new RateLimiter("send-address", settings.sendBurstPerAddress(),
            settings.sendRefillPerAddress(), ApiError.SEND_RATE_LIMITED, System::nanoTime, shared);
        this.perAgent = new RateLimiter("send-agent", settings.sendBurstPerAgent(), settings.sendRefillPerAgent(),
            ApiError.SEND_RATE_LIMITED, System::nanoTime, shared);
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
