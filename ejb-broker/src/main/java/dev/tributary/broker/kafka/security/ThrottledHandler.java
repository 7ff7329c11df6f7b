package dev.tributary.broker.kafka.security;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;

/**
 * Enforces a byte-rate quota on Produce or Fetch: the bytes a request moved count against its principal's quota,
 * and a principal over it gets its response with {@code throttle_time_ms} set and only after that time — the
 * broker-side delay Kafka applies, so clients that ignore the field are slowed down as well.
 */
public final class ThrottledHandler extends DecoratedHandler {

    private final ClientQuotas quotas;
    private final ToLongFunction<KafkaRequest> requestBytes;
    private final ToLongFunction<AbstractResponse> responseBytes;
    private final ScheduledExecutorService delays;

    /** The bytes moved are {@code requestBytes} of the request plus {@code responseBytes} of its response. */
    ThrottledHandler(ApiHandler handler, ClientQuotas quotas, ToLongFunction<KafkaRequest> requestBytes,
                     ToLongFunction<AbstractResponse> responseBytes, ScheduledExecutorService delays) {
        super(handler);
        this.quotas = quotas;
        this.requestBytes = requestBytes;
        this.responseBytes = responseBytes;
        this.delays = delays;
    }

    /**
     * {@code apis} with Produce and Fetch under the quotas (produced bytes are the request's records, fetched the
     * response's), unless their rate is unlimited; every other API as it is.
     */
    public static List<ApiHandler> throttled(List<ApiHandler> apis, QuotaConfig quotas,
                                             ScheduledExecutorService delays) {
        ClientQuotas produce = new ClientQuotas(quotas.producerByteRate(), quotas.windowMs(),
                System::currentTimeMillis);
        ClientQuotas fetch = new ClientQuotas(quotas.consumerByteRate(), quotas.windowMs(), System::currentTimeMillis);
        return apis.stream().<ApiHandler>map(api -> switch (api.apiKey()) {
            case PRODUCE -> produce.unlimited() ? api : new ThrottledHandler(api, produce,
                    request -> RecordBytes.of(request.body(ProduceRequest.class)), response -> 0, delays);
            case FETCH -> fetch.unlimited() ? api : new ThrottledHandler(api, fetch, request -> 0,
                    response -> RecordBytes.of((FetchResponse) response), delays);
            default -> api;
        }).toList();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        return handler.handle(request).thenCompose(response -> {
            if (response == null) { // acks=0: nothing to hold back, but the bytes still count
                quotas.record(request.session().principal(), requestBytes.applyAsLong(request));
                return CompletableFuture.completedFuture(null);
            }
            long throttleMs = quotas.record(request.session().principal(),
                    requestBytes.applyAsLong(request) + responseBytes.applyAsLong(response));
            if (throttleMs <= 0)
                return CompletableFuture.completedFuture(response);
            response.maybeSetThrottleTimeMs((int) throttleMs);
            CompletableFuture<AbstractResponse> delayed = new CompletableFuture<>();
            delays.schedule(() -> delayed.complete(response), throttleMs, TimeUnit.MILLISECONDS);
            return delayed;
        });
    }
}
