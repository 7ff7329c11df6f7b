package dev.tributary.broker.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * Damages a partition's data files as a disk can: flips bytes inside a record batch of an old segment, whether the
 * broker is running (its reads go through the same page cache) or stopped.
 */
public final class Corruption {

    /** Where the damaged batch is and which offsets it held. */
    public record DamagedBatch(Path segmentFile, int position, long baseOffset, long lastOffset) {
    }

    private Corruption() {
    }

    /**
     * Flips 16 bytes in the records of the middle batch of the {@code segment}-th segment (oldest first) of the
     * partition in {@code partitionDir}; the batch header stays readable, its CRC fails.
     */
    public static DamagedBatch flipBytesInOldSegment(Path partitionDir, int segment) throws IOException {
        List<Path> segments = segmentFiles(partitionDir);
        assertTrue(segments.size() > segment + 1, "want a sealed segment " + segment + " in " + segments);
        Path file = segments.get(segment);
        List<DamagedBatch> batches = new ArrayList<>();
        try (FileRecords records = FileRecords.open(file.toFile(), false)) {
            for (FileChannelRecordBatch batch : records.batches())
                batches.add(new DamagedBatch(file, batch.position(), batch.baseOffset(), batch.lastOffset()));
        }
        DamagedBatch victim = batches.get(batches.size() / 2);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate(16);
            long at = victim.position() + 61L; // past the 61-byte batch header: the first record
            channel.read(bytes, at);
            for (int i = 0; i < bytes.limit(); i++)
                bytes.put(i, (byte) ~bytes.get(i));
            bytes.rewind();
            channel.write(bytes, at);
        }
        return victim;
    }

    /** The data files of the partition's segments, oldest first. */
    public static List<Path> segmentFiles(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }
}
