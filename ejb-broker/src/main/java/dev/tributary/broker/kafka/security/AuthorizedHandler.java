package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Puts {@link RequestAuthorization} in front of a handler: a request its principal may not make is answered with
 * the authorization error and never reaches the handler. One INFO line per refusal, naming principal and resource.
 */
public final class AuthorizedHandler extends DecoratedHandler {

    private static final Logger LOG = Logger.getLogger(AuthorizedHandler.class.getName());

    private final RequestAuthorization authorization;

    public AuthorizedHandler(ApiHandler handler, RequestAuthorization authorization) {
        super(handler);
        this.authorization = authorization;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        Optional<ApiException> refused = authorization.check(request);
        if (refused.isEmpty()) {
            return handler.handle(request);
        }
        LOG.info(() -> "Denied " + request.header().apiKey() + " from " + request.clientHost() + " on "
                + request.connectionId() + ": " + refused.get().getMessage());
        return CompletableFuture.completedFuture(refusal(request, refused.get()));
    }

    /**
     * The request's own error response, except for Fetch: there Kafka's error response puts the error at the top
     * level (from version 13 with no partitions), which a consumer takes for a failed request and retries for ever
     * without telling the application. A broker refusing a topic answers each partition with the error instead, and
     * the consumer throws TopicAuthorizationException from poll.
     */
    private static AbstractResponse refusal(KafkaRequest request, ApiException refused) {
        if (request.header().apiKey() != ApiKeys.FETCH)
            return request.body().getErrorResponse(refused);
        Errors error = Errors.forException(refused);
        List<FetchResponseData.FetchableTopicResponse> topics = new ArrayList<>();
        ((FetchRequest) request.body()).data().topics().forEach(topic -> topics.add(
                new FetchResponseData.FetchableTopicResponse().setTopic(topic.topic()).setTopicId(topic.topicId())
                        .setPartitions(topic.partitions().stream()
                                .map(p -> FetchResponse.partitionResponse(p.partition(), error)).toList())));
        return FetchResponse.of(new FetchResponseData().setSessionId(FetchMetadata.INVALID_SESSION_ID)
                .setResponses(topics));
    }
}
