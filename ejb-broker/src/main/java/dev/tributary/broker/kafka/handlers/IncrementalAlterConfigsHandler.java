package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.topic.ConfigChange;
import dev.tributary.broker.topic.TopicAdministration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;

/**
 * IncrementalAlterConfigs for topics: SET, DELETE, APPEND and SUBTRACT (see {@link ConfigChange}) through
 * {@link TopicAdministration#alterConfigs(String, List, boolean)}, the same path REST's config patch takes. An invalid
 * name or value is INVALID_CONFIG with the reason, an unknown topic UNKNOWN_TOPIC_OR_PARTITION; see
 * {@link ConfigResourceAlteration} for the checks on the resources themselves.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {

    private final TopicAdministration topics;

    public IncrementalAlterConfigsHandler(TopicAdministration topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        IncrementalAlterConfigsRequestData data = request.body(IncrementalAlterConfigsRequest.class).data();
        Set<ConfigResourceAlteration.Resource> duplicated = ConfigResourceAlteration.duplicates(
                data.resources().stream().map(IncrementalAlterConfigsHandler::resourceOf).toList());
        List<AlterConfigsResourceResponse> responses = new ArrayList<>();
        for (AlterConfigsResource resource : data.resources()) {
            ConfigResourceAlteration.Resource named = resourceOf(resource);
            ApiError outcome = ConfigResourceAlteration.apply(named, duplicated.contains(named),
                    resource.configs().stream().map(AlterableConfig::name).toList(),
                    () -> topics.alterConfigs(resource.resourceName(), changesOf(resource), data.validateOnly()));
            responses.add(new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName()).setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message()));
        }
        return CompletableFuture.completedFuture(new IncrementalAlterConfigsResponse(
                new IncrementalAlterConfigsResponseData().setResponses(responses)));
    }

    private static ConfigResourceAlteration.Resource resourceOf(AlterConfigsResource resource) {
        return new ConfigResourceAlteration.Resource(resource.resourceType(), resource.resourceName());
    }

    private static List<ConfigChange> changesOf(AlterConfigsResource resource) {
        List<ConfigChange> changes = new ArrayList<>();
        for (AlterableConfig config : resource.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (op == null)
                throw new InvalidRequestException("Unknown operation " + config.configOperation() + " on config '"
                        + config.name() + "'");
            changes.add(new ConfigChange(config.name(), ConfigChange.Operation.valueOf(op.name()), config.value()));
        }
        return changes;
    }
}
