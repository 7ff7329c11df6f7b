package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.LogConfig;
import dev.tributary.broker.topic.NewTopic;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;

/**
 * CreateTopics through {@link TopicAdministration}, each topic on its own: one failing does not stop the others.
 * Defaults as Kafka's ({@code num.partitions=1}, {@code default.replication.factor=1}) when the request says -1.
 * Replicas are placed by {@code ReplicaPlacement}; a manual assignment is accepted only as what a
 * broker alone does: every partition on this broker.
 * {@code validate_only} runs the same checks without creating anything.
 */
public final class CreateTopicsHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(CreateTopicsHandler.class.getName());
    private static final int DEFAULT_PARTITIONS = 1;
    private static final short DEFAULT_REPLICATION_FACTOR = 1;

    private final TopicAdministration administration;
    private final TopicMetadata topics;
    private final int brokerId;

    public CreateTopicsHandler(TopicAdministration administration, TopicMetadata topics, int brokerId) {
        this.administration = administration;
        this.topics = topics;
        this.brokerId = brokerId;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.CREATE_TOPICS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.CREATE_TOPICS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        CreateTopicsRequest body = request.body(CreateTopicsRequest.class);
        short version = request.version();
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreatableTopic topic : body.data().topics()) {
            if (!seen.add(topic.name()))
                duplicated.add(topic.name());
        }
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        CreatableTopicResultCollection results = new CreatableTopicResultCollection();
        for (CreatableTopic topic : body.data().topics()) {
            if (results.find(topic.name()) != null)
                continue;
            CreatableTopicResult result;
            try {
                if (duplicated.contains(topic.name()))
                    throw new InvalidRequestException("Topic '" + topic.name() + "' appears more than once in the request");
                result = create(topic, body.data().validateOnly(), version);
            } catch (RuntimeException e) {
                Errors error = Errors.forException(e);
                if (error == Errors.UNKNOWN_SERVER_ERROR)
                    LOG.log(Level.WARNING, "Creating topic " + topic.name() + " failed", e);
                result = new CreatableTopicResult().setName(topic.name()).setErrorCode(error.code())
                        .setErrorMessage(e.getMessage());
                if (version >= 5)
                    result.setConfigs(null).setNumPartitions(-1).setReplicationFactor((short) -1);
            }
            results.add(result);
        }
        return CompletableFuture.completedFuture(new CreateTopicsResponse(response.setTopics(results)));
    }

    private CreatableTopicResult create(CreatableTopic topic, boolean validateOnly, short version) {
        int partitions = topic.numPartitions() == -1 ? DEFAULT_PARTITIONS : topic.numPartitions();
        short replicationFactor = topic.replicationFactor() == -1 ? DEFAULT_REPLICATION_FACTOR
                : topic.replicationFactor();
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1)
                throw new InvalidRequestException("Give either a replica assignment or partitions and replication"
                        + " factor, not both");
            partitions = topic.assignments().size();
            replicationFactor = 1;
            for (CreatableReplicaAssignment assignment : topic.assignments()) {
                if (assignment.partitionIndex() < 0 || assignment.partitionIndex() >= partitions
                        || !assignment.brokerIds().equals(List.of(brokerId)))
                    throw new InvalidReplicaAssignmentException("This single broker can only place partitions 0 to "
                            + (partitions - 1) + " on broker " + brokerId + "; got partition "
                            + assignment.partitionIndex() + " on " + assignment.brokerIds());
            }
        }
        Map<String, String> configs = new HashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (config.value() == null)
                throw new InvalidConfigurationException("Config '" + config.name() + "' has no value");
            configs.put(config.name(), config.value());
        }
        NewTopic newTopic = new NewTopic(topic.name(), partitions, replicationFactor, configs);
        Map<String, String> effective;
        Set<String> overridden;
        Uuid topicId = Uuid.ZERO_UUID; // validate_only creates no topic, so it has no id
        if (validateOnly) {
            administration.checkReplicationFactor(replicationFactor);
            effective = LogConfig.defaults().withOverrides(configs).toMap();
            overridden = configs.keySet();
            if (topics.topicNames().contains(topic.name()))
                throw new TopicExistsException("Topic '" + topic.name() + "' already exists");
        } else {
            TopicDescription created = administration.create(newTopic);
            effective = created.configs();
            overridden = created.configOverrides().keySet();
            topicId = created.topicId();
        }
        CreatableTopicResult result = new CreatableTopicResult().setName(topic.name())
                .setErrorCode(Errors.NONE.code());
        if (version >= 5) {
            List<CreatableTopicConfigs> configResults = new ArrayList<>();
            for (TopicConfigEntries.Entry entry : TopicConfigEntries.of(effective, overridden))
                configResults.add(new CreatableTopicConfigs().setName(entry.name()).setValue(entry.value())
                        .setReadOnly(false).setConfigSource(entry.source()).setIsSensitive(false));
            result.setNumPartitions(partitions).setReplicationFactor(replicationFactor).setConfigs(configResults);
        }
        return result.setTopicId(topicId); // serialized from v7 on
    }
}
