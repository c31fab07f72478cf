package dev.agentchat.coordination;

import dev.agentchat.error.ApiError;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The rules of taking and releasing claims over the list of a room's claims, the same for every store:
 * the store runs them atomically (under a lock, or as a compare-and-set in Redis).
 */
final class ClaimBook {
    private static final String ID_PREFIX = "c-";
    /** A claim's id: its prefix and a 48-bit number in hex ({@link #newId}). */
    static final Pattern ID = Pattern.compile(ID_PREFIX + "[0-9a-f]{1,12}");

    private ClaimBook() {
    }

    /** What a taking did: the claims after it, the claim, and whether it was a renewal. */
    record Taken(List<Claim> claims, Claim claim, boolean renewed) {
    }

    /** What a release did: the claims after it, and the released claim. */
    record Released(List<Claim> claims, Claim claim) {
    }

    static List<Claim> live(List<Claim> claims, long now) {
        return claims.stream().filter(c -> c.liveAt(now)).toList();
    }

    /**
     * Takes or renews the claim; throws {@code claim_conflict} (with the claim in the way) or a cap error.
     */
    static Taken take(List<Claim> all, ClaimRequest request, long now, ClaimLimits limits) {
        List<Claim> claims = new ArrayList<>(live(all, now));
        long expires = now + request.ttlMillis();
        for (int i = 0; i < claims.size(); i++) {
            Claim held = claims.get(i);
            if (held.heldBy(request.agent()) && held.resource().equals(request.resource())) {
                Claim renewed = new Claim(held.id(), held.agent(), held.resource(),
                    request.note() == null ? held.note() : request.note(), held.takenAt(), expires);
                claims.set(i, renewed);
                return new Taken(List.copyOf(claims), renewed, true);
            }
        }
        for (Claim held : claims) {
            if (!held.heldBy(request.agent()) && Globs.overlap(held.resource(), request.resource())) {
                throw new ClaimConflict(held);
            }
        }
        long mine = claims.stream().filter(c -> c.heldBy(request.agent())).count();
        if (mine >= limits.perAgent()) {
            throw ApiError.TOO_MANY_CLAIMS.limit(limits.perAgent(), null);
        }
        if (claims.size() >= limits.perRoom()) {
            throw ApiError.TOO_MANY_CLAIMS_IN_ROOM.limit(limits.perRoom(), null);
        }
        Claim claim = new Claim(newId(), request.agent(), request.resource(), request.note(), now, expires);
        claims.add(claim);
        return new Taken(List.copyOf(claims), claim, false);
    }

    /** Releases claim {@code id}; only its holder may. */
    static Released release(List<Claim> all, String id, String agent, long now) {
        List<Claim> claims = new ArrayList<>(live(all, now));
        for (int i = 0; i < claims.size(); i++) {
            Claim held = claims.get(i);
            if (held.id().equals(id)) {
                if (!held.heldBy(agent)) {
                    throw ApiError.NOT_CLAIM_HOLDER.exception("Claim " + id + " is held by " + held.agent()
                        + ", not " + agent + ": only its holder can release it");
                }
                claims.remove(i);
                return new Released(List.copyOf(claims), held);
            }
        }
        throw ApiError.CLAIM_NOT_FOUND.exception("No live claim " + id + " (released, expired, or never taken)");
    }

    private static String newId() {
        return ID_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }
}
