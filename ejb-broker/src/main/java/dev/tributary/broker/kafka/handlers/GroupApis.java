package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.kafka.security.RequestAuthorization;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The consumer-group APIs: the classic group protocol's, the consumer group protocol's of KIP-848
 * (ConsumerGroupHeartbeat, ConsumerGroupDescribe), committed offsets and group administration. Each one only unwraps
 * the request and wraps the answer: the {@link GroupCoordinator} speaks Kafka's message data classes itself.
 *
 * <p>OffsetCommit and OffsetFetch stop at v9: v10 names topics by id, which the coordinator does not resolve yet;
 * clients negotiate down to v9.
 */
public final class GroupApis {

    private static final short LAST_OFFSET_VERSION_WITH_TOPIC_NAMES = 9;

    private final GroupCoordinator coordinator;
    /** ListGroups lists the groups the principal may DESCRIBE (the other group APIs are checked before). */
    private final RequestAuthorization authorization;

    public GroupApis(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    public List<ApiHandler> handlers() {
        return List.of(
                api(ApiKeys.JOIN_GROUP, request -> coordinator.joinGroup(
                                request.body(JoinGroupRequest.class).data(), request.version(),
                                request.header().clientId(), request.clientHost())
                        .thenApply(data -> new JoinGroupResponse(data, request.version()))),
                api(ApiKeys.SYNC_GROUP, request -> coordinator.syncGroup(
                                request.body(SyncGroupRequest.class).data(), request.version())
                        .thenApply(SyncGroupResponse::new)),
                api(ApiKeys.HEARTBEAT, request -> done(new HeartbeatResponse(
                        coordinator.heartbeat(request.body(HeartbeatRequest.class).data())))),
                api(ApiKeys.CONSUMER_GROUP_HEARTBEAT, request -> done(new ConsumerGroupHeartbeatResponse(
                        coordinator.consumerGroupHeartbeat(request.body(ConsumerGroupHeartbeatRequest.class).data(),
                                request.version(), request.header().clientId(), request.clientHost())))),
                api(ApiKeys.CONSUMER_GROUP_DESCRIBE, request -> done(new ConsumerGroupDescribeResponse(
                        coordinator.consumerGroupDescribe(request.body(ConsumerGroupDescribeRequest.class).data()
                                .groupIds(), request.version())))),
                api(ApiKeys.LEAVE_GROUP, request -> done(new LeaveGroupResponse(
                        coordinator.leaveGroup(request.body(LeaveGroupRequest.class).data(), request.version()),
                        request.version()))),
                api(ApiKeys.OFFSET_COMMIT, LAST_OFFSET_VERSION_WITH_TOPIC_NAMES, request -> done(new OffsetCommitResponse(
                        coordinator.commitOffsets(request.body(OffsetCommitRequest.class).data(), request.version())))),
                api(ApiKeys.OFFSET_FETCH, LAST_OFFSET_VERSION_WITH_TOPIC_NAMES, request -> done(new OffsetFetchResponse(
                        coordinator.fetchOffsets(request.body(OffsetFetchRequest.class).data(), request.version()),
                        request.version()))),
                api(ApiKeys.DESCRIBE_GROUPS, request -> done(new DescribeGroupsResponse(coordinator.describeGroups(
                        request.body(DescribeGroupsRequest.class).data().groups(), request.version())))),
                api(ApiKeys.LIST_GROUPS, request -> {
                    ListGroupsResponseData groups = coordinator.listGroups(request.body(ListGroupsRequest.class)
                            .data());
                    groups.groups().removeIf(group -> !authorization.mayDescribe(request, ResourceType.GROUP,
                            group.groupId()));
                    return done(new ListGroupsResponse(groups));
                }),
                api(ApiKeys.DELETE_GROUPS, request -> done(new DeleteGroupsResponse(
                        coordinator.deleteGroups(request.body(DeleteGroupsRequest.class).data().groupsNames())))),
                api(ApiKeys.OFFSET_DELETE, request -> done(new OffsetDeleteResponse(
                        coordinator.deleteOffsets(request.body(OffsetDeleteRequest.class).data())))));
    }

    private static ApiHandler api(ApiKeys key, Function<KafkaRequest, CompletableFuture<AbstractResponse>> serve) {
        return api(key, key.latestVersion(), serve);
    }

    private static ApiHandler api(ApiKeys key, short latest,
                                  Function<KafkaRequest, CompletableFuture<AbstractResponse>> serve) {
        return ApiHandler.of(key, key.oldestVersion(), latest, serve);
    }

    private static CompletableFuture<AbstractResponse> done(AbstractResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
