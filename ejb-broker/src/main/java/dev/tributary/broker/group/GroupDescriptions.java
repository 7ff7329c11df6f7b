package dev.tributary.broker.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the coordinator tells about its groups, of both types: DescribeGroups (classic groups), ConsumerGroupDescribe
 * (consumer groups), ListGroups (both, with their type), and the Java views for REST. A group of the other type is
 * "not found" to the API that does not describe it, as in Kafka, so the admin client falls back from one to the
 * other.
 *
 * <p>Every description is taken under the group's monitor, so it is consistent.
 */
final class GroupDescriptions {

    private final Groups groups;
    private final ConsumerGroupConfig consumerConfig;
    private final TopicSubscriptions topics;

    GroupDescriptions(Groups groups, ConsumerGroupConfig consumerConfig, TopicSubscriptions topics) {
        this.groups = groups;
        this.consumerConfig = consumerConfig;
        this.topics = topics;
    }

    // ---- DescribeGroups ----

    /**
     * One group as DescribeGroups describes it. Member metadata and assignments are only shown for a Stable group,
     * as Kafka shows them. A consumer group is "not a classic group": GROUP_ID_NOT_FOUND from v6 (KIP-1043), Dead
     * before, as for an unknown group.
     */
    DescribedGroup describe(String groupId, short version) {
        return groups.withGroup(groupId, group -> group instanceof ClassicGroup classic ? describe(classic, version)
                        : notFound(groupId, "Group " + groupId + " is not a classic group.", version),
                () -> notFound(groupId, "Group " + groupId + " not found.", version));
    }

    private static DescribedGroup describe(ClassicGroup group, short version) {
        boolean stable = group.isIn(GroupState.STABLE);
        DescribedGroup described = new DescribedGroup().setGroupId(group.groupId())
                .setGroupState(group.state().kafkaName())
                .setProtocolType(group.protocolType().orElse(""))
                .setProtocolData(stable ? group.protocolName().orElse("") : "");
        for (ClassicGroupMember member : group.members()) {
            described.members().add(new DescribedGroupMember().setMemberId(member.memberId())
                    .setGroupInstanceId(version >= 4 ? member.groupInstanceId().orElse(null) : null)
                    .setClientId(member.clientId()).setClientHost(member.clientHost())
                    .setMemberMetadata(stable ? member.metadata(group.protocolName().orElseThrow()) : new byte[0])
                    .setMemberAssignment(stable ? member.assignment() : new byte[0]));
        }
        return described;
    }

    private static DescribedGroup notFound(String groupId, String message, short version) {
        DescribedGroup described = new DescribedGroup().setGroupId(groupId)
                .setGroupState(GroupState.DEAD.kafkaName());
        if (version >= 6) {
            described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(message);
        }
        return described;
    }

    // ---- ConsumerGroupDescribe ----

    /** One group as ConsumerGroupDescribe describes it; a classic group is GROUP_ID_NOT_FOUND. */
    ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup(String groupId, short version) {
        return groups.withGroup(groupId, group -> group instanceof ConsumerGroup consumer
                        ? describe(consumer, version)
                        : consumerGroupNotFound(groupId, "Group " + groupId + " is not a consumer group."),
                () -> consumerGroupNotFound(groupId, "Group " + groupId + " not found."));
    }

    static ConsumerGroupDescribeResponseData.DescribedGroup consumerGroupNotFound(String groupId, String message) {
        return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(message);
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup describe(ConsumerGroup group, short version) {
        ConsumerGroupDescribeResponseData.DescribedGroup described =
                new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(group.groupId())
                        .setGroupState(group.state().kafkaName())
                        .setGroupEpoch(group.groupEpoch())
                        .setAssignmentEpoch(group.target().epoch())
                        .setAssignorName(group.preferredAssignor(consumerConfig.assignors()));
        Map<Uuid, String> names = topicNames(group);
        for (ConsumerGroupMember member : group.members()) {
            ConsumerGroupDescribeResponseData.Member describedMember = new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(member.memberId())
                    .setInstanceId(member.instanceId().orElse(null))
                    .setRackId(member.rackId().orElse(null))
                    .setMemberEpoch(member.memberEpoch())
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setSubscribedTopicNames(List.copyOf(member.subscription().topicNames()))
                    .setSubscribedTopicRegex(member.subscription().topicRegex().orElse(null))
                    .setAssignment(describe(member.current().assigned(), names))
                    .setTargetAssignment(describe(group.target().of(member.memberId()), names));
            if (version >= 1) {
                describedMember.setMemberType((byte) 1); // a consumer-protocol member (KIP-1099)
            }
            described.members().add(describedMember);
        }
        return described;
    }

    private static ConsumerGroupDescribeResponseData.Assignment describe(Assignment assignment,
                                                                         Map<Uuid, String> names) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> topics = new ArrayList<>();
        assignment.partitions().forEach((topicId, partitions) -> topics.add(
                new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(topicId)
                        .setTopicName(names.getOrDefault(topicId, ""))
                        .setPartitions(new ArrayList<>(partitions))));
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(topics);
    }

