package dev.tributary.rest.dto;

/**
 * One entry of {@code GET /topics}.
 *
 * @param records       the offsets between each partition's log start and high watermark, summed: the records the
 *                      topic holds (an upper bound where compaction removed some or transaction markers sit)
 * @param cleanupPolicy the topic's effective {@code cleanup.policy}
 */
public record TopicSummary(String name, int partitions, short replicationFactor, long records, String cleanupPolicy) {
}
