package dev.agentchat.coordination;

import reactor.core.publisher.Flux;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a room keeps so that its agents coordinate: who acknowledged which message and who holds which
 * claim, announced as {@link CoordinationEvent}s. In memory ({@link MemoryCoordination}) or in Redis,
 * shared by every instance ({@link RedisCoordination}). One per room.
 */
public interface Coordination {

    /**
     * Adds {@code agent} to the acknowledgements of message {@code id} (which the caller checked exists)
     * and announces it; returns everyone who acknowledged it, in order. Throws {@code too_many_acks}
     * when the message has as many as it may keep.
     */
    List<String> ack(long id, String agent);

    /** The acknowledgements of those of {@code ids} that have any. */
    Map<Long, List<String>> acks(Collection<Long> ids);

    /** Takes or renews a claim and announces it; throws {@link ClaimConflict} or a cap error. */
    ClaimBook.Taken take(ClaimRequest request);

    /** Releases a claim (its holder only) and announces it. */
    Claim release(String id, String agent);

    /**
     * Counts a message about to be posted against the loop brake: a human's sets the count to 0, an
     * agent's adds one, unless the brake is engaged ({@code turns >= limit}, limit above 0): then it
     * throws {@code loop_brake} and counts nothing. Announces the brake when it engages or is released.
     */
    Brake turn(boolean human, int limit);

    /** The brake as it is. */
    Brake brake(int limit);

    /** Sets the count to 0 and announces it when the brake was engaged. */
    Brake release(int limit);

    /** The live claims, oldest first. */
    List<Claim> claims();

    /** What happens, as it happens: acknowledgements and claims. */
    Flux<CoordinationEvent> events();

    /** Ends what {@link #events()} gave out (the room is gone). */
    void close();
}
