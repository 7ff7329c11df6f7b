package dev.tributary.broker.cluster;

import dev.tributary.broker.topic.PartitionState;
import dev.tributary.broker.topic.TopicDescription;
import java.util.Collection;

/**
 * Partitions of the cluster by health. Until partitions are replicated every partition has one replica, so none is
 * under-replicated; offline are those whose log cannot serve.
 */
public record PartitionCounts(int total, int underReplicated, int offline) {

    public static PartitionCounts of(Collection<TopicDescription> topics) {
        int total = 0;
        int offline = 0;
        for (TopicDescription topic : topics) {
            for (PartitionState partition : topic.partitions()) {
                total++;
                if (partition.offlineReason().isPresent()) {
                    offline++;
                }
            }
        }
        return new PartitionCounts(total, 0, offline);
    }
}
