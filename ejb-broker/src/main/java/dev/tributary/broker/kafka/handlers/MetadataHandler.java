package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.kafka.security.RequestAuthorization;
import dev.tributary.broker.topic.PartitionState;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBrokerCollection;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopicCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata: the live brokers and the controller ({@link LiveBrokers}), and the requested topics (all of them, or by
 * name, or by id from v10) with their ids and each partition's leader, leader epoch, replicas and in-sync
 * replicas, as stored in the shared metadata database. An unknown topic named by a request with
 * {@code allow_auto_topic_creation} is created on first use ({@link AutoTopicCreation}; LEADER_NOT_AVAILABLE until
 * the client asks again) if the broker allows it and the principal may CREATE it (TOPIC_AUTHORIZATION_FAILED
 * otherwise); without both it is UNKNOWN_TOPIC_OR_PARTITION. An unknown id (such as a deleted topic's) is
 * UNKNOWN_TOPIC_ID. A partition whose log is offline, or whose leader is not live, has no leader
 * (LEADER_NOT_AVAILABLE).
 */
public final class MetadataHandler implements ApiHandler {

    private final TopicMetadata topics;
    private final BrokerEndpoint broker;
    private final LiveBrokers liveBrokers;
    /** Topics the principal may not DESCRIBE are left out of "all topics" and refused when named. */
    private final RequestAuthorization authorization;
    private final AutoTopicCreation autoCreation;

    public MetadataHandler(TopicMetadata topics, BrokerEndpoint broker, LiveBrokers liveBrokers,
                    RequestAuthorization authorization, TopicAdministration administration,
                    AutoTopicCreationConfig autoCreation) {
        this.topics = topics;
        this.broker = broker;
        this.liveBrokers = liveBrokers;
        this.authorization = authorization;
        this.autoCreation = new AutoTopicCreation(administration, autoCreation);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.METADATA.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.METADATA.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        MetadataRequest body = request.body(MetadataRequest.class);
        short version = request.version();
        MetadataResponseTopicCollection result = new MetadataResponseTopicCollection();
        List<LiveBrokers.Node> live = liveBrokers.nodes();
        boolean mayAutoCreate = autoCreation.allowedBy(body.data().allowAutoTopicCreation());
        if (body.isAllTopics()) {
            for (String name : topics.topicNames()) {
                if (authorization.mayDescribe(request, ResourceType.TOPIC, name))
                    describe(name, version).ifPresent(result::add);
            }
        } else {
            for (MetadataRequestTopic requested : body.data().topics()) {
                Uuid id = requested.topicId();
                if (id != null && !Uuid.ZERO_UUID.equals(id)) { // by id (its name is then null or empty)
                    Optional<String> name = topics.topicName(id);
                    if (name.isPresent() && !authorization.mayDescribe(request, ResourceType.TOPIC, name.get())) {
                        result.add(error(null, id, Errors.TOPIC_AUTHORIZATION_FAILED));
                        continue;
                    }
                    result.add(name.flatMap(n -> describe(n, version))
                            .filter(described -> described.topicId().equals(id)) // not re-created meanwhile
                            .orElseGet(() -> error(null, id, Errors.UNKNOWN_TOPIC_ID)));
                } else if (!authorization.mayDescribe(request, ResourceType.TOPIC, requested.name())) {
                    result.add(error(requested.name(), Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED));
                } else {
                    result.add(describeRequested(request, requested.name(), version, mayAutoCreate, live.size()));
                }
            }
        }
        MetadataResponseBrokerCollection brokers = new MetadataResponseBrokerCollection();
        for (LiveBrokers.Node node : live)
            brokers.add(new MetadataResponseBroker().setNodeId(node.id()).setHost(node.host()).setPort(node.port())
                    .setRack(null));
        Set<Integer> alive = new HashSet<>();
        live.forEach(node -> alive.add(node.id()));
        for (MetadataResponseTopic topic : result) {
            for (MetadataResponsePartition partition : topic.partitions()) {
                partition.setOfflineReplicas(version >= 5 ? partition.replicaNodes().stream()
                        .filter(replica -> !alive.contains(replica)).collect(Collectors.toCollection(ArrayList::new))
                        : new ArrayList<>());
                // A leader that is not a live node (gone, not yet replaced: the controller waits for its session
                // to expire) is no leader a client can reach: LEADER_NOT_AVAILABLE makes clients ask again soon,
                // where a leader id without a node leaves a consumer waiting for metadata.max.age.ms.
                if (partition.leaderId() >= 0 && !alive.contains(partition.leaderId()))
                    partition.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setLeaderId(-1);
            }
        }
        MetadataResponseData data = new MetadataResponseData()
                .setBrokers(brokers)
                .setClusterId(broker.clusterId())
                .setControllerId(liveBrokers.controllerId())
                .setTopics(result);
        return CompletableFuture.completedFuture(new MetadataResponse(data, version));
    }

    private MetadataResponseTopic describeRequested(KafkaRequest request, String name, short version,
                                                    boolean mayAutoCreate, int liveBrokerCount) {
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return error(name, Uuid.ZERO_UUID, Errors.INVALID_TOPIC_EXCEPTION);
        }
        Optional<MetadataResponseTopic> described = describe(name, version);
        if (described.isPresent())
            return described.get();
        if (!mayAutoCreate)
            return error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        if (!authorization.mayCreateTopic(request, name))
            return error(name, Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED);
        return error(name, Uuid.ZERO_UUID, autoCreation.create(name, liveBrokerCount));
    }

    private Optional<MetadataResponseTopic> describe(String name, short version) {
        TopicDescription description;
        try {
            description = topics.describe(name);
        } catch (UnknownTopicOrPartitionException e) {
            return Optional.empty(); // deleted meanwhile
        }
        List<MetadataResponsePartition> partitions = new ArrayList<>();
        for (PartitionState state : description.partitions()) {
            boolean online = state.offlineReason().isEmpty();
            MetadataResponsePartition partition = new MetadataResponsePartition()
                    .setPartitionIndex(state.partition())
                    .setErrorCode(online ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                    .setLeaderId(online ? state.leader() : -1)
                    .setReplicaNodes(new ArrayList<>(state.replicas()))
                    .setIsrNodes(new ArrayList<>(state.isr()));
            if (version >= 7)
                partition.setLeaderEpoch(topics.leadership(name, state.partition()).leaderEpoch());
            partitions.add(partition);
        }
        return Optional.of(new MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(name)
                .setTopicId(description.topicId()) // serialized from v10 on
                .setIsInternal(false)
                .setPartitions(partitions));
    }

    private static MetadataResponseTopic error(String name, Uuid id, Errors error) {
        return new MetadataResponseTopic().setErrorCode(error.code()).setName(name).setTopicId(id)
                .setIsInternal(false).setPartitions(new ArrayList<>());
    }
}
