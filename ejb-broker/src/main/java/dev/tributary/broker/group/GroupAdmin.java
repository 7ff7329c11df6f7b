package dev.tributary.broker.group;

import dev.tributary.broker.log.PartitionLog;
import dev.tributary.broker.log.TimestampOffset;
import dev.tributary.broker.topic.HostedReplicas;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.Errors;

/**
 * What operators ask of groups (REST, metrics): listing, describing and deleting them, and what needs the logs as
 * well: lag per partition, and offset resets resolved against each partition's log (earliest, latest, by timestamp,
 * explicit). The coordinator still decides whether a reset or a delete is allowed (only while the group has no
 * members).
 */
public final class GroupAdmin {

    private final GroupCoordinator groups;
    private final TopicMetadata topics;
    private final HostedReplicas replicas;

    public GroupAdmin(GroupCoordinator groups, TopicMetadata topics, HostedReplicas replicas) {
        this.groups = groups;
        this.topics = topics;
        this.replicas = replicas;
    }

    /** The groups this broker coordinates. */
    public List<GroupSummary> groups() {
        return groups.groups();
    }

    /** The group, if this broker coordinates it and it exists. */
    public Optional<GroupView> group(String groupId) {
        return groups.group(groupId);
    }

    /**
     * Deletes a group and its committed offsets.
     *
     * @throws ApiException Kafka's error for why not: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, NOT_COORDINATOR, ...
     */
    public void delete(String groupId) {
        for (DeletableGroupResult result : groups.deleteGroups(List.of(groupId)).results()) {
            Errors error = Errors.forCode(result.errorCode());
            if (error != Errors.NONE)
                throw error.exception("Cannot delete group '" + groupId + "': " + error.message());
        }
    }

    /** Committed offsets of a group with their lag, ordered by topic and partition. */
    public List<PartitionLag> lag(GroupView group) {
        List<PartitionLag> lags = new ArrayList<>();
        group.offsets().forEach((tp, committed) -> {
            OptionalLong highWatermark = highWatermark(tp);
            OptionalLong lag = highWatermark.isPresent()
                    ? OptionalLong.of(Math.max(0, highWatermark.getAsLong() - committed.offset()))
                    : OptionalLong.empty();
            lags.add(new PartitionLag(tp, committed, highWatermark, lag));
        });
        lags.sort(Comparator.comparing((PartitionLag l) -> l.partition().topic())
                .thenComparingInt(l -> l.partition().partition()));
        return lags;
    }

    /** The lag of every group with committed offsets that this broker coordinates, by group id (for metrics). */
    public Map<String, List<PartitionLag>> lagOfEveryGroup() {
        Map<String, List<PartitionLag>> lags = new LinkedHashMap<>();
        for (GroupSummary summary : groups.groups()) {
            Optional<GroupView> group;
            try {
                group = groups.group(summary.groupId());
            } catch (NotCoordinatorException | CoordinatorLoadInProgressException movedMeanwhile) {
                continue; // a broker joined or left since the listing: the group's new coordinator reports it
            }
            group.ifPresent(g -> {
                List<PartitionLag> lag = lag(g);
                if (!lag.isEmpty())
                    lags.put(g.groupId(), lag);
            });
        }
        return lags;
    }

    /**
     * Moves the group's committed offsets for {@code partitions} of {@code topic} (all of them if empty).
     *
     * @return the offsets now committed
     * @throws UnknownTopicOrPartitionException if the topic or a partition does not exist
     * @throws org.apache.kafka.common.errors.GroupNotEmptyException if the group has members
     */
    public Map<TopicPartition, Long> resetOffsets(String groupId, String topic, List<Integer> partitions,
                                                  OffsetResetTarget target) {
        Map<TopicPartition, Long> offsets = previewResetOffsets(topic, partitions, target);
        groups.resetOffsets(groupId, offsets);
        return offsets;
    }

    /**
     * The offsets {@link #resetOffsets} would commit for {@code partitions} of {@code topic} (all if empty), computed
     * from the logs as they are now; commits nothing.
     *
     * @throws UnknownTopicOrPartitionException if the topic or a partition does not exist
     */
    public Map<TopicPartition, Long> previewResetOffsets(String topic, List<Integer> partitions,
                                                         OffsetResetTarget target) {
        List<Integer> chosen = partitions.isEmpty()
                ? IntStream.range(0, topics.partitionCount(topic)).boxed().toList()
                : partitions;
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (int partition : chosen) {
            offsets.put(new TopicPartition(topic, partition), resolve(replicas.replicaLog(topic, partition), target));
        }
        return offsets;
    }

    private static long resolve(PartitionLog log, OffsetResetTarget target) {
        long start = log.logStartOffset();
        long end = log.highWatermark();
        // Java 17: no pattern matching in switch yet.
        if (target instanceof OffsetResetTarget.AtTimestamp at) {
            return log.offsetForTimestamp(at.timestamp()).map(TimestampOffset::offset).orElse(end);
        }
        if (target instanceof OffsetResetTarget.Explicit explicit) {
            return Math.max(start, Math.min(end, explicit.offset()));
        }
        return target instanceof OffsetResetTarget.Earliest ? start : end;
    }

    private OptionalLong highWatermark(TopicPartition tp) {
        try {
            return OptionalLong.of(replicas.replicaLog(tp.topic(), tp.partition()).highWatermark());
        } catch (ApiException goneOrOffline) {
            return OptionalLong.empty();
        }
    }
}
