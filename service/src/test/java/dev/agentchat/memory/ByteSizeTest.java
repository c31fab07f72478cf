package dev.agentchat.memory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteSizeTest {

    @Test
    void heapSharesAndUnitsAreBytes() {
        assertEquals(64L << 20, ByteSize.parse("25%", 256L << 20));
        assertEquals(1L << 20, ByteSize.parse("1MiB", 0));
        assertEquals(65536, ByteSize.parse("64KiB", 0));
        assertEquals(123, ByteSize.parse("123", 0));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("lots", 0));
    }
}
