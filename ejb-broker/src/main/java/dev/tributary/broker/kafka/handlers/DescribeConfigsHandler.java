package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.topic.TopicDescription;
import dev.tributary.broker.topic.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * DescribeConfigs for topics: the effective topic configuration (see {@link TopicConfigEntries} for how "set on
 * the topic" is told from "default"). Broker and other resources are answered with INVALID_REQUEST: this broker
 * does not expose its configuration over the Kafka protocol.
 */
public final class DescribeConfigsHandler implements ApiHandler {

    private final TopicMetadata topics;

    public DescribeConfigsHandler(TopicMetadata topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.DESCRIBE_CONFIGS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.DESCRIBE_CONFIGS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DescribeConfigsRequestData data = request.body(DescribeConfigsRequest.class).data();
        List<DescribeConfigsResult> results = new ArrayList<>();
        for (DescribeConfigsResource resource : data.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            if (resource.resourceType() != ConfigResource.Type.TOPIC.id()) {
                results.add(result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Only topic configurations can be described").setConfigs(new ArrayList<>()));
                continue;
            }
            try {
                List<DescribeConfigsResourceResult> configs = new ArrayList<>();
                TopicDescription topic = topics.describe(resource.resourceName());
                for (TopicConfigEntries.Entry entry :
                        TopicConfigEntries.of(topic.configs(), topic.configOverrides().keySet())) {
                    if (resource.configurationKeys() != null && !resource.configurationKeys().contains(entry.name()))
                        continue;
                    DescribeConfigsResourceResult config = new DescribeConfigsResourceResult()
                            .setName(entry.name()).setValue(entry.value()).setReadOnly(false)
                            .setConfigSource(entry.source()).setIsSensitive(false);
                    if (data.includeSynonyms())
                        config.setSynonyms(new ArrayList<>(List.of(new DescribeConfigsSynonym()
                                .setName(entry.name()).setValue(entry.value()).setSource(entry.source()))));
                    configs.add(config);
                }
                results.add(result.setErrorCode(Errors.NONE.code()).setConfigs(configs));
            } catch (RuntimeException e) {
                results.add(result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage())
                        .setConfigs(new ArrayList<>()));
            }
        }
        return CompletableFuture.completedFuture(new DescribeConfigsResponse(new DescribeConfigsResponseData()
                .setResults(results)));
    }
}
