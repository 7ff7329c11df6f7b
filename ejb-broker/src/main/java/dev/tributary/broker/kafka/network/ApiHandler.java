package dev.tributary.broker.kafka.network;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Serves one Kafka API (or one family of them) in the version range it declares; ApiVersions advertises exactly
 * these ranges.
 *
 * <p>{@link #handle} runs on a request-handler thread and may block briefly (an fsync, the metadata database).
 * It may also complete later from another thread (a long-polling Fetch). Completing with {@code null} sends no
 * response (a Produce with acks=0); completing exceptionally with {@link CloseConnectionException} closes the
 * connection; any other exception is answered with the request's own error response.
 */
public interface ApiHandler {

    ApiKeys apiKey();

    short oldestVersion();

    short latestVersion();

    CompletableFuture<AbstractResponse> handle(KafkaRequest request);

    default boolean supports(short version) {
        return version >= oldestVersion() && version <= latestVersion();
    }

    /** A handler that is just a function, for API families served by one class each. */
    static ApiHandler of(ApiKeys key, short oldest, short latest,
                         Function<KafkaRequest, CompletableFuture<AbstractResponse>> serve) {
        return new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return key;
            }

            @Override
            public short oldestVersion() {
                return oldest;
            }

            @Override
            public short latestVersion() {
                return latest;
            }

            @Override
            public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
                return serve.apply(request);
            }
        };
    }
}
