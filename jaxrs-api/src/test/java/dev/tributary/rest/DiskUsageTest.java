package dev.tributary.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskUsageTest {

    @TempDir
    Path dataDir;

    @Test
    void countsTheLogSegmentsAndNotThePreallocatedIndexes() throws IOException {
        Path partition = Files.createDirectories(dataDir.resolve("orders-0"));
        Files.write(partition.resolve("00000000000000000000.log"), new byte[1000]);
        Files.write(Files.createDirectories(dataDir.resolve("orders-1")).resolve("00000000000000000042.log"),
                new byte[234]);
        try (RandomAccessFile index = new RandomAccessFile(partition.resolve("00000000000000000000.index").toFile(),
                "rw")) {
            index.setLength(10 * 1024 * 1024); // sparse, as an active segment's index is
        }
        Files.write(dataDir.resolve("meta.properties"), new byte[50]);

        DiskUsage usage = DiskUsage.of(dataDir);

        assertEquals(1234, usage.logBytes());
        assertTrue(usage.totalBytes() >= usage.usableBytes() && usage.usableBytes() > 0, usage::toString);
    }

    @Test
    void aDataDirectoryNotCreatedYetHoldsNothing() {
        assertEquals(0, DiskUsage.of(dataDir.resolve("not-yet")).logBytes());
    }
}
