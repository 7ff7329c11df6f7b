package dev.tributary.broker.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;

/**
 * InitProducerId for idempotent producers: like Kafka for a request without a transactional id, every call gets a
 * fresh producer id at epoch 0 (an idempotent producer bumping its epoch simply starts over with a new id).
 *
 * <p>Producer ids are not persisted; they count up from a value seeded by the clock at start-up (milliseconds
 * times 1024), so a restarted broker does not hand out ids that producers from before the restart still use
 * unless more than 1024 ids per millisecond of uptime were issued. Transactional ids are refused with
 * INVALID_REQUEST: there is no transaction coordinator.
 */
final class InitProducerIdHandler implements ApiHandler {

    private final AtomicLong nextProducerId;

    InitProducerIdHandler(long nowMs) {
        this.nextProducerId = new AtomicLong(nowMs << 10);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public short oldestVersion() {
        return ApiKeys.INIT_PRODUCER_ID.oldestVersion();
    }

    @Override
    public short latestVersion() {
        return ApiKeys.INIT_PRODUCER_ID.latestVersion();
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        InitProducerIdRequestData data = request.body(InitProducerIdRequest.class).data();
        InitProducerIdResponseData response = new InitProducerIdResponseData();
        if (data.transactionalId() != null) {
            response.setErrorCode(Errors.INVALID_REQUEST.code()).setProducerId(-1).setProducerEpoch((short) -1);
        } else {
            response.setErrorCode(Errors.NONE.code()).setProducerId(nextProducerId.getAndIncrement())
                    .setProducerEpoch((short) 0);
        }
        return CompletableFuture.completedFuture(new InitProducerIdResponse(response));
    }
}