    /** The names of the group's topics: as subscribed, else as the topic metadata knows them now. */
    private Map<Uuid, String> topicNames(ConsumerGroup group) {
        Map<Uuid, String> names = new HashMap<>();
        group.subscriptionMetadata().values().forEach(topic -> names.put(topic.id(), topic.name()));
        for (ConsumerGroupMember member : group.members()) {
            member.current().owned().union(group.target().of(member.memberId())).partitions().keySet().stream()
                    .filter(id -> !names.containsKey(id))
                    .forEach(id -> topics.name(id).ifPresent(name -> names.put(id, name)));
        }
        return names;
    }

    // ---- ListGroups and the Java views ----

    /**
     * ListGroups, filtered by state (v4+, case-insensitive) and type (v5+). Empty filters match everything. In a
     * cluster it lists the groups this broker coordinates (clients ask every broker), or answers
     * COORDINATOR_LOAD_IN_PROGRESS while some of them are loading, so no listing misses one.
     */
    ListGroupsResponseData list(ListGroupsRequestData request) {
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        request.statesFilter().forEach(name -> GroupState.fromKafkaName(name).ifPresent(states::add));
        Set<GroupType> types = EnumSet.noneOf(GroupType.class);
        request.typesFilter().forEach(name -> GroupType.fromKafkaName(name).ifPresent(types::add));
        ListGroupsResponseData response = new ListGroupsResponseData();
        if (groups.ownership().loading()) {
            return response.setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        }
        List<GroupSummary> summaries;
        try {
            summaries = summaries();
        } catch (NotCoordinatorException e) {
            return response.setErrorCode(Errors.NOT_COORDINATOR.code());
        }
        for (GroupSummary summary : summaries) {
            if ((request.statesFilter().isEmpty() || states.contains(summary.state()))
                    && (request.typesFilter().isEmpty() || types.contains(summary.type()))) {
                response.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(summary.groupId())
                        .setProtocolType(summary.protocolType().orElse(""))
                        .setGroupState(summary.state().kafkaName())
                        .setGroupType(summary.type().kafkaName()));
            }
        }
        return response;
    }

    /**
     * Every group this coordinator serves, by id (in a cluster, the other brokers list theirs).
     *
     * @throws NotCoordinatorException if the coordinator is closed
     */
    List<GroupSummary> summaries() {
        groups.checkOpen();
        List<GroupSummary> summaries = new ArrayList<>();
        for (Group candidate : groups.all()) {
            if (!groups.isReady(candidate.groupId())) {
                continue; // placed on another broker, or still loading
            }
            GroupSummary summary = GroupCoordinator.answerRefusals(() -> groups.withGroup(candidate.groupId(),
                    group -> new GroupSummary(group.groupId(), group.type(), group.state(), group.protocolType(),
                            group.size()),
                    () -> null), movedMeanwhile -> null);
            if (summary != null) {
                summaries.add(summary);
            }
        }
        groups.checkOpen();
        summaries.sort(Comparator.comparing(GroupSummary::groupId));
        return summaries;
    }

    /** One group's membership and committed offsets, if the group exists. */
    Optional<GroupView> view(String groupId) {
        return groups.withGroup(groupId, group -> Optional.of(group instanceof ClassicGroup classic ? view(classic)
                : view((ConsumerGroup) group)), Optional::empty);
    }

    private static GroupView view(ClassicGroup group) {
        List<MemberView> members = group.members().stream()
                .map(m -> new MemberView(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                        m.sessionTimeoutMs(), m.rebalanceTimeoutMs(), m.assignment().clone()))
                .toList();
        return new GroupView(group.groupId(), GroupType.CLASSIC, group.state(), group.protocolType(),
                group.protocolName(), group.generationId(), group.leaderId(), members, group.offsets().all());
    }

    /**
     * A consumer group as the classic view shows groups: the assignor as protocol, the group epoch as generation,
     * no leader, and each member's current assignment in Kafka's consumer protocol encoding (as a classic
     * consumer's assignment is), so that one decoder reads both.
     */
    private GroupView view(ConsumerGroup group) {
        Map<Uuid, String> names = topicNames(group);
        List<MemberView> members = group.members().stream()
                .map(m -> new MemberView(m.memberId(), m.instanceId(), m.clientId(), m.clientHost(),
                        consumerConfig.sessionTimeoutMs(), m.rebalanceTimeoutMs(),
                        encode(m.current().assigned(), names)))
                .toList();
        return new GroupView(group.groupId(), GroupType.CONSUMER, group.state(), group.protocolType(),
                Optional.of(group.preferredAssignor(consumerConfig.assignors())), group.groupEpoch(),
                Optional.empty(), members, group.offsets().all());
    }

    private static byte[] encode(Assignment assignment, Map<Uuid, String> names) {
        List<TopicPartition> partitions = new ArrayList<>();
        assignment.forEach((topicId, partition) -> partitions.add(
                new TopicPartition(names.getOrDefault(topicId, topicId.toString()), partition)));
        ByteBuffer encoded = ConsumerProtocol.serializeAssignment(
                new ConsumerPartitionAssignor.Assignment(partitions));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }
}
