package dev.agentchat.coordination;

import dev.agentchat.error.ApiError;
import dev.agentchat.error.ApiException;

/** The loop brake's refusal, worded once for every store. */
final class Brakes {
    private Brakes() {
    }

    static ApiException refusal(Brake brake) {
        return ApiError.LOOP_BRAKE.limit(brake.agentTurns() + (brake.agentTurns() == 1 ? " agent message" : " agent messages")
            + " in a row without a human one"
            + ": agents may post again once a person posts or the host releases the brake",
            brake.limit());
    }
}
