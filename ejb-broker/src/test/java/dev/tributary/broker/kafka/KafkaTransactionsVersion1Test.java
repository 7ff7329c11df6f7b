package dev.tributary.broker.kafka;

/**
 * {@link KafkaTransactionsTest}'s scenarios with the broker finalizing {@code transaction.version} 1: kafka-clients
 * then add partitions and groups themselves (AddPartitionsToTxn, AddOffsetsToTxn), EndTxn keeps the epoch, and
 * partition leaders verify the first batch of each transaction with the coordinator (KIP-890 part 1).
 */
class KafkaTransactionsVersion1Test extends KafkaTransactionsTest {

    @Override
    short transactionVersion() {
        return 1;
    }
}
