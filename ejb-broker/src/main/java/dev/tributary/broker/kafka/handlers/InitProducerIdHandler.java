package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.log.ProducerIdManager;
import dev.tributary.broker.txn.ProducerIdAndEpoch;
import dev.tributary.broker.txn.TransactionCoordinator;
import dev.tributary.broker.txn.TransactionStoreException;
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
 * InitProducerId. For idempotent producers, like Kafka for a request without a transactional id, every call gets a
 * fresh producer id at epoch 0 (an idempotent producer bumping its epoch simply starts over with a new id). Ids come
 * from the {@link ProducerIdManager}, which never hands out an id twice, across restarts and crashes too: a
 * partition's producer state outlives a restart, so a repeated id would meet another producer's state. If no id can
 * be reserved the error is KAFKA_STORAGE_ERROR.
 *
 * <p>With a transactional id the {@link TransactionCoordinator} answers: the id's producer id with its epoch
 * bumped, which fences older instances (see {@link TransactionCoordinator#initProducerId}).
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;
    private final TransactionCoordinator transactions;

    public InitProducerIdHandler(ProducerIdManager producerIds, TransactionCoordinator transactions) {
        this.producerIds = producerIds;
        this.transactions = transactions;
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
            ProducerIdAndEpoch answer;
            try {
                answer = transactions.initProducerId(data.transactionalId(), data.transactionTimeoutMs(),
                        data.producerId(), data.producerEpoch());
            } catch (TransactionStoreException e) {
                answer = new ProducerIdAndEpoch(Errors.COORDINATOR_NOT_AVAILABLE, -1, (short) -1);
            } catch (KafkaStorageException e) {
                answer = new ProducerIdAndEpoch(Errors.KAFKA_STORAGE_ERROR, -1, (short) -1);
            }
            response.setErrorCode(answer.error().code()).setProducerId(answer.producerId())
                    .setProducerEpoch(answer.producerEpoch());
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
