package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.topic.TopicAdministration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;

/** DeleteTopics through the {@link TopicAdministration}, by name or (v6+) by id, each topic on its own. */
public final class DeleteTopicsHandler implements ApiHandler {

    private static final Logger LOG = Logger.getLogger(DeleteTopicsHandler.class.getName());

    private final TopicAdministration topics;

    public DeleteTopicsHandler(TopicAdministration topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.DELETE_TOPICS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.DELETE_TOPICS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DeleteTopicsRequest body = request.body(DeleteTopicsRequest.class);
        short version = request.version();
        List<DeleteTopicState> requested = new ArrayList<>();
        if (version >= 6)
            requested.addAll(body.data().topics());
        else
            body.data().topicNames().forEach(name -> requested.add(new DeleteTopicState().setName(name)));
        DeletableTopicResultCollection results = new DeletableTopicResultCollection();
        for (DeleteTopicState topic : requested) {
            boolean byId = topic.name() == null && topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
            DeletableTopicResult result = new DeletableTopicResult().setName(topic.name())
                    .setTopicId(byId ? topic.topicId() : Uuid.ZERO_UUID);
            String name = topic.name();
            try {
                if (byId) {
                    name = topics.delete(topic.topicId());
                    result.setName(name);
                } else {
                    result.setTopicId(topics.delete(name));
                }
                result.setErrorCode(Errors.NONE.code());
            } catch (RuntimeException e) {
                Errors error = Errors.forException(e);
                if (error == Errors.UNKNOWN_SERVER_ERROR)
                    LOG.log(Level.WARNING, "Deleting topic " + name + " failed", e);
                result.setErrorCode(error.code());
                if (version >= 5)
                    result.setErrorMessage(e.getMessage());
            }
            results.add(result);
        }
        return CompletableFuture.completedFuture(new DeleteTopicsResponse(new DeleteTopicsResponseData()
                .setResponses(results)));
    }
}
