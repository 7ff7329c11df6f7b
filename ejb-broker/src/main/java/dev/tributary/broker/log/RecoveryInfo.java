package dev.tributary.broker.log;

/**
 * What {@link LogLoader} did when a {@link PartitionLog} was opened; for logs and metrics, and to make recovery
 * observable in tests.
 *
 * @param cleanShutdown     the clean-shutdown marker was present and agreed with the files, so data was trusted
 *                          without a scan
 * @param segmentsLoaded    segments found on disk
 * @param segmentsRecovered segments whose batches were validated one by one (CRC, framing, offsets), whole or, for
 *                          the segment holding the recovery point, from there on
 * @param indexesRebuilt    segments whose offset/time index had to be rebuilt because it was missing or failed
 *                          its sanity check (a recovered segment always gets fresh indexes and is not counted)
 * @param bytesTruncated    bytes dropped from a torn or corrupt tail of the last segment
 * @param bytesValidated    bytes of the data files the recovery scans covered: from the recovery point's batch (or
 *                          a segment's start) to the end of each recovered segment
 * @param batchesValidated  valid batches those scans checked
 */
public record RecoveryInfo(boolean cleanShutdown, int segmentsLoaded, int segmentsRecovered, int indexesRebuilt,
                           long bytesTruncated, long bytesValidated, long batchesValidated) {
}
