package dev.tributary.rest.dto;

import dev.tributary.broker.cluster.PartitionCounts;

/** Partitions of all topics: how many, how many lack in-sync replicas, how many cannot serve. */
public record PartitionCountsDto(int total, int underReplicated, int offline) {

    static PartitionCountsDto of(PartitionCounts counts) {
        return new PartitionCountsDto(counts.total(), counts.underReplicated(), counts.offline());
    }
}
