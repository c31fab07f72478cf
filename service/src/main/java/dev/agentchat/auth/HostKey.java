package dev.agentchat.auth;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The server's host key ({@link AccessSettings#hostKey()}), compared in constant time. A server
 * without one has no host: every presented key is wrong.
 */
@Singleton
public class HostKey {
    @Nullable
    private final byte[] digest;

    public HostKey(AccessSettings settings) {
        String key = settings.hostKey();
        this.digest = key == null || key.isEmpty() ? null : sha256(key);
    }

    /** Whether {@code presented} is the host key. */
    public boolean matches(@Nullable String presented) {
        return digest != null && presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
