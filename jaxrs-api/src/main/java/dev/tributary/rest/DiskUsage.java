package dev.tributary.rest;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a broker's data directory holds and what its volume has left, counted when asked.
 *
 * @param logBytes    the bytes of the log segments ({@code *.log}) under the directory: the records stored, as Kafka's
 *                    {@code Size} metric counts them. Indexes are left out: the active segment's are preallocated
 *                    sparse files whose length says nothing of the disk they use
 * @param totalBytes  the size of the volume the directory is on (0 if it cannot be read)
 * @param usableBytes what the volume has free for the broker (0 if it cannot be read)
 */
record DiskUsage(long logBytes, long totalBytes, long usableBytes) {

    static DiskUsage of(Path dataDir) {
        long[] logs = {0};
        long total = 0;
        long usable = 0;
        try {
            FileStore store = Files.getFileStore(dataDir);
            total = store.getTotalSpace();
            usable = store.getUsableSpace();
            Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && file.getFileName().toString().endsWith(".log")) {
                        logs[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException gone) {
                    // a segment deleted by retention while we walk: not an error
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException unreadable) {
            // no data directory yet: nothing stored
        }
        return new DiskUsage(logs[0], total, usable);
    }
}
