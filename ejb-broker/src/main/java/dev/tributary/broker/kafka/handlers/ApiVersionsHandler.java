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
 * ApiVersions: advertises exactly the APIs and version ranges the registered handlers serve, and the one feature
 * clients act on: {@code transaction.version}, supported up to {@value #MAX_TRANSACTION_VERSION} and finalized at the
 * configured level (2 by default: KIP-890 part 2, which makes kafka-clients 4.x producers leave partition and group
 * adds to the brokers and bump their epoch at every EndTxn). Older clients ignore it and use transaction version 1.
 * There are no KRaft feature levels to report ({@code metadata.version} is Kafka's own controller's).
 */
public final class ApiVersionsHandler implements ApiHandler {

    /** The highest transaction protocol version served: Kafka 4's {@code transaction.version} feature level. */
    public static final short MAX_TRANSACTION_VERSION = 2;
    static final String TRANSACTION_VERSION_FEATURE = "transaction.version";
    /** The features never change while the broker runs, so their epoch is constant. */
    private static final long FINALIZED_FEATURES_EPOCH = 1;

    private final List<ApiVersion> advertised;
    private final short transactionVersion;

    /** @param others every other handler of the listener; {@code transaction.version} finalized at its highest */
    public ApiVersionsHandler(Collection<ApiHandler> others) {
        this(others, MAX_TRANSACTION_VERSION);
    }

    /**
     * @param others             every other handler of the listener
     * @param transactionVersion the finalized {@code transaction.version} level
     */
    public ApiVersionsHandler(Collection<ApiHandler> others, short transactionVersion) {
        this.transactionVersion = transactionVersion;
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
        ApiVersionsResponseData.SupportedFeatureKeyCollection supported =
                new ApiVersionsResponseData.SupportedFeatureKeyCollection();
        supported.add(new ApiVersionsResponseData.SupportedFeatureKey().setName(TRANSACTION_VERSION_FEATURE)
                .setMinVersion((short) 0).setMaxVersion(MAX_TRANSACTION_VERSION));
        ApiVersionsResponseData.FinalizedFeatureKeyCollection finalized =
                new ApiVersionsResponseData.FinalizedFeatureKeyCollection();
        finalized.add(new ApiVersionsResponseData.FinalizedFeatureKey().setName(TRANSACTION_VERSION_FEATURE)
                .setMinVersionLevel(transactionVersion).setMaxVersionLevel(transactionVersion));
        return CompletableFuture.completedFuture(new ApiVersionsResponse(new ApiVersionsResponseData()
                .setApiKeys(keys).setSupportedFeatures(supported).setFinalizedFeatures(finalized)
                .setFinalizedFeaturesEpoch(FINALIZED_FEATURES_EPOCH)));
    }
}
