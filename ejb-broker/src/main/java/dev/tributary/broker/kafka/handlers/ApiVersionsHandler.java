package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * ApiVersions: advertises exactly the APIs and version ranges the registered handlers serve, and nothing about
 * features (no finalized features: there are no transactions or KRaft feature levels to negotiate).
 */
public final class ApiVersionsHandler implements ApiHandler {

    private final List<ApiVersion> advertised;

    /** @param others every other handler of the listener */
    public ApiVersionsHandler(Collection<ApiHandler> others) {
        List<ApiVersion> versions = new ArrayList<>();
        for (ApiHandler handler : others)
            versions.add(new ApiVersion().setApiKey(handler.apiKey().id)
                    .setMinVersion(handler.oldestVersion()).setMaxVersion(handler.latestVersion()));
        versions.add(new ApiVersion().setApiKey(apiKey().id)
                .setMinVersion(oldestVersion()).setMaxVersion(latestVersion()));
        versions.sort(Comparator.comparingInt(ApiVersion::apiKey));
        this.advertised = List.copyOf(versions);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.API_VERSIONS.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.API_VERSIONS.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        ApiVersionsRequest body = request.body(ApiVersionsRequest.class);
        if (body.hasUnsupportedRequestVersion())
            return CompletableFuture.completedFuture(body.getErrorResponse(0, new UnsupportedVersionException(
                    "ApiVersions v" + request.header().apiVersion() + " is not supported; use v" + oldestVersion()
                            + " to v" + latestVersion())));
        if (!body.isValid())
            return CompletableFuture.completedFuture(body.getErrorResponse(0, new InvalidRequestException(
                    "Invalid client software name or version")));
        ApiVersionCollection keys = new ApiVersionCollection();
        advertised.forEach(v -> keys.add(v.duplicate()));
        return CompletableFuture.completedFuture(new ApiVersionsResponse(new ApiVersionsResponseData()
                .setApiKeys(keys)));
    }
}
