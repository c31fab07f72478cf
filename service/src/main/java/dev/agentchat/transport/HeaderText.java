package dev.agentchat.transport;

import io.micronaut.core.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A header's text as the client wrote it. Netty hands each byte of a header over as one char
 * (ISO-8859-1), while clients send a name such as "café" or a password such as "pässwort" as UTF-8
 * bytes; bytes that are not UTF-8 are kept as they came. A client whose HTTP stack writes ASCII
 * headers only (Java's) sends such text encoded as RFC 8187 does: {@code UTF-8''p%C3%A4sswort}.
 */
public final class HeaderText {
    /** How an RFC 8187 value begins (compared ignoring case). */
    public static final String ENCODED = "UTF-8''";

    private HeaderText() {
    }

    @Nullable
    public static String utf8(@Nullable String header) {
        if (header != null && header.regionMatches(true, 0, ENCODED, 0, ENCODED.length())) {
            String decoded = percentDecoded(header.substring(ENCODED.length()));
            if (decoded != null) {
                return decoded;
            }
        }
        if (header == null || header.chars().allMatch(c -> c < 0x80) || !header.chars().allMatch(c -> c <= 0xFF)) {
            return header;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .decode(ByteBuffer.wrap(header.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException notUtf8) {
            return header;
        }
    }

    /** The UTF-8 text of {@code %XX} escapes among plain ASCII, or null when it is not that. */
    @Nullable
    private static String percentDecoded(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c > 0x20 && c < 0x7F) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }
}
