package dev.agentchat.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Room passwords are kept only as salted PBKDF2-HMAC-SHA256 hashes, encoded as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} so the iteration count can change without breaking
 * rooms created before.
 */
public final class PasswordHash {
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
            + b64.encodeToString(derive(password, salt, iterations));
    }

    /**
     * The server's own room's password in the same form, with one iteration: it is the server's
     * {@code --password}, already in the process's arguments, so a slow hash would protect nothing
     * and would only make the server room's first request slow.
     */
    public static String ofServerPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException("agent-chat.password must be set");
        }
        return hash(password, 1);
    }

    /** Whether {@code password} matches {@code encoded}; false for anything not in our format. */
    public static boolean verify(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            spec.clearPassword();
        }
    }
}
