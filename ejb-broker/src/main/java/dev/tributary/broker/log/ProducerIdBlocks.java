package dev.tributary.broker.log;

/**
 * Where blocks of producer ids are reserved durably: this broker's data directory when it runs alone, the shared
 * metadata database in a cluster, where an id handed out by one broker must never be handed out by another (a
 * partition would take the second producer's first batches for retries of the first's and drop them).
 */
@FunctionalInterface
public interface ProducerIdBlocks {

    /**
     * @return the first id of a block of {@code size} ids that was never reserved before, anywhere this
     *         reservation reaches
     * @throws org.apache.kafka.common.errors.KafkaStorageException if the block cannot be reserved durably
     */
    long reserve(int size);
}
