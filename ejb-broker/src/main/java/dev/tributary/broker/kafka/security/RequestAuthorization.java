package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.security.Authorizer;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each Kafka request needs from the ACLs, by Kafka's authorization model: WRITE on a topic to produce, READ to
 * fetch, DESCRIBE to see offsets and metadata, CREATE/DELETE/ALTER/ALTER_CONFIGS to administer it; READ on a group
 * to be its member or commit (plus READ on the topics committed), DESCRIBE to look at it, DELETE to delete it;
 * WRITE on a transactional id to use it (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * TxnOffsetCommit, and a Produce of transactional batches), DESCRIBE to find its coordinator or describe it;
 * CLUSTER_ACTION for what only brokers send (WriteTxnMarkers, AddPartitionsToTxn v4+); ALTER on the cluster for ACLs
 * themselves.
 *
 * <p>One difference from Kafka, to keep every handler unaware of ACLs: a request touching a resource it may not
 * use is refused as a whole (each of its topics or partitions answers the authorization error), where Kafka would
 * answer the others normally. Metadata and ListGroups are not refused but answered per topic or filtered by their
 * handlers (clients ignore a metadata response without brokers, so they would never learn why).
 */
public final class RequestAuthorization {

    private static final String CLUSTER = "kafka-cluster";

    private final Authorizer authorizer;
    private final TopicMetadata topics;

    public RequestAuthorization(Authorizer authorizer, TopicMetadata topics) {
        this.authorizer = authorizer;
        this.topics = topics;
    }

