package dev.tributary.broker.kafka;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Enforces a byte-rate quota on Produce or Fetch: the bytes a request moved count against its principal's quota,
 * and a principal over it gets its response with {@code throttle_time_ms} set and only after that time — the
 * broker-side delay Kafka applies, so clients that ignore the field are slowed down as well.
 */
final class ThrottledHandler extends DecoratedHandler {

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
