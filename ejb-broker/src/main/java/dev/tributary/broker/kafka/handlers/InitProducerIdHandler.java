package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.ProducerIdManager;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.KafkaStorageException;
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
 * <p>Ids come from the {@link ProducerIdManager}, which never hands out an id twice, across restarts and crashes
 * too: a partition's producer state outlives a restart, so a repeated id would meet another producer's state.
 * If no id can be reserved the error is KAFKA_STORAGE_ERROR. Transactional ids are refused with INVALID_REQUEST:
 * there is no transaction coordinator (stock producers do not get this far: FindCoordinator already refused their
 * transactional id, with the reason, see {@link FindCoordinatorHandler}).
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;

    public InitProducerIdHandler(ProducerIdManager producerIds) {
        this.producerIds = producerIds;
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
            try {
                response.setErrorCode(Errors.NONE.code()).setProducerId(producerIds.nextProducerId())
                        .setProducerEpoch((short) 0);
            } catch (KafkaStorageException e) {
                response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setProducerId(-1)
                        .setProducerEpoch((short) -1);
            }
        }
        return CompletableFuture.completedFuture(new InitProducerIdResponse(response));
    }
}
