package dev.tributary.broker.group;

import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * A group's position in one partition: the committed offset, the partition's high watermark and the lag between
 * them. Both are empty when the partition is gone or offline.
 */
public record PartitionLag(TopicPartition partition, CommittedOffset committed, OptionalLong highWatermark,
                           OptionalLong lag) {
}
