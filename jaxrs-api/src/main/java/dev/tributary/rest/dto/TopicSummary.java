package dev.tributary.rest.dto;

import dev.tributary.broker.topic.TopicDescription;

/**
 * One entry of {@code GET /topics}.
 *
 * @param records       the offsets between each partition's log start and high watermark, summed: the records the
 *                      topic holds (an upper bound where compaction removed some or transaction markers sit)
 * @param sizeBytes     bytes of the log segments of the topic's replicas held by the answering broker, summed (see
 *                      {@link TopicDetails#sizeBytes()})
 * @param cleanupPolicy the topic's effective {@code cleanup.policy}
 */
public record TopicSummary(String name, int partitions, short replicationFactor, long records, long sizeBytes,
                           String cleanupPolicy) {

    public static TopicSummary of(TopicDescription topic) {
        long records = topic.partitions().stream()
                .mapToLong(p -> Math.max(0, p.highWatermark() - p.logStartOffset())).sum();
        return new TopicSummary(topic.name(), topic.partitions().size(), topic.replicationFactor(), records,
                topic.sizeBytesHere(), topic.configs().get("cleanup.policy"));
    }
}