    /** @return the error to answer the whole request with, or empty if it may proceed */
    Optional<ApiException> check(KafkaRequest request) {
        if (!authorizer.enabled()) {
            return Optional.empty();
        }
        Check check = new Check(request.session().principal(), request.clientHost());
        AbstractRequest body = request.body();
        switch (request.header().apiKey()) {
            case PRODUCE -> {
                ProduceRequest produce = body(body, ProduceRequest.class);
                // Transactional batches need WRITE on their transactional id, as in Kafka: with transaction
                // version 2 no AddPartitionsToTxn precedes them, so this is where the id's ACL is enforced.
                if (RequestUtils.hasTransactionalRecords(produce))
                    check.transactionalIdOrNone(AclOperation.WRITE, produce.transactionalId());
                check.topics(AclOperation.WRITE, produce.data().topicData().stream()
                        .map(t -> name(t.name(), t.topicId())));
            }
            case FETCH -> check.topics(AclOperation.READ, body(body, FetchRequest.class).data().topics().stream()
                    .map(t -> name(t.topic(), t.topicId())));
            case LIST_OFFSETS -> check.topics(AclOperation.DESCRIBE, body(body, ListOffsetsRequest.class).data()
                    .topics().stream().map(ListOffsetsRequestData.ListOffsetsTopic::name));
            case OFFSET_FOR_LEADER_EPOCH -> check.topics(AclOperation.DESCRIBE, body(body,
                    OffsetsForLeaderEpochRequest.class).data().topics().stream()
                    .map(OffsetForLeaderEpochRequestData.OffsetForLeaderTopic::topic));
            case CREATE_TOPICS -> {
                if (!check.allowed(AclOperation.CREATE, ResourceType.CLUSTER, CLUSTER)) {
                    check.topics(AclOperation.CREATE, body(body, CreateTopicsRequest.class).data().topics().stream()
                            .map(CreateTopicsRequestData.CreatableTopic::name));
                }
            }
            case DELETE_TOPICS -> {
                DeleteTopicsRequestData data = body(body, DeleteTopicsRequest.class).data();
                check.topics(AclOperation.DELETE, Stream.concat(data.topicNames().stream(),
                        data.topics().stream().map(t -> name(t.name(), t.topicId()))));
            }
            case CREATE_PARTITIONS -> check.topics(AclOperation.ALTER, body(body, CreatePartitionsRequest.class)
                    .data().topics().stream().map(CreatePartitionsRequestData.CreatePartitionsTopic::name));
            case DELETE_RECORDS -> check.topics(AclOperation.DELETE, body(body, DeleteRecordsRequest.class).data()
                    .topics().stream().map(DeleteRecordsRequestData.DeleteRecordsTopic::name));
            case DESCRIBE_CONFIGS -> check.configs(AclOperation.DESCRIBE_CONFIGS, body(body,
                    DescribeConfigsRequest.class).data().resources(),
                    DescribeConfigsRequestData.DescribeConfigsResource::resourceType,
                    DescribeConfigsRequestData.DescribeConfigsResource::resourceName);
            case ALTER_CONFIGS -> check.configs(AclOperation.ALTER_CONFIGS, body(body, AlterConfigsRequest.class)
                    .data().resources(), AlterConfigsRequestData.AlterConfigsResource::resourceType,
                    AlterConfigsRequestData.AlterConfigsResource::resourceName);
            case INCREMENTAL_ALTER_CONFIGS -> check.configs(AclOperation.ALTER_CONFIGS, body(body,
                    IncrementalAlterConfigsRequest.class).data().resources(),
                    IncrementalAlterConfigsRequestData.AlterConfigsResource::resourceType,
                    IncrementalAlterConfigsRequestData.AlterConfigsResource::resourceName);
            case JOIN_GROUP -> check.group(AclOperation.READ, body(body, JoinGroupRequest.class).data().groupId());
            case SYNC_GROUP -> check.group(AclOperation.READ, body(body, SyncGroupRequest.class).data().groupId());
            case HEARTBEAT -> check.group(AclOperation.READ, body(body, HeartbeatRequest.class).data().groupId());
            case LEAVE_GROUP -> check.group(AclOperation.READ, body(body, LeaveGroupRequest.class).data().groupId());
            case CONSUMER_GROUP_HEARTBEAT -> {
                // Kafka's rule: READ on the group, DESCRIBE on every topic subscribed by name.
                ConsumerGroupHeartbeatRequestData data = body(body, ConsumerGroupHeartbeatRequest.class).data();
                check.group(AclOperation.READ, data.groupId());
                if (data.subscribedTopicNames() != null) {
                    check.topics(AclOperation.DESCRIBE, data.subscribedTopicNames().stream());
                }
            }
            case CONSUMER_GROUP_DESCRIBE -> check.groups(AclOperation.DESCRIBE, body(body,
                    ConsumerGroupDescribeRequest.class).data().groupIds());
            case OFFSET_COMMIT -> {
                OffsetCommitRequestData data = body(body, OffsetCommitRequest.class).data();
                check.group(AclOperation.READ, data.groupId());
                check.topics(AclOperation.READ, data.topics().stream()
                        .map(OffsetCommitRequestData.OffsetCommitRequestTopic::name));
            }
            case OFFSET_FETCH -> {
                OffsetFetchRequestData data = body(body, OffsetFetchRequest.class).data();
                if (data.groupId() != null && !data.groupId().isEmpty()) {
                    check.group(AclOperation.DESCRIBE, data.groupId());
                }
                for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
                    check.group(AclOperation.DESCRIBE, group.groupId());
                }
            }
            case FIND_COORDINATOR -> {
                var data = body(body, FindCoordinatorRequest.class).data();
                List<String> keys = data.coordinatorKeys().isEmpty() ? List.of(data.key()) : data.coordinatorKeys();
                if (data.keyType() == 0) // GROUP
                    check.groups(AclOperation.DESCRIBE, keys);
                else if (data.keyType() == 1) // TRANSACTION; other key types are refused by the handler
                    keys.forEach(id -> check.transactionalId(AclOperation.DESCRIBE, id));
            }
            case ADD_PARTITIONS_TO_TXN -> {
                AddPartitionsToTxnRequest add = body(body, AddPartitionsToTxnRequest.class);
                if (add.version() >= 4) { // brokers' KIP-890 requests
                    check.cluster(AclOperation.CLUSTER_ACTION);
                } else { // a client's request: one transaction, in the v3AndBelow fields
                    check.transactionalId(AclOperation.WRITE, add.data().v3AndBelowTransactionalId());
                    check.topics(AclOperation.WRITE, AddPartitionsToTxnRequest.getPartitions(
                            add.data().v3AndBelowTopics()).stream().map(TopicPartition::topic));
                }
            }
            case ADD_OFFSETS_TO_TXN -> {
                AddOffsetsToTxnRequestData data = body(body, AddOffsetsToTxnRequest.class).data();
                check.transactionalId(AclOperation.WRITE, data.transactionalId());
                check.group(AclOperation.READ, data.groupId());
            }
            case END_TXN -> check.transactionalId(AclOperation.WRITE,
                    body(body, EndTxnRequest.class).data().transactionalId());
            case TXN_OFFSET_COMMIT -> {
                TxnOffsetCommitRequestData data = body(body, TxnOffsetCommitRequest.class).data();
                check.transactionalId(AclOperation.WRITE, data.transactionalId());
                check.group(AclOperation.READ, data.groupId());
                check.topics(AclOperation.READ, data.topics().stream()
                        .map(TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic::name));
            }
            case WRITE_TXN_MARKERS -> check.cluster(AclOperation.CLUSTER_ACTION);
            case DESCRIBE_TRANSACTIONS -> body(body, DescribeTransactionsRequest.class).data().transactionalIds()
                    .forEach(id -> check.transactionalId(AclOperation.DESCRIBE, id));
            case DESCRIBE_PRODUCERS -> check.topics(AclOperation.READ, body(body, DescribeProducersRequest.class)
                    .data().topics().stream().map(DescribeProducersRequestData.TopicRequest::name));
            case DESCRIBE_GROUPS -> check.groups(AclOperation.DESCRIBE, body(body, DescribeGroupsRequest.class)
                    .data().groups());
            case DELETE_GROUPS -> check.groups(AclOperation.DELETE, body(body, DeleteGroupsRequest.class).data()
                    .groupsNames());
            case OFFSET_DELETE -> {
                OffsetDeleteRequestData data = body(body, OffsetDeleteRequest.class).data();
                check.group(AclOperation.DELETE, data.groupId());
                check.topics(AclOperation.READ, data.topics().stream()
                        .map(OffsetDeleteRequestData.OffsetDeleteRequestTopic::name));
            }
            case INIT_PRODUCER_ID -> {
                String transactionalId = body(body, InitProducerIdRequest.class).data().transactionalId();
                if (transactionalId != null)
                    check.transactionalId(AclOperation.WRITE, transactionalId);
                // Kafka's rule for idempotent producers: IDEMPOTENT_WRITE on the cluster, or WRITE on any topic.
                else if (!check.allowed(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, CLUSTER)
                        && !authorizer.authorizeAny(check.principal, check.host, AclOperation.WRITE,
                        ResourceType.TOPIC)) {
                    check.deny(new ClusterAuthorizationException("Idempotent writes need IDEMPOTENT_WRITE on the "
                            + "cluster or WRITE on a topic"));
                }
            }
            case DESCRIBE_ACLS -> check.cluster(AclOperation.DESCRIBE);
            case CREATE_ACLS, DELETE_ACLS -> check.cluster(AclOperation.ALTER);
            default -> {
                // ApiVersions, SASL, DescribeCluster; Metadata, ListGroups and ListTransactions (their handlers
                // filter): open to everyone
            }
        }
        return Optional.ofNullable(check.denied);
    }

    /** Whether the request's principal may see the resource (for lists filtered rather than refused). */
    public boolean mayDescribe(KafkaRequest request, ResourceType type, String name) {
        return authorizer.authorize(request.session().principal(), request.clientHost(), AclOperation.DESCRIBE, type,
                name);
    }

    /**
     * Whether the request's principal may create the topic {@code name} (on first use, by Metadata): CREATE on the
     * cluster or on the topic, as for CreateTopics.
     */
    public boolean mayCreateTopic(KafkaRequest request, String name) {
        String principal = request.session().principal();
        return authorizer.authorize(principal, request.clientHost(), AclOperation.CREATE, ResourceType.CLUSTER, CLUSTER)
                || authorizer.authorize(principal, request.clientHost(), AclOperation.CREATE, ResourceType.TOPIC, name);
    }

    private String name(String name, Uuid topicId) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        // A topic id the broker does not know: nothing to protect, and the handler answers UNKNOWN_TOPIC_ID.
        return topicId == null ? "" : topics.topicName(topicId).orElse("");
    }

    private static <T extends AbstractRequest> T body(AbstractRequest body, Class<T> type) {
        return type.cast(body);
    }

    /** The checks of one request; the first refusal sticks. */
    private final class Check {

        private final String principal;
        private final String host;
        private ApiException denied;

        Check(String principal, String host) {
            this.principal = principal;
            this.host = host;
        }

        boolean allowed(AclOperation operation, ResourceType type, String name) {
            return authorizer.authorize(principal, host, operation, type, name);
        }

        void topics(AclOperation operation, Stream<String> names) {
            List<String> refused = new ArrayList<>();
            names.filter(name -> !name.isEmpty()).distinct()
                    .filter(name -> !allowed(operation, ResourceType.TOPIC, name)).forEach(refused::add);
            if (!refused.isEmpty()) {
                deny(new TopicAuthorizationException(principal + " may not " + operation + " " + refused,
                        Set.copyOf(refused)));
            }
        }

        void group(AclOperation operation, String group) {
            groups(operation, List.of(group));
        }

        void groups(AclOperation operation, List<String> groups) {
            for (String group : groups) {
                if (!allowed(operation, ResourceType.GROUP, group)) {
                    deny(new GroupAuthorizationException(principal + " may not " + operation + " group " + group,
                            group));
                    return;
                }
            }
        }

        void transactionalId(AclOperation operation, String id) {
            if (id != null && !allowed(operation, ResourceType.TRANSACTIONAL_ID, id))
                deny(new TransactionalIdAuthorizationException(principal + " may not " + operation
                        + " transactional id " + id));
        }

        /** As {@link #transactionalId}, but a request that needs an id and names none is refused too. */
        void transactionalIdOrNone(AclOperation operation, String id) {
            if (id == null)
                deny(new TransactionalIdAuthorizationException("Transactional records without a transactional id"));
            else
                transactionalId(operation, id);
        }

        void cluster(AclOperation operation) {
            if (!allowed(operation, ResourceType.CLUSTER, CLUSTER)) {
                deny(new ClusterAuthorizationException(principal + " may not " + operation + " the cluster"));
            }
        }

        <R> void configs(AclOperation operation, Iterable<R> resources, Function<R, Byte> type,
                         Function<R, String> name) {
            for (R resource : resources) {
                byte resourceType = type.apply(resource);
                if (resourceType == ConfigResource.Type.TOPIC.id()) {
                    topics(operation, Stream.of(name.apply(resource)));
                } else {
                    cluster(operation);
                }
            }
        }

        void deny(ApiException refusal) {
            if (denied == null) {
                denied = refusal;
            }
        }
    }
}
