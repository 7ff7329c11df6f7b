package dev.tributary.broker.log;

import java.util.OptionalLong;

/**
 * What one cleaning of one partition did (Kafka's {@code CleanerStats}): for its log line, the cleaner's metrics and
 * the partition's next tombstone sweep. Written by the one thread that cleans; read after the cleaning.
 */
final class CleanerStats {
    private final long startMs;
    private long endMs = -1;
    private int passes;
    private int segmentsReplaced;
    private long mapBytesRead;
    private long bytesRead;
    private long bytesWritten;
    private long recordsRead;
    private long recordsRetained;
    private long earliestTombstoneHorizonMs = Long.MAX_VALUE;
    private double mapUtilization;

    CleanerStats(long startMs) {
        this.startMs = startMs;
    }

    void mapped(int bytes) {
        mapBytesRead += bytes;
    }

    void filtered(int recordsRead, int bytesRead, int recordsRetained, int bytesRetained) {
        this.recordsRead += recordsRead;
        this.bytesRead += bytesRead;
        this.recordsRetained += recordsRetained;
        this.bytesWritten += bytesRetained;
    }

    void passDone(double utilization) {
        passes++;
        mapUtilization = Math.max(mapUtilization, utilization);
    }

    void replaced(int segments) {
        segmentsReplaced += segments;
    }

    /** A tombstone was kept that may be removed from {@code horizonMs} on. */
    void tombstoneKept(long horizonMs) {
        earliestTombstoneHorizonMs = Math.min(earliestTombstoneHorizonMs, horizonMs);
    }

    void done(long nowMs) {
        endMs = nowMs;
    }

    int passes() {
        return passes;
    }

    /** Bytes of segments read to filter them, what "bytes cleaned" counts. */
    long bytesRead() {
        return bytesRead;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    long recordsRead() {
        return recordsRead;
    }

    long recordsRetained() {
        return recordsRetained;
    }

    /** When the earliest tombstone this cleaning kept may be removed, if it kept any. */
    OptionalLong earliestTombstoneHorizonMs() {
        return earliestTombstoneHorizonMs == Long.MAX_VALUE ? OptionalLong.empty()
                : OptionalLong.of(earliestTombstoneHorizonMs);
    }

    @Override
    public String toString() {
        double seconds = Math.max(1, endMs - startMs) / 1000.0;
        return String.format("%d pass(es) in %.1f s: read %,d bytes for the offset map, filtered %,d bytes"
                        + " (%,d records) at %.1f MB/s, kept %,d bytes (%,d records, %.1f%%), replaced %d segment(s);"
                        + " offset map up to %.1f%% full",
                passes, seconds, mapBytesRead, bytesRead, recordsRead, bytesRead / seconds / 1e6, bytesWritten,
                recordsRetained, bytesRead == 0 ? 100.0 : 100.0 * bytesWritten / bytesRead, segmentsReplaced,
                100 * mapUtilization);
    }
}
