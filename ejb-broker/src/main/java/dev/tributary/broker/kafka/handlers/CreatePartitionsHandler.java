package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.topic.TopicAdministration;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;

/**
 * CreatePartitions through {@link TopicAdministration#createPartitions}, each topic on its own, by Kafka's rules:
 * the count must grow (INVALID_PARTITIONS otherwise), a topic named twice in one request is INVALID_REQUEST, and a
 * manual assignment must give one replica list per new partition. This single broker can only accept lists that
 * name exactly itself (INVALID_REPLICA_ASSIGNMENT otherwise). {@code validate_only} runs the same checks and adds
 * nothing.
 */
public final class CreatePartitionsHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(CreatePartitionsHandler.class.getName());

    private final TopicAdministration administration;
    private final TopicMetadata topics;
    private final int brokerId;

    public CreatePartitionsHandler(TopicAdministration administration, TopicMetadata topics, int brokerId) {
        this.administration = administration;
        this.topics = topics;
        this.brokerId = brokerId;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.CREATE_PARTITIONS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.CREATE_PARTITIONS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        CreatePartitionsRequest body = request.body(CreatePartitionsRequest.class);
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreatePartitionsTopic topic : body.data().topics()) {
            if (!seen.add(topic.name()))
                duplicated.add(topic.name());
        }
        List<CreatePartitionsTopicResult> results = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsTopic topic : body.data().topics()) {
            if (!answered.add(topic.name()))
                continue;
            ApiError outcome = duplicated.contains(topic.name())
                    ? new ApiError(Errors.INVALID_REQUEST, "Topic '" + topic.name() + "' appears more than once")
                    : createPartitions(topic, body.data().validateOnly());
            results.add(new CreatePartitionsTopicResult().setName(topic.name())
                    .setErrorCode(outcome.error().code()).setErrorMessage(outcome.message()));
        }
        return CompletableFuture.completedFuture(new CreatePartitionsResponse(new CreatePartitionsResponseData()
                .setResults(results)));
    }

    private ApiError createPartitions(CreatePartitionsTopic topic, boolean validateOnly) {
        try {
            int current = topics.partitionCount(topic.name());
            if (topic.assignments() != null && topic.count() > current)
                checkAssignments(topic.assignments(), topic.count() - current);
            administration.createPartitions(topic.name(), topic.count(), validateOnly);
            return ApiError.NONE;
        } catch (RuntimeException e) {
            ApiError error = ApiError.fromThrowable(e);
            if (error.error() == Errors.UNKNOWN_SERVER_ERROR)
                LOG.log(Level.WARNING, "Adding partitions to topic " + topic.name() + " failed", e);
            return error;
        }
    }

    private void checkAssignments(List<CreatePartitionsAssignment> assignments, int added) {
        if (assignments.size() != added)
            throw new InvalidReplicaAssignmentException("Attempted to add " + added + " partition(s), but "
                    + assignments.size() + " assignment(s) were given");
        for (CreatePartitionsAssignment assignment : assignments) {
            if (!assignment.brokerIds().equals(List.of(brokerId)))
                throw new InvalidReplicaAssignmentException("This single broker can only place a new partition on"
                        + " broker " + brokerId + " alone; got " + assignment.brokerIds());
        }
    }
}
