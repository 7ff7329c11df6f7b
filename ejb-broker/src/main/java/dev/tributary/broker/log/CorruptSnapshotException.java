package dev.tributary.broker.log;

import java.nio.file.Path;

/**
 * A producer-state snapshot file that fails its checks (length, version, CRC, structure). The loader skips such a
 * file and falls back to an older snapshot, or to an empty state, and replays more of the log instead.
 */
final class CorruptSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptSnapshotException(Path file, String reason) {
        super("Producer-state snapshot " + file + " is corrupt: " + reason);
    }
}
