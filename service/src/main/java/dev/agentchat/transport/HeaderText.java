package dev.agentchat.transport;

import io.micronaut.core.annotation.Nullable;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A header's text as the client wrote it. Netty hands each byte of a header over as one char
 * (ISO-8859-1), while clients send a name such as "café" or a password such as "pässwort" as UTF-8
 * bytes; bytes that are not UTF-8 are kept as they came.
 */
public final class HeaderText {
    private HeaderText() {
    }

    @Nullable
    public static String utf8(@Nullable String header) {
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
}
