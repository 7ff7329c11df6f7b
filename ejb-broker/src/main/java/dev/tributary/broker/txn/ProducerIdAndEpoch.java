package dev.tributary.broker.txn;

import org.apache.kafka.common.protocol.Errors;

/**
 * The answer to InitProducerId and (transaction version 2) EndTxn: the producer id and epoch the producer goes on
 * with, or the error.
 */
public record ProducerIdAndEpoch(Errors error, long producerId, short producerEpoch) {

    static ProducerIdAndEpoch of(TransactionMetadata metadata) {
        return new ProducerIdAndEpoch(Errors.NONE, metadata.producerId(), metadata.producerEpoch());
    }

    static ProducerIdAndEpoch failed(Errors error) {
        return new ProducerIdAndEpoch(error, -1, (short) -1);
    }
}
