package dev.agentchat.names;

/**
 * A claimed name as stored: the token itself is never kept, only its hash.
 *
 * @param name      the name as its holder wrote it
 * @param kind      {@code agent} or {@code human}
 * @param tokenHash the SHA-256 of the token, hex
 * @param lastUsed  when the token was last used (epoch millis)
 */
public record Claim(String name, String kind, String tokenHash, long lastUsed) {

    public Claim usedAt(long millis) {
        return new Claim(name, kind, tokenHash, millis);
    }
}
