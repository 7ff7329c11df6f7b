package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.topic.TopicAdministration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ApiError;

/**
 * The legacy AlterConfigs for topics (older tools; the Java admin client uses IncrementalAlterConfigs): the request
 * gives a topic's whole set of overrides, and every config it leaves out reverts to its default
 * ({@link TopicAdministration#replaceConfigs}). A config without a value is INVALID_REQUEST, as in Kafka; see
 * {@link ConfigResourceAlteration} for the checks on the resources themselves.
 */
public final class AlterConfigsHandler implements ApiHandler {

    private final TopicAdministration topics;

    public AlterConfigsHandler(TopicAdministration topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.ALTER_CONFIGS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.ALTER_CONFIGS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        AlterConfigsRequestData data = request.body(AlterConfigsRequest.class).data();
        Set<ConfigResourceAlteration.Resource> duplicated = ConfigResourceAlteration.duplicates(
                data.resources().stream().map(AlterConfigsHandler::resourceOf).toList());
        List<AlterConfigsResourceResponse> responses = new ArrayList<>();
        for (AlterConfigsResource resource : data.resources()) {
            ConfigResourceAlteration.Resource named = resourceOf(resource);
            ApiError outcome = ConfigResourceAlteration.apply(named, duplicated.contains(named),
                    resource.configs().stream().map(AlterableConfig::name).toList(),
                    () -> topics.replaceConfigs(resource.resourceName(), overridesOf(resource), data.validateOnly()));
            responses.add(new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName()).setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message()));
        }
        return CompletableFuture.completedFuture(new AlterConfigsResponse(new AlterConfigsResponseData()
                .setResponses(responses)));
    }

    private static ConfigResourceAlteration.Resource resourceOf(AlterConfigsResource resource) {
        return new ConfigResourceAlteration.Resource(resource.resourceType(), resource.resourceName());
    }

    private static Map<String, String> overridesOf(AlterConfigsResource resource) {
        Map<String, String> overrides = new HashMap<>();
        for (AlterableConfig config : resource.configs()) {
            if (config.value() == null)
                throw new InvalidRequestException("Config '" + config.name() + "' has no value");
            overrides.put(config.name(), config.value());
        }
        return overrides;
    }
}
