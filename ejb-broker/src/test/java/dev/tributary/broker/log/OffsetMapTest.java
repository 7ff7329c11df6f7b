package dev.tributary.broker.log;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetMapTest {

    private static ByteBuffer key(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheLatestOffsetOfEveryKey() {
        OffsetMap map = new OffsetMap(1 << 20, 0.9);
        map.reset(100_000);
        for (int i = 0; i < 100_000; i++)
            assertTrue(map.put(key("key-" + (i % 10_000)), i));
        assertEquals(10_000, map.size());
        for (int k = 0; k < 10_000; k++)
            assertEquals(90_000 + k, map.get(key("key-" + k)));
        assertEquals(-1, map.get(key("key-10000")));
        assertEquals(-1, map.get(key("")), "the empty key is a key like any other");
        assertTrue(map.put(key(""), 5));
        assertEquals(5, map.get(key("")));
    }

    @Test
    void readsKeysWithoutMovingThemAndWhateverTheirBufferPosition() {
        OffsetMap map = new OffsetMap(1 << 16, 0.9);
        map.reset(10);
        ByteBuffer framed = key("xxa-long-key-of-more-than-sixteen-bytesyy");
        framed.position(2).limit(framed.capacity() - 2);
        assertTrue(map.put(framed, 42));
        assertEquals(2, framed.position());
        assertEquals(42, map.get(key("a-long-key-of-more-than-sixteen-bytes")));
        assertEquals(-1, map.get(key("a-long-key-of-more-than-sixteen-byte")), "a prefix is another key");
    }

    @Test
    void refusesNewKeysOnceFullButStillUpdatesKnownOnes() {
        OffsetMap map = new OffsetMap(10 * OffsetMap.BYTES_PER_ENTRY, 0.9);
        map.reset(1_000_000);
        assertEquals(9, map.maxCapacity());
        for (int i = 0; i < 9; i++)
            assertTrue(map.put(key("k" + i), i));
        assertFalse(map.put(key("k9"), 9), "the map is as full as its load factor allows");
        assertTrue(map.put(key("k0"), 100), "a known key takes no new slot");
        assertEquals(100, map.get(key("k0")));
        assertEquals(-1, map.get(key("k9")));
    }

    @Test
    void sizesItsTableForTheKeysAPassCanMeetWithinItsMemory() {
        OffsetMap map = new OffsetMap(1L << 30, 0.9);
        map.reset(100);
        for (int i = 0; i < 100; i++)
            map.put(key("k" + i), i);
        assertTrue(map.utilization() < 0.001, "a small range takes a small table: " + map.utilization());
        map.release();
        map.reset(10);
        assertEquals(0, map.size(), "reset empties it");
        assertEquals(-1, map.get(key("k1")));
    }

    @Test
    void needsRoomForTwoSlots() {
        assertThrows(IllegalArgumentException.class, () -> new OffsetMap(OffsetMap.BYTES_PER_ENTRY, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new OffsetMap(1024, 0));
    }
}
