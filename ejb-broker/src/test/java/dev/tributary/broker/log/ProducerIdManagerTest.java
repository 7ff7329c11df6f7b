package dev.tributary.broker.log;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerIdManagerTest {

    @TempDir
    Path dataDir;
    private final ManualClock clock = new ManualClock(1_000_000L);

    @Test
    void idsOfConsecutiveRunsNeverCollideWhateverTheClockSays() {
        Set<Long> handedOut = new HashSet<>();
        try (LogManager first = new LogManager(dataDir, clock)) {
            for (int i = 0; i < ProducerIdManager.BLOCK_SIZE + 5; i++) // into a second block
                assertTrue(handedOut.add(first.producerIds().nextProducerId()));
        }
        clock.set(0); // the clock stepped back: irrelevant
        try (LogManager second = new LogManager(dataDir, clock)) {
            for (int i = 0; i < 10; i++) {
                long id = second.producerIds().nextProducerId();
                assertTrue(handedOut.add(id), "id " + id + " was handed out by the previous run");
            }
        }
    }

    @Test
    void aCrashForfeitsTheRestOfTheReservedBlockButRepeatsNoId() {
        // no close: the manager of a crashed run is simply abandoned
        long before = new ProducerIdManager(dataDir).nextProducerId();
        long after = new ProducerIdManager(dataDir).nextProducerId();
        assertEquals(before + ProducerIdManager.BLOCK_SIZE, after);
    }

    @Test
    void aDamagedReservationHandsOutNoId() throws IOException {
        Files.writeString(dataDir.resolve(ProducerIdManager.FILE_NAME), "0\nnot a number\n");
        ProducerIdManager ids = new ProducerIdManager(dataDir);
        KafkaStorageException e = assertThrows(KafkaStorageException.class, ids::nextProducerId);
        assertTrue(e.getMessage().contains(ProducerIdManager.FILE_NAME), e.getMessage());
    }
}
