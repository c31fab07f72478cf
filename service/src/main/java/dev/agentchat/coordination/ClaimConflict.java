package dev.agentchat.coordination;

/** A claim was refused because {@link #held} overlaps it; answered as {@code 409 claim_conflict}. */
public final class ClaimConflict extends RuntimeException {
    private final Claim held;

    public ClaimConflict(Claim held) {
        super(null, null, false, false);
        this.held = held;
    }

    public Claim held() {
        return held;
    }
}
