package dev.tributary.broker.cluster;

import dev.tributary.broker.topic.PartitionState;
import dev.tributary.broker.topic.TopicDescription;
import java.util.Collection;

/**
 * Partitions of the cluster by health: under-replicated are those with fewer in-sync replicas than replicas;
 * offline those without a leader (no in-sync replica alive) or whose log here cannot serve.
 */
public record PartitionCounts(int total, int underReplicated, int offline) {

    public static PartitionCounts of(Collection<TopicDescription> topics) {
        int total = 0;
        int offline = 0;
        int underReplicated = 0;
        for (TopicDescription topic : topics) {
            for (PartitionState partition : topic.partitions()) {
                total++;
                if (partition.offlineReason().isPresent()) {
                    offline++;
                } else if (partition.isr().size() < partition.replicas().size()) {
                    underReplicated++;
                }
            }
        }
        return new PartitionCounts(total, underReplicated, offline);
    }
}
